package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line that cannot be understood: one line naming the option, then that command's usage, exit code 2,
 * never a stack trace. Words are Ferry's own (not picocli's), so every command line of the project reads the same.
 */
public final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    /** The exit code of every usage error (0 ok, 1 failure). */
    public static final int EXIT_CODE = 2;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + line(e, args));
        command.usage(err);
        err.flush();
        return EXIT_CODE;
    }

    /** What is wrong with {@code args}, in one line without the command's name. */
    public static String line(ParameterException e, String[] args) {
        if (e instanceof MissingParameterException missing) {
            return missing.getMissing().stream().map(a -> missing(a, args)).distinct().collect(Collectors.joining("; "));
        }
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            boolean hasCommands = !unmatched.getCommandLine().getSubcommands().isEmpty();
            return (hasCommands ? "unknown command '" : "unexpected argument '") + first + "'";
        }
        if (e.getCause() instanceof WholeNumbers.Invalid invalid && e.getArgSpec() instanceof OptionSpec option) {
            return option.longestName() + " " + invalid.getMessage();
        }
        return e.getMessage();
    }

    /** An option given without its value, a required option not given, or half of two that go together. */
    private static String missing(ArgSpec arg, String[] args) {
        ArgGroupSpec group = arg.group();
        if (group != null && group.args().size() > 1) {
            return group.args().stream().map(UsageErrors::synopsis).collect(Collectors.joining(" and "))
                    + " go together";
        }
        if (arg instanceof OptionSpec option && given(option, args)) {
            return "option " + option.longestName() + " needs a value";
        }
        return synopsis(arg) + " is required";
    }

    private static boolean given(OptionSpec option, String[] args) {
        return Arrays.stream(args).anyMatch(a -> Arrays.stream(option.names())
                .anyMatch(n -> a.equals(n) || a.startsWith(n + "=")));
    }

    /** {@code --config <channel.yaml>}, {@code --repair}, or a positional parameter's label. */
    private static String synopsis(ArgSpec arg) {
        return arg instanceof OptionSpec option ? Synopsis.word(option, " ") : arg.paramLabel();
    }
}
