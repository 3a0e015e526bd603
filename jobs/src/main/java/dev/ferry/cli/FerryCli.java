package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ferry} command: parses the command line (picocli) and runs one of its commands. Exit codes: 0 ok,
 * 1 failure, 2 usage error.
 */
@Command(name = "ferry", customSynopsis = "ferry <command> [options]", subcommands = {CheckCommand.class,
        GrantsCommand.class, PrepareCommand.class, StatusCommand.class, SubmitCommand.class, VerifyCommand.class,
        RunCommand.class, QuickstartCommand.class, HelpCommand.class})
public final class FerryCli implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        JulToSlf4j.install();
        System.exit(run(args));
    }

    static int run(String[] args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        // a separator of " " only: --config=x stays an unknown option, as it always was
        CommandLine line = CommandLines.of(new FerryCli(), " ");
        line.setExecutionExceptionHandler(new CommandFailures());
        line.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandList());
        // the commands are what matters; ferry's own -h/--help comes last (this command only, not its subcommands)
        line.getCommandSpec().usageMessage().sectionKeys(List.of(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
                UsageMessageSpec.SECTION_KEY_SYNOPSIS, UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST, UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST));
        line.getSubcommands().get("help").getCommandSpec().usageMessage()
                .description("Shows this text, or with a command that command's usage.");
        return line;
    }

    /** No command: the usage, and exit code 2, since nothing was done. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
        out.flush();
        return UsageErrors.EXIT_CODE;
    }
}
