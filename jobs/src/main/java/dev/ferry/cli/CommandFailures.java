package dev.ferry.cli;

import dev.ferry.config.ChannelConfigException;
import dev.ferry.job.FerryException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * A command that ran and failed: exit code 1. Ferry's own errors carry their fix and print as one line; anything
 * else is a bug and keeps its stack trace.
 */
final class CommandFailures implements CommandLine.IExecutionExceptionHandler {
    static final int EXIT_CODE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof ChannelConfigException || e instanceof FerryException) {
            err.println("ferry: " + e.getMessage());
        } else {
            err.println("ferry: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_CODE;
    }
}
