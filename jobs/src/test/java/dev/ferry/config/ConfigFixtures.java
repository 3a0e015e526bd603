package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Function;

/** Shared YAML snippets and helpers for the channel config tests (and other tests that need a channel). */
public final class ConfigFixtures {
    static final String SH_PASSWORD = "sh-Secret-4711";
    static final String US_PASSWORD = "us-Secret-0815";
    static final Map<String, String> ENV = Map.of("SH_PASSWORD", SH_PASSWORD, "US_PASSWORD", US_PASSWORD);
    public static final Function<String, String> ENV_LOOKUP = ENV::get;

    /** The smallest valid two-site channel file. */
    public static final String MINIMAL = """
            channel: demo
            sites:
              sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
              us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
            directions:
              - { from: sh, to: us }
            tables:
              include: ['shop\\..*']
            """;

    /** Two sites, both directions, with placeholders for extra site keys and extra top-level keys. */
    static String twoWay(String extraTopLevel) {
        return """
                channel: demo
                sites:
                  sh:
                    url: "jdbc:mysql://127.0.0.1:3306"
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                  us:
                    url: "jdbc:mysql://127.0.0.1:3307"
                    user: ferry
                    password: "${env:US_PASSWORD}"
                directions:
                  - { from: sh, to: us }
                  - { from: us, to: sh }
                tables:
                  include: ['shop\\..*']
                """ + extraTopLevel;
    }

    /** {@link #twoWay} without its direction back, us->sh. */
    static String oneWay(String extraTopLevel) {
        return twoWay(extraTopLevel).replace("  - { from: us, to: sh }\n", "");
    }

    /** A channel whose site 'sh' is given by the indented (4 spaces) site body. */
    static String withShSite(String shBody) {
        return "channel: demo\nsites:\n  sh:\n" + shBody
                + "  us: { url: \"jdbc:mysql://127.0.0.1:3307\", user: ferry, password: \"${env:US_PASSWORD}\" }\n"
                + "directions:\n  - { from: sh, to: us }\n  - { from: us, to: sh }\n"
                + "tables:\n  include: ['shop\\..*']\n";
    }

    static ChannelConfig parse(String yaml) {
        return ChannelConfig.parse(yaml, "demo.yaml", ENV_LOOKUP);
    }

    static ChannelConfigException errors(String yaml) {
        return assertThrows(ChannelConfigException.class, () -> parse(yaml));
    }

    private ConfigFixtures() {}
}
