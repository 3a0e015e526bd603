package dev.ferry.cli;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} of a command: its usage on standard output, exit code 0. */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this text.")
    boolean help;
}
