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

    private DdlTag() {}

    /** The statement with Ferry's tag after its first keyword. */
    public static String tag(String statement, String channel, String direction) {
        String label = channel + ":" + direction;
        if (label.contains("*/")) {
            throw new IllegalArgumentException("channel or direction name contains '*/': " + label);
        }
        Matcher m = FIRST_KEYWORD.matcher(statement);
        if (!m.find()) {
            throw new IllegalArgumentException("not a DDL statement: " + statement);
        }
        return statement.substring(0, m.end()) + " /* ferry:" + label + " */" + statement.substring(m.end());
    }

    /** True if a Ferry sink (of any channel or direction) executed this statement. */
    public static boolean isTagged(String statement) {
        return TAG.matcher(statement).find();
    }
}
