package dev.ferry.loop;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stamp of a DDL statement that a Ferry sink executed. DDL cannot carry a stamp row (it
 * commits on its own), so the statement itself is tagged with a comment right after its first
 * keyword, {@code ALTER /* ferry:<channel>:<direction> *&#47; TABLE ...}: that is the one place where
 * the binlog readers keep a comment (they drop leading and trailing ones).
 */
public final class DdlTag {
    private static final Pattern FIRST_KEYWORD = Pattern.compile("^\\s*[A-Za-z]+");
    private static final Pattern TAG = Pattern.compile("/\\*\\s*ferry:");
    /** A tag as {@link #tag} writes it; group 1 is its {@code <channel>:<direction>}. */
    private static final Pattern WRITTEN_TAG = Pattern.compile(" ?/\\* ferry:([^*\\s]+:[^*\\s]+) \\*/");

    private DdlTag() {}

    /** The statement with Ferry's tag after its first keyword. */
    public static String tag(String statement, String channel, String direction) {
        String label = channel + ":" + direction;
        if (label.contains("*/")) {
            throw new IllegalArgumentException("channel or direction name contains '*/': " + label);
        }
        // a statement relayed from another site carries the tag of the direction that applied it there
        String untagged = WRITTEN_TAG.matcher(statement).replaceAll("");
        Matcher m = FIRST_KEYWORD.matcher(untagged);
        if (!m.find()) {
            throw new IllegalArgumentException("not a DDL statement: " + statement);
        }
        return untagged.substring(0, m.end()) + " /* ferry:" + label + " */" + untagged.substring(m.end());
    }

    /** The {@code <channel>:<direction>} of the tag of a statement a Ferry sink executed, or {@code null}. */
    public static String label(String statement) {
        Matcher m = WRITTEN_TAG.matcher(statement);
        return m.find() ? m.group(1) : null;
    }

    /** True if a Ferry sink (of any channel or direction) executed this statement. */
    public static boolean isTagged(String statement) {
        return TAG.matcher(statement).find();
    }
}
