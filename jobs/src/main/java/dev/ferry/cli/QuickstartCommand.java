package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ferry quickstart} as {@code ferry help} lists it. The demo needs its own class path (embedded MariaDB), so
 * the {@code ferry} script starts dev.ferry.quickstart.Quickstart instead; reaching this class is a usage error.
 */
@Command(name = "quickstart", description = {
        "A demo without any database install: two embedded MariaDB servers, a two-way",
        "channel between them, traffic at both sites and a conflict (see the README)."})
final class QuickstartCommand extends QuickstartOptions implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "run it through the 'ferry' script: ./ferry quickstart");
    }
}
