package dev.ferry.cli;

import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command list of {@code ferry help}: each command with all its options, then its description indented, so
 * the one page describes every command and option (picocli's own list shows only a name and one line).
 */
final class CommandList implements IHelpSectionRenderer {
    private static final String CONTINUED = "         ";
    private static final String DESCRIPTION = "      ";

    @Override
    public String render(Help help) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Help> command : help.subcommands().entrySet()) {
            CommandSpec spec = command.getValue().commandSpec();
            text.append("  ").append(Synopsis.wrap(Synopsis.words(command.getKey(), spec), 2, CONTINUED)).append('\n');
            for (String line : spec.usageMessage().description()) {
                text.append(DESCRIPTION).append(line).append('\n');
            }
        }
        return text.toString();
    }
}
