package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The {@code ferry} command line itself: its usage, and errors in words instead of exceptions. */
class FerryCliTest {
    @TempDir
    Path dir;

    /** What a command printed, and its exit code. */
    private record Ran(int exit, String out, String err) {}

    private static Ran ferry(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int exit = FerryCli.run(args);
            return new Ran(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theHelpListsEveryCommandIncludingQuickstartAndGrants() {
        Ran help = ferry("--help");
        assertThat(help.exit()).isZero();
        for (String command : new String[] {"check", "grants", "prepare", "status", "submit", "verify", "run",
                "quickstart"}) {
            assertThat(help.out()).contains("\n  " + command + " ");
        }
        assertThat(help.out()).contains("--bind <address>");
    }

    @Test
    void anOptionWithoutItsValueIsAUsageErrorNotAnException() {
        for (String command : new String[] {"run", "check", "status"}) {
            Ran ran = ferry(command, "--config");
            assertThat(ran.exit()).as(command).isEqualTo(2);
            assertThat(ran.err()).as(command).startsWith("ferry " + command + ": option --config needs a value")
                    .contains("usage: ferry").doesNotContain("Exception");
        }
        Ran port = ferry("run", "--port", "--config", "x.yaml");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).startsWith("ferry run: option --port needs a value");
    }

    @Test
    void aPortThatIsNoNumberIsAUsageError() throws IOException {
        Ran ran = ferry("run", "--config", channel().toString(), "--port", "eighty");
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).startsWith("ferry run: --port must be a whole number from 0 to 65515, not 'eighty'");
    }

    @Test
    void statusOfAClusterThatIsNotThereSaysWhyInsteadOfNull() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Ran ran = ferry("status", "--config", channel().toString(), "--flink", "http://127.0.0.1:" + closed);
        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.err()).contains("Cannot read the Flink cluster at http://127.0.0.1:" + closed
                + ": connection refused (nothing listens there). Fix:").doesNotContain("null");
    }

    @Test
    void statusWithoutFlinkReadsOnlyTheChannelsOwnRunAndSaysSoWhenThereIsNone() throws IOException {
        Path file = channel();
        Ran none = ferry("status", "--config", file.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("No 'ferry run' of channel 'demo' is running", "ferry-run.json", "--flink");

        // a record left by a run that was killed: its process is gone
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("ferry-run.json"), "{\"url\": \"http://127.0.0.1:1\", \"pid\": "
                + Long.MAX_VALUE + "}");
        Ran stale = ferry("status", "--config", file.toString());
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).contains("is not running any more", "ferry run --config");
    }

    @Test
    void javaUtilLoggingGoesThroughSlf4jNotToTheConsole() {
        JulToSlf4j.install();
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertThat(handlers).as("the root logger's handlers").hasSize(1)
                .allSatisfy(h -> assertThat(h).isInstanceOf(SLF4JBridgeHandler.class));
    }

    private Path channel() throws IOException {
        Path pw = Files.writeString(dir.resolve("pw"), "secret");
        return Files.writeString(dir.resolve("demo.yaml"), String.join("\n", "channel: demo", "sites:",
                "  sh: { url: \"jdbc:mysql://127.0.0.1:3306\", user: ferry, password-file: " + pw + " }",
                "  us: { url: \"jdbc:mysql://127.0.0.1:3307\", user: ferry, password-file: " + pw + " }",
                "directions:", "  - { from: sh, to: us }", "tables:", "  include: ['shop\\..*']",
                "state-dir: " + dir.resolve("state"), ""));
    }
}
