package dev.ferry.common;

/**
 * A change to one table's secondary indexes, as text: one line per change, {@code DROP `name`} or
 * {@code ADD <definition>} (for example {@code ADD UNIQUE INDEX `ib` (`b2`)}). Ferry replicates a
 * standalone {@code CREATE INDEX} / {@code DROP INDEX}, which Flink CDC 3.5.0 does not deliver, as
 * a {@link Op#DDL} event whose statement is {@link #statement(String)}. A delta, not the whole
 * index set, so that a late delta never undoes a newer index change made at the target.
 */
public final class IndexDelta {
    private static final String PREFIX = "/* ferry:index-change */\n";

    private IndexDelta() {}

    /** The DDL-event statement that asks a target to apply this delta. */
    public static String statement(String delta) {
        return PREFIX + delta;
    }

    public static boolean isIndexDelta(String statement) {
        return statement.startsWith(PREFIX);
    }

    /** The delta carried by a {@link #statement(String)}. */
    public static String of(String statement) {
        if (!isIndexDelta(statement)) {
            throw new IllegalArgumentException("not an index-change statement: " + statement);
        }
        return statement.substring(PREFIX.length());
    }
}
