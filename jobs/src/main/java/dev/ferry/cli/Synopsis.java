package dev.ferry.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's synopsis in Ferry's layout: {@code ferry run --config <channel.yaml> [--port <rest port>]}, options
 * in the order they are declared, {@code --help} left out. (picocli's own puts {@code [-h]} first.)
 */
final class Synopsis {
    static final int WIDTH = 100;

    private Synopsis() {}

    /** The name, then each option (required ones bare, others in brackets), then the positional parameters. */
    static List<String> words(String name, CommandSpec spec) {
        String separator = spec.parser().separator();
        List<String> words = new ArrayList<>(List.of(name));
        Set<ArgGroupSpec> groups = new LinkedHashSet<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.hidden()) {
                continue;
            }
            if (option.group() != null) {
                // options that go together are shown together, once
                if (groups.add(option.group())) {
                    words.add("[" + String.join(" ", option.group().args().stream()
                            .map(a -> word((OptionSpec) a, separator)).toList()) + "]");
                }
                continue;
            }
            String word = word(option, separator);
            words.add(option.required() ? word : "[" + word + "]");
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (!positional.hidden()) {
                words.add(positional.required() ? positional.paramLabel() : "[" + positional.paramLabel() + "]");
            }
        }
        return words;
    }

    /** {@code --config <channel.yaml>}, or {@code --only=a,b,c} where the separator is "=". */
    static String word(OptionSpec option, String separator) {
        return option.longestName() + (option.arity().max() > 0 ? separator + option.paramLabel() : "");
    }

    /**
     * The words as lines of at most {@link #WIDTH} characters (or one word): the first starts after
     * {@code first} characters already printed, the others with {@code continued}.
     */
    static String wrap(List<String> words, int first, String continued) {
        StringBuilder text = new StringBuilder();
        int column = first;
        for (String word : words) {
            if (column > first && column + 1 + word.length() > WIDTH) {
                text.append('\n').append(continued);
                column = continued.length();
            } else if (text.length() > 0) {
                text.append(' ');
                column++;
            }
            text.append(word);
            column += word.length();
        }
        return text.toString();
    }
}
