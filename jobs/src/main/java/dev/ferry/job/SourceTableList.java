package dev.ferry.job;

import dev.ferry.config.TableFilter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The table patterns handed to Flink CDC's {@code tableList}. Flink CDC 3.5.0's {@code MySqlSource} builder takes
 * include patterns only: Debezium's {@code table.exclude.list} set beside them is ignored, so an excluded table was
 * still copied and read from the binlog. Each include pattern therefore carries the exclusions itself, as a
 * negative lookahead: {@code (?-i)(?!(?:ex1|ex2)\z)(?:in)}. It holds for tables created while the job runs, too.
 * Debezium compiles these case-insensitively and splits the list at commas: {@code (?-i)} makes them match as
 * {@link TableFilter} does, and commas are escaped ({@code \,}, which Debezium reads back as a comma).
 */
public final class SourceTableList {
    private SourceTableList() {}

    /** One Debezium pattern per include pattern of {@code filter}, each refusing every excluded name. */
    public static List<String> patterns(TableFilter filter) {
        String notExcluded = filter.excludePatterns().isEmpty() ? ""
                : filter.excludePatterns().stream().map(p -> "(?:" + p + ")")
                        .collect(Collectors.joining("|", "(?!(?:", ")\\z)"));
        return filter.includePatterns().stream()
                .map(p -> escapeCommas("(?-i)" + notExcluded + "(?:" + p + ")"))
                .toList();
    }

    /** A literal pattern for one exact name (Ferry's own tables). */
    public static String exactly(String qualifiedName) {
        return escapeCommas("(?-i)" + java.util.regex.Pattern.quote(qualifiedName));
    }

    /** {@code ,} -> {@code \,} where not already escaped: Debezium's list splitter cuts at bare commas only. */
    static String escapeCommas(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 4);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(c).append(pattern.charAt(++i));
            } else {
                if (c == ',') {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
