package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;

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

    /** The target's newest local write to the row not yet seen by the source, or null. */
    LocalWrite newestLocalWrite(String rowKey);

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
