package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import java.util.List;

/**
 * What the target wrote itself lately, read from its binlog (see LocalWrites): per row, its newest local write, until
 * the source has seen it. Together with each incoming change's {@link ChangeEvent#seen()} it tells exactly which
 * changes are concurrent with a write at the target (docs/conflicts.md): a change whose source had not seen the
 * target's newest write to its row. Values are never compared to find out, so a row written back to an earlier value,
 * or deleted and inserted again, cannot hide a conflict.
 */
interface TargetHistory {
    /** A history that knows no writes: one-way channels, and appliers used outside the apply operator. */
    TargetHistory NONE = rowKey -> null;

    /**
     * A local write of a row at the target.
     *
     * @param position where it is in the target's binlog
     * @param deletedVersion for a delete of a row of a {@code newer-wins} table: the version (column value) of the
     *     row it deleted, which a concurrent change is compared with where it finds the row gone; else null
     */
    record LocalWrite(BinlogPosition position, boolean delete, Object deletedVersion) {}

    /**
     * A secondary unique value that a local write at the target put into a row (see UniqueValues).
     *
     * @param rowKey the row that took it
     * @param version for a {@code newer-wins} table, the version (column value) of the row as that write left it
     */
    record Take(String rowKey, BinlogPosition position, Object version) {}

    /** The target's newest local write to the row not yet seen by the source, or null. */
    LocalWrite newestLocalWrite(String rowKey);

    /** The local writes not yet seen by the source that put {@code uniqueValue} (see UniqueValues) into a row. */
    default List<Take> takes(String uniqueValue) {
        return List.of();
    }

    /**
     * The newest local write at the target, concurrent with {@code e} (its source had not seen it, as applied by the
     * reverse direction's writer {@code writer}), that put one of {@code uniqueValues} into another row: the two
     * collide through that value whether or not the row still holds it here. The other site meets the same pair
     * as a collision on its rows (or as this), so both decide it by the policy alike; where the target's row has let
     * go of the value since, only this tells that the incoming change had lost to it.
     */
    default Take concurrentTake(ChangeEvent e, int writer, List<String> uniqueValues) {
        if (e.txId() == null || uniqueValues.isEmpty()) {
            return null;
        }
        BinlogPosition seen = BinlogPosition.seenBy(e.seen(), writer);
        String row = RowKeys.of(e.table(), e.key());
        String oldRow = e.changesKey() ? RowKeys.of(e.table(), e.keyOf(e.before())) : row;
        Take newest = null;
        for (String value : uniqueValues) {
            for (Take t : takes(value)) {
                boolean otherRow = !t.rowKey().equals(row) && !t.rowKey().equals(oldRow);
                if (otherRow && (seen == null || t.position().compareTo(seen) > 0)
                        && (newest == null || t.position().compareTo(newest.position()) > 0)) {
                    newest = t;
                }
            }
        }
        return newest;
    }

    /**
     * The local write at the target that {@code e} is concurrent with, or null: the newest one to a row it changes
     * (its key, and the old key of a key change) that its source had not seen, as applied by the reverse
     * direction's writer {@code writer}.
     */
    default LocalWrite concurrentWrite(ChangeEvent e, int writer) {
        if (e.txId() == null) {
            return null; // a snapshot row: the source's copy is the truth
        }
        BinlogPosition seen = BinlogPosition.seenBy(e.seen(), writer);
        for (Object[] key : e.changesKey() ? new Object[][] {e.key(), e.keyOf(e.before())} : new Object[][] {e.key()}) {
            LocalWrite local = newestLocalWrite(RowKeys.of(e.table(), key));
            if (local != null && (seen == null || local.position().compareTo(seen) > 0)) {
                return local;
            }
        }
        return null;
    }
}
