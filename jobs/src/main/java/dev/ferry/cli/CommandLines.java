package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;

/** The project's command lines, set up alike: Ferry's usage layout and its usage errors (exit code 2). */
public final class CommandLines {
    private CommandLines() {}

    /**
     * A command line for {@code command} (and its subcommands). {@code separator} is what joins an option to its
     * value in one word besides a space: {@code "="} for {@code --only=a,b}, or {@code " "} for none.
     */
    public static CommandLine of(Object command, String separator) {
        CommandLine line = new CommandLine(command);
        line.setSeparator(separator);
        // an argument such as --config @prod.yaml is a file name, not a file of more arguments
        line.setExpandAtFiles(false);
        line.setUsageHelpWidth(Synopsis.WIDTH);
        // plain text on a terminal too, as Ferry always printed it
        line.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        line.setParameterExceptionHandler(new UsageErrors());
        style(line);
        return line;
    }

    private static void style(CommandLine line) {
        UsageMessageSpec usage = line.getCommandSpec().usageMessage();
        usage.synopsisHeading("usage: ").descriptionHeading("%n")
                .optionListHeading("%noptions:%n").commandListHeading("%ncommands:%n").sortOptions(false)
                .longOptionsMaxWidth(30);
        if (usage.customSynopsis().length == 0) {
            CommandSpec spec = line.getCommandSpec();
            // a synopsis is a format string: %% for a percent sign
            usage.customSynopsis(Synopsis.wrap(Synopsis.words(spec.qualifiedName(), spec), "usage: ".length(),
                    "       ").replace("%", "%%"));
        }
        line.getSubcommands().values().forEach(CommandLines::style);
    }

    /**
     * Parses {@code args} into the command object, for a command that runs itself rather than through
     * {@link CommandLine#execute}. Empty to go on; otherwise the exit code after printing the usage (asked for:
     * 0) or a usage error (2).
     */
    public static OptionalInt parse(CommandLine line, String[] args) {
        try {
            line.parseArgs(args);
        } catch (ParameterException e) {
            return OptionalInt.of(new UsageErrors().handleParseException(e, args));
        }
        if (line.isUsageHelpRequested()) {
            PrintWriter out = line.getOut();
            line.usage(out);
            out.flush();
            return OptionalInt.of(0);
        }
        return OptionalInt.empty();
    }
}
