package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;

/** How a row goes to the target: the statement its batch is written with (see RowBatch). */
enum RowKind {
    /** A snapshot row: the source's copy is the truth, written over whatever is there. */
    UPSERT,
    INSERT,
    UPDATE,
    /** An update that moves the row to another key: one guarded UPDATE statement each. */
    UPDATE_KEY,
    DELETE,
    /** A change concurrent with a write at the target: decided by the table's policy, one at a time. */
    CONCURRENT;

    static RowKind of(ChangeEvent e, boolean concurrent) {
        if (concurrent && e.op() != Op.READ) {
            return CONCURRENT;
        }
        return switch (e.op()) {
            case READ -> UPSERT;
            case INSERT -> INSERT;
            case UPDATE -> e.changesKey() ? UPDATE_KEY : UPDATE;
            case DELETE -> DELETE;
            default -> throw new IllegalArgumentException("not a row change: " + e);
        };
    }
}
