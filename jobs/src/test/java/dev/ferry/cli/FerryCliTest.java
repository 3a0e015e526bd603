package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
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

    /** Issue 18: {@code ferry <verb> --help} works for every verb, and says how to call that verb. */
    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command : new String[] {"check", "grants", "prepare", "status", "submit", "verify", "run",
                "quickstart"}) {
            Ran help = ferry(command, "--help");
            assertThat(help.exit()).as("ferry %s --help", command).isZero();
            assertThat(help.out()).as("ferry %s --help", command).contains("ferry " + command).contains("--help");
            assertThat(help.err()).as("ferry %s --help", command).isEmpty();
        }
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
    void anUnknownOptionOrCommandIsAUsageErrorNamingIt() {
        Ran option = ferry("run", "--config", "x.yaml", "--bogus");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).startsWith("ferry run: unknown option '--bogus'\nusage: ferry run --config")
                .doesNotContain("Exception");

        Ran command = ferry("frobnicate", "--config", "x.yaml");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).startsWith("ferry: unknown command 'frobnicate'\n").contains("\n  quickstart ");

        Ran extra = ferry("check", "--config", "x.yaml", "surplus");
        assertThat(extra.exit()).isEqualTo(2);
        assertThat(extra.err()).startsWith("ferry check: unexpected argument 'surplus'");
    }

    @Test
    void aBadNumberIsAUsageErrorNamingTheOptionAndItsRange() {
        // all refused before the channel file is read: it does not exist
        Ran settle = ferry("verify", "--config", "missing.yaml", "--settle", "x");
        assertThat(settle.exit()).isEqualTo(2);
        assertThat(settle.err()).startsWith("ferry verify: --settle must be a whole number of at least 0, not 'x'\n")
                .contains("usage: ferry verify").doesNotContain("Exception");
        assertThat(ferry("verify", "--config", "missing.yaml", "--chunk-size", "0").err())
                .startsWith("ferry verify: --chunk-size must be a whole number of at least 1, not '0'");
        assertThat(ferry("run", "--config", "missing.yaml", "--port", "65516").err())
                .startsWith("ferry run: --port must be a whole number from 0 to 65515, not '65516'");
        Ran seconds = ferry("quickstart", "--seconds", "x");
        assertThat(seconds.exit()).isEqualTo(2);
        assertThat(seconds.err()).startsWith("ferry quickstart: --seconds must be a whole number of at least 1, not 'x'");
    }

    @Test
    void aRequiredOptionOrHalfOfAPairIsAUsageError() {
        Ran config = ferry("check");
        assertThat(config.exit()).isEqualTo(2);
        assertThat(config.err()).startsWith("ferry check: --config <channel.yaml> is required\n");

        Ran flink = ferry("submit", "--config", "x.yaml");
        assertThat(flink.exit()).isEqualTo(2);
        assertThat(flink.err()).startsWith("ferry submit: --flink <url> is required");

        for (String[] half : new String[][] {{"--repair"}, {"--from", "sh"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("verify", "--config", "x.yaml"),
                    java.util.Arrays.stream(half)).toArray(String[]::new);
            Ran ran = ferry(args);
            assertThat(ran.exit()).as(String.join(" ", half)).isEqualTo(2);
            assertThat(ran.err()).as(String.join(" ", half))
                    .startsWith("ferry verify: --repair and --from <site> go together");
        }
    }

    @Test
    void noCommandPrintsTheUsageAndExits2ButHelpExits0() {
        Ran none = ferry();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).startsWith("usage: ferry <command> [options]").contains("\n  quickstart ");

        for (String asked : new String[] {"help", "-h", "--help"}) {
            Ran help = ferry(asked);
            assertThat(help.exit()).as(asked).isZero();
            assertThat(help.out()).as(asked).isEqualTo(none.out());
        }

        Ran run = ferry("help", "run");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("usage: ferry run --config <channel.yaml> [--port <rest port>]"
                + " [--bind <address>]").contains("Every listener binds to 127.0.0.1", "--bind <address>",
                "default: 127.0.0.1");
        assertThat(ferry("run", "--help").out()).isEqualTo(run.out());
        assertThat(ferry("help", "nothing").exit()).isEqualTo(2);
    }

    @Test
    void theHelpDescribesEveryOptionOfEveryCommand() {
        String help = ferry("help").out();
        CommandLine ferry = FerryCli.commandLine();
        assertThat(ferry.getSubcommands().keySet()).containsExactly("check", "grants", "prepare", "status", "submit",
                "verify", "run", "quickstart", "help");
        for (CommandLine command : ferry.getSubcommands().values()) {
            CommandSpec spec = command.getCommandSpec();
            assertThat(spec.usageMessage().description()).as(spec.name()).isNotEmpty();
            assertThat(help).contains(spec.usageMessage().description()[0]);
            for (OptionSpec option : spec.options()) {
                assertThat(option.description()).as(spec.name() + " " + option.longestName()).isNotEmpty();
                assertThat(help).as(spec.name() + " " + option.longestName()).contains(option.longestName());
            }
        }
        assertThat(help).contains("  verify --config <channel.yaml> [--repair --from <site>] [--chunk-size <rows>]",
                "  submit --config <channel.yaml> --flink <url> [--direction <from->to>]",
                "  quickstart [--seconds <n>] [--keep] [--dir <path>] [--rest-port <port>]\n      A demo");
    }

    @Test
    void noOptionTakesAPassword() {
        // passwords come from the channel file (or a file it names), never from argv, which ps shows
        for (CommandLine command : FerryCli.commandLine().getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertThat(String.join(" ", option.names()).toLowerCase(java.util.Locale.ROOT))
                        .doesNotContain("password", "secret");
            }
        }
    }

    @Test
    void eachCommandsOptionsAreParsedIntoTheirValues() {
        CheckCommand check = parsed("check", "--config", "a.yaml");
        assertThat(check.channel.file).isEqualTo(Path.of("a.yaml"));
        assertThat(this.<GrantsCommand>parsed("grants", "--config", "b.yaml").channel.file).isEqualTo(Path.of("b.yaml"));
        assertThat(this.<PrepareCommand>parsed("prepare", "--config", "c.yaml").channel.file)
                .isEqualTo(Path.of("c.yaml"));

        assertThat(this.<StatusCommand>parsed("status", "--config", "a.yaml").flink).isNull();
        assertThat(this.<StatusCommand>parsed("status", "--flink", "http://jm:8081", "--config", "a.yaml").flink)
                .isEqualTo("http://jm:8081");

        SubmitCommand submit = parsed("submit", "--config", "a.yaml", "--flink", "http://jm:8081");
        assertThat(submit.flink).isEqualTo(URI.create("http://jm:8081"));
        assertThat(submit.direction).isNull();
        assertThat(submit.savepoint).isNull();
        assertThat(submit.jar).isNull();
        submit = parsed("submit", "--config", "a.yaml", "--flink", "http://jm:8081", "--direction", "sh->us",
                "--from-savepoint", "/sp/1", "--jar", "/j.jar");
        assertThat(submit.direction).isEqualTo("sh->us");
        assertThat(submit.savepoint).isEqualTo(Path.of("/sp/1"));
        assertThat(submit.jar).isEqualTo(Path.of("/j.jar"));

        VerifyCommand verify = parsed("verify", "--config", "a.yaml");
        assertThat(verify.repair).isNull();
        assertThat(verify.chunkSize).isEqualTo(1000);
        assertThat(verify.settleSeconds).isNull();
        verify = parsed("verify", "--config", "a.yaml", "--from", "us", "--repair", "--chunk-size", "7", "--settle",
                "0");
        assertThat(verify.repair.repair).isTrue();
        assertThat(verify.repair.from).isEqualTo("us");
        assertThat(verify.chunkSize).isEqualTo(7);
        assertThat(verify.settleSeconds).isZero();

        RunCommand run = parsed("run", "--config", "a.yaml");
        assertThat(run.port).isEqualTo(8081);
        assertThat(run.bind).isEqualTo("127.0.0.1");
        assertThat(run.directions).isEmpty();
        run = parsed("run", "--config", "a.yaml", "--port", "0", "--bind", "0.0.0.0", "--direction", "sh->us",
                "--direction", "eu->us");
        assertThat(run.port).isZero();
        assertThat(run.bind).isEqualTo("0.0.0.0");
        assertThat(run.directions).containsExactly("sh->us", "eu->us");

        QuickstartCommand quickstart = parsed("quickstart");
        assertThat(quickstart.seconds).isZero();
        assertThat(quickstart.keep).isFalse();
        assertThat(quickstart.dir).isEqualTo(Path.of("ferry-quickstart"));
        assertThat(quickstart.restPort).isEqualTo(8081);
        quickstart = parsed("quickstart", "--seconds", "20", "--keep", "--dir", "/tmp/q", "--rest-port", "0");
        assertThat(quickstart.seconds).isEqualTo(20);
        assertThat(quickstart.keep).isTrue();
        assertThat(quickstart.dir).isEqualTo(Path.of("/tmp/q"));
        assertThat(quickstart.restPort).isZero();
    }

    @Test
    void runningADirectionTheChannelLacksSaysWhichItHas() throws IOException {
        Ran ran = ferry("run", "--config", channel().toString(), "--direction", "eu->sh", "--port", "0");
        assertThat(ran.exit()).as("a channel file problem, as the other commands exit").isEqualTo(1);
        assertThat(ran.err()).contains("no direction named 'eu->sh' in channel 'demo' (defined: sh->us")
                .doesNotContain("Exception");
    }

    @Test
    void quickstartOutsideTheScriptSaysHowToStartIt() {
        Ran ran = ferry("quickstart", "--seconds", "5");
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).startsWith("ferry quickstart: run it through the 'ferry' script: ./ferry quickstart\n"
                + "usage: ferry quickstart");
    }

    /** The command object {@code args} select, with their values, without running it. */
    @SuppressWarnings("unchecked")
    private <T> T parsed(String... args) {
        ParseResult result = FerryCli.commandLine().parseArgs(args);
        return (T) result.subcommand().commandSpec().userObject();
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
