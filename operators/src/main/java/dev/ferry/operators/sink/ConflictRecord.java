package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;

/**
 * One conflict as it is written to ferry_conflict, in the transaction that resolved it. A unique-key
 * collision that the incoming row won is recorded once more for each row it replaced, under that
 * row's key.
 */
record ConflictRecord(ChangeEvent event, ConflictType type, Resolution resolution, ConflictPolicy policy,
        String targetRow, Object[] rowKey) {

    ConflictRecord(ChangeEvent event, ConflictType type, Resolution resolution, ConflictPolicy policy,
            String targetRow) {
        this(event, type, resolution, policy, targetRow, null);
    }

    /** The key of the row the conflict was about: the incoming row's, or another row's that held its unique key. */
    String key() {
        return RowJson.array(rowKey != null ? rowKey : event.key());
    }

    /** The conflict memory's key of that row (see RowKeys). */
    String memoryKey() {
        return RowKeys.of(event.table(), rowKey != null ? rowKey : event.key());
    }

    /** A lost update or delete: it may continue a change this direction already lost on the same row. */
    boolean isFollowUpCandidate() {
        return event.before() != null && rowKey == null
                && (resolution == Resolution.TARGET_KEPT || resolution == Resolution.KEPT_FOR_OPERATOR);
    }

    String incomingBefore() {
        return RowJson.object(event.schema(), event.before());
    }

    String incomingAfter() {
        return RowJson.object(event.schema(), event.after());
    }
}
