package dev.ferry.config;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A channel file is invalid. Carries every problem found (not just the first one); {@link #getMessage()}
 * has one line per problem, formatted as {@code <file>: <path>: <problem>. Fix: <fix>}, where
 * {@code <path>} is the key path inside the file, for example {@code sites.sh.password} or
 * {@code tables.include[1]}. The message is meant to be shown to users as is, without a stack trace.
 * Problem texts never contain secret values.
 */
public final class ChannelConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<Problem> problems;

    /**
     * @param source the name of the channel file (shown at the start of every line)
     * @param problems at least one problem
     */
    public ChannelConfigException(String source, List<Problem> problems) {
        super(format(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The name of the channel file. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(String source, List<Problem> problems) {
        return problems.stream().map(p -> p.format(source)).collect(Collectors.joining("\n"));
    }

    /**
     * One problem in a channel file.
     *
     * @param path the key path, such as {@code sites.sh.url} or {@code directions[0].to}
     * @param problem what is wrong
     * @param fix how to fix it
     */
    public record Problem(String path, String problem, String fix) implements Serializable {
        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(fix, "fix");
        }

        /** {@code <source>: <path>: <problem>. Fix: <fix>.} */
        public String format(String source) {
            return source + ": " + path + ": " + sentence(problem) + " Fix: " + sentence(fix);
        }

        private static String sentence(String s) {
            return s.endsWith(".") || s.endsWith("?") || s.endsWith("!") ? s : s + ".";
        }
    }
}
