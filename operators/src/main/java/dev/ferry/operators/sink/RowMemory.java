package dev.ferry.operators.sink;

import java.time.Duration;

/**
 * What a direction remembers about the last conflict it met on one row: how it was decided, the change it
 * lost (if it lost one) and when. Kept in the apply operator's keyed state. A row whose latest change from the
 * source was a delete that fitted is remembered too ({@link #sourceDeleted}): only then is its absence the
 * source's, which a retraction of a lost delete may take back (see ChangeApplier#retract).
 *
 * @param resolution the decision, as stored in ferry_conflict
 * @param lostAfter the after image (JSON) of the incoming change the target kept its row against; null when
 *     the incoming change won, or once a later change of the row applied cleanly
 * @param conflictAtMs when the conflict, or its latest follow-up, was met
 */
record RowMemory(String resolution, String lostAfter, long conflictAtMs) {
    /** How long a conflict counts as recent: the bound of the memory. */
    static final Duration SPAN = Duration.ofHours(1);
    private static final String SOURCE_DELETED = "source-deleted";

    /** Whether {@code c} continues the change lost here: it starts from that change's after image and lost too. */
    boolean continuedBy(ConflictRecord c) {
        return lostAfter != null && resolution.equals(c.resolution().label()) && lostAfter.equals(c.incomingBefore());
    }

    boolean isRecent(long nowMs) {
        return nowMs - conflictAtMs < SPAN.toMillis();
    }

    /** Marks a row the source deleted here, with no conflict. */
    static RowMemory sourceDeleted(long nowMs) {
        return new RowMemory(SOURCE_DELETED, null, nowMs);
    }

    boolean isSourceDelete() {
        return SOURCE_DELETED.equals(resolution);
    }

    static RowMemory of(ConflictRecord c, long nowMs) {
        return new RowMemory(c.resolution().label(), c.isFollowUpCandidate() ? c.incomingAfter() : null, nowMs);
    }
}
