package dev.ferry.common;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One row change read from a source binlog (or snapshot), in Ferry's own value types.
 *
 * <p>Values are {@code null}, {@link Long}, {@link java.math.BigDecimal}, {@link Float},
 * {@link Double}, {@link String}, {@code byte[]}, {@link Boolean}, {@link java.time.LocalDate},
 * {@link java.time.LocalDateTime} (DATETIME, zone-less), {@link java.time.Instant} (TIMESTAMP) or
 * {@link MysqlTime}; {@link ValueCodec} is the authority on that list.
 */
public final class ChangeEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Op op;
    private final TableId table;
    private final RowSchema schema;
    private final Object[] before;
    private final Object[] after;
    private final String txId;
    private final String position;
    private final long sourceTsMs;
    private final boolean ownWrite;
    /** The target's binlog position up to which the source had applied the target's changes; see {@link #seen()}. */
    private final String seen;

    /**
     * @param txId the source transaction: the binlog file and position of its BEGIN; every row
     *     of one transaction has the same id. {@code null} for snapshot rows, which stand alone.
     * @param position where exactly this row is in the binlog, for error messages
     * @param sourceTsMs when the source committed the change (its clock), 0 if unknown
     */
    public ChangeEvent(Op op, TableId table, RowSchema schema, Object[] before, Object[] after,
            String txId, String position, long sourceTsMs) {
        this(op, table, schema, before, after, txId, position, sourceTsMs, false, null);
    }

    private ChangeEvent(Op op, TableId table, RowSchema schema, Object[] before, Object[] after,
            String txId, String position, long sourceTsMs, boolean ownWrite, String seen) {
        this.ownWrite = ownWrite;
        this.seen = seen;
        this.op = Objects.requireNonNull(op, "op");
        this.table = Objects.requireNonNull(table, "table");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.before = before;
        this.after = after;
        this.txId = txId;
        this.position = position;
        this.sourceTsMs = sourceTsMs;
        boolean needsBefore = op == Op.UPDATE || op == Op.DELETE;
        boolean needsAfter = op != Op.DELETE;
        if (needsBefore != (before != null) || needsAfter != (after != null)) {
            throw new IllegalArgumentException(op + " on " + table + " with before=" + (before != null)
                    + " after=" + (after != null));
        }
        if (op == Op.DDL && (after.length < 1 || after.length > 2 || !(after[0] instanceof String)
                || (after.length == 2 && !(after[1] instanceof String)))) {
            throw new IllegalArgumentException("DDL on " + table + " must carry its statement and at most its structure");
        }
        if (op == Op.UNDECODABLE && (after.length != 3 || !(after[0] instanceof String reason)
                || Unreadable.of(reason) == null || !(after[1] instanceof String) || !(after[2] instanceof String))) {
            throw new IllegalArgumentException("UNDECODABLE on " + table + " must carry its reason, column and message");
        }
    }

    /** Why a row change could not be read from the binlog: nothing a retry or restart cures. */
    public enum Unreadable {
        /** The table has no primary key (created while the direction runs, or its key dropped): no exact apply. */
        NO_PRIMARY_KEY,
        /** A column value has a type Ferry cannot carry without loss. */
        UNSUPPORTED_TYPE,
        /** A DATE or DATETIME value with a year, month or day of 0, which the binlog reader cannot carry exactly. */
        ZERO_DATE,
        /**
         * A statement on the table that the binlog reader could not parse: it no longer knows the table's columns (see
         * cdc-compat's UnparseableStatements), so none of its later rows can be read.
         */
        UNPARSEABLE_STATEMENT;

        static Unreadable of(String name) {
            for (Unreadable u : values()) {
                if (u.name().equals(name)) {
                    return u;
                }
            }
            return null;
        }
    }

    /**
     * A row change of {@code table} at {@code position} that could not be read: it carries no row, only why. Its
     * transaction id is its row's, so the loop filter drops it inside a stamped transaction like any row.
     *
     * @param column the column whose value could not be read, or empty
     */
    public static ChangeEvent undecodable(TableId table, Unreadable reason, String column, String message, String txId,
            String position, long sourceTsMs) {
        return new ChangeEvent(Op.UNDECODABLE, table, NO_COLUMNS, null, new Object[] {reason.name(), column, message},
                txId, position, sourceTsMs);
    }

    /** Why an {@link Op#UNDECODABLE} change could not be read. */
    public Unreadable unreadable() {
        requireUndecodable();
        return Unreadable.valueOf((String) after[0]);
    }

    /** The column of an {@link Op#UNDECODABLE} change whose value could not be read, or empty. */
    public String unreadableColumn() {
        requireUndecodable();
        return (String) after[1];
    }

    /** The reader's message on an {@link Op#UNDECODABLE} change: table, column, type, position. */
    public String unreadableMessage() {
        requireUndecodable();
        return (String) after[2];
    }

    private void requireUndecodable() {
        if (op != Op.UNDECODABLE) {
            throw new IllegalStateException(op + " is not an undecodable change");
        }
    }

    /** A schema change of {@code table}; it is a transaction of its own at {@code txId}. */
    public static ChangeEvent ddl(TableId table, String statement, String txId, String position, long sourceTsMs) {
        return new ChangeEvent(Op.DDL, table, NO_COLUMNS, null, new Object[] {statement}, txId, position, sourceTsMs);
    }

    /**
     * A DDL event that also carries the structured change (one entry of Flink CDC's {@code tableChanges},
     * as JSON), from which targets that are not MySQL generate their own DDL.
     */
    public static ChangeEvent ddl(TableId table, String statement, String structure, String txId, String position,
            long sourceTsMs) {
        Object[] after = structure == null ? new Object[] {statement} : new Object[] {statement, structure};
        return new ChangeEvent(Op.DDL, table, NO_COLUMNS, null, after, txId, position, sourceTsMs);
    }

    /** The structured change of a {@link Op#DDL} event (JSON), or {@code null} if the statement has none. */
    public String ddlStructure() {
        ddl();
        return after.length > 1 ? (String) after[1] : null;
    }

    private static final RowSchema NO_COLUMNS = new RowSchema(new String[0], new int[0]);

    /**
     * The same change, marked as Ferry's own: a row that the direction itself wrote at its target, read back from
     * the target's binlog with the target's own writes (see LoopFilter#forTargetHistory). It tells the direction that
     * the row's newest version there is one its source knows. (Older Ferry versions marked echoes this way; such
     * events restored from their state are left, see ChangeApplier.)
     */
    public ChangeEvent asOwnWrite() {
        return new ChangeEvent(op, table, schema, before, after, txId, position, sourceTsMs, true, seen);
    }

    /**
     * The same row change without the non-key columns named in {@code columns} (such as those a target computes
     * itself); this change itself if it has none of them, or is no row change.
     */
    public ChangeEvent without(Set<String> columns) {
        if (op != Op.READ && op != Op.INSERT && op != Op.UPDATE && op != Op.DELETE) {
            return this;
        }
        int[] kept = IntStream.range(0, schema.size())
                .filter(i -> schema.isKey(i) || !columns.contains(schema.column(i))).toArray();
        if (kept.length == schema.size()) {
            return this;
        }
        return new ChangeEvent(op, table, schema.only(kept), only(before, kept), only(after, kept), txId, position,
                sourceTsMs, ownWrite, seen);
    }

    private static Object[] only(Object[] row, int[] indexes) {
        if (row == null) {
            return null;
        }
        Object[] out = new Object[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = row[indexes[i]];
        }
        return out;
    }

    /** The same change, made at a source that had applied the target's binlog up to {@code seenPosition}. */
    public ChangeEvent withSeen(String seenPosition) {
        return new ChangeEvent(op, table, schema, before, after, txId, position, sourceTsMs, ownWrite, seenPosition);
    }

    /**
     * In a two-way channel: the position in the target's binlog up to which the source site had applied the
     * target's changes when it committed this one (the newest stamp of the reverse direction before it in the
     * source's binlog). A write at the target after that position was not visible at the source: it is
     * concurrent with this change. Null where unknown (nothing applied yet, or a one-way channel).
     */
    public String seen() {
        return seen;
    }

    public boolean isOwnWrite() {
        return ownWrite;
    }

    /** The statement of a {@link Op#DDL} event. */
    public String ddl() {
        if (op != Op.DDL) {
            throw new IllegalStateException(op + " is not a DDL event");
        }
        return (String) after[0];
    }

    public Op op() {
        return op;
    }

    public TableId table() {
        return table;
    }

    public RowSchema schema() {
        return schema;
    }

    /** The row before the change (UPDATE, DELETE), else {@code null}. Do not modify. */
    public Object[] before() {
        return before;
    }

    /** The row after the change (READ, INSERT, UPDATE, HEARTBEAT), else {@code null}. Do not modify. */
    public Object[] after() {
        return after;
    }

    public String txId() {
        return txId;
    }

    public String position() {
        return position;
    }

    public long sourceTsMs() {
        return sourceTsMs;
    }

    /** The row as it is now: the after image, or the before image of a delete. */
    public Object[] image() {
        return after != null ? after : before;
    }

    /** The values of the primary key columns of {@link #image()}. */
    public Object[] key() {
        return keyOf(image());
    }

    public Object[] keyOf(Object[] row) {
        int[] keys = schema.keyIndexes();
        Object[] out = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = row[keys[i]];
        }
        return out;
    }

    /** True for an UPDATE that moves the row to another primary key. */
    public boolean changesKey() {
        return op == Op.UPDATE && !Arrays.deepEquals(keyOf(before), keyOf(after));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeEvent e
                && op == e.op
                && table.equals(e.table)
                && schema.equals(e.schema)
                && Arrays.deepEquals(before, e.before)
                && Arrays.deepEquals(after, e.after)
                && Objects.equals(txId, e.txId)
                && Objects.equals(position, e.position)
                && sourceTsMs == e.sourceTsMs
                && ownWrite == e.ownWrite
                && Objects.equals(seen, e.seen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, table, txId, position);
    }

    @Override
    public String toString() {
        if (op == Op.DDL) {
            return "DDL on " + table + " at " + position + ": " + ddl();
        }
        if (op == Op.UNDECODABLE) {
            return "UNDECODABLE change of " + table + " at " + position + ": " + unreadableMessage();
        }
        return (ownWrite ? "own " : "") + op + " " + table + " key=" + Arrays.deepToString(key()) + " tx=" + txId + " at " + position;
    }
}
