package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import java.sql.SQLException;
import java.util.List;

/**
 * What a {@link RowBatch} reports to the pass it belongs to ({@link ApplyPass}), and the little it asks of it: the
 * batch writes rows; the pass keeps what they met across batches, in source order.
 */
interface BatchFindings {

    /** The committable whose rows these are, to check that its transaction still holds its marker; null: a replay. */
    CheckpointBatch committable();

    /** Keeps a conflict (if not null), after it the records of rows its resolution replaced ({@link #replaced}). */
    void record(ConflictRecord conflict);

    /** Where the resolver puts the records of rows it replaced or removed while deciding a change. */
    List<ConflictRecord> replaced();

    /** A delete the batch wrote: the row's version it removed was there. */
    void deleted(ChangeEvent delete);

    /** Decides a change concurrent with a write at the target (see ApplyPass#decideConcurrent). */
    ConflictRecord decideConcurrent(ChangeEvent e, TableGuards guards) throws SQLException;
}
