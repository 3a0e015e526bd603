package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.cli.CommandLines;
import dev.ferry.cli.UsageErrors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The program arguments of the job jar, as {@code flink run} and the Kubernetes manifests pass them. */
class FerryJobArgumentsTest {
    private static FerryJob.Arguments parse(String... args) {
        FerryJob.Arguments arguments = new FerryJob.Arguments();
        CommandLines.of(arguments, " ").parseArgs(args);
        return arguments;
    }

    private static String error(String... args) {
        ParameterException e = catchThrowableOfType(ParameterException.class, () -> parse(args));
        assertThat(e).as("refused: %s", String.join(" ", args)).isNotNull();
        return UsageErrors.line(e, args);
    }

    @Test
    void takesTheChannelFileAndTheDirection() {
        FerryJob.Arguments a = parse("--config", "/etc/ferry/channel/channel.yaml", "--direction", "sh->us");
        assertThat(a.config).isEqualTo(Path.of("/etc/ferry/channel/channel.yaml"));
        assertThat(a.direction).isEqualTo("sh->us");
        assertThat(parse("--direction", "us->sh", "--config", "c.yaml").direction).isEqualTo("us->sh");
    }

    @Test
    void refusesWhatItCannotUseInWords() {
        assertThat(error("--config", "c.yaml")).isEqualTo("--direction <from->to> is required");
        assertThat(error("--config", "c.yaml", "--direction")).isEqualTo("option --direction needs a value");
        assertThat(error("--config", "c.yaml", "--direction", "sh->us", "--parallelism", "2"))
                .isEqualTo("unknown option '--parallelism'");
    }
}
