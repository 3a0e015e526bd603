package dev.ferry.verify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.FerryException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A PostgreSQL or Oracle site is only ever a copy: verify refuses to repair from it, before connecting anywhere. */
class ChannelVerifyRepairTest {

    private static ChannelConfig channel(String targetUrl) {
        String yaml = """
                channel: demo
                sites:
                  sh: { url: "jdbc:mysql://127.0.0.1:1", user: ferry, password: "${env:P}" }
                  us: { url: "jdbc:mysql://127.0.0.1:2", user: ferry, password: "${env:P}" }
                """ + "  dw: { url: \"" + targetUrl + "\", user: ferry, password: \"${env:P}\" }\n" + """
                directions:
                  - { from: sh, to: dw }
                  - { from: us, to: dw }
                tables:
                  include: ['shop\\\\..*']
                """;
        return ChannelConfig.parse(yaml, "demo.yaml", Map.of("P", "secret-pw")::get);
    }

    @Test
    void repairingFromAnOracleTargetIsRefusedNamingTheSiteAndItsSources() {
        assertThatThrownBy(() -> ChannelVerify.run(channel("jdbc:oracle:thin:@//127.0.0.1:1/FREEPDB1"),
                new ChannelVerify.Options("dw", 1000, Duration.ZERO), new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("--from 'dw': verify does not repair from Oracle site 'dw'")
                .hasMessageContaining("Fix: --from sh or us.")
                .hasMessageNotContaining("secret-pw");
    }

    @Test
    void repairingFromAPostgreSqlTargetIsRefused() {
        assertThatThrownBy(() -> ChannelVerify.run(channel("jdbc:postgresql://127.0.0.1:1/w"),
                new ChannelVerify.Options("dw", 1000, Duration.ZERO), new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("does not repair from PostgreSQL site 'dw'");
    }
}
