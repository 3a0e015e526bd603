package dev.ferry.operators.sink;

import java.time.Duration;

/**
 * What a direction remembers about the last conflict it met on one row: how it was decided, the change it
 * lost (if it lost one) and when. Kept in the apply operator's keyed state.
 *
 * @param resolution the decision, as stored in ferry_conflict
 * @param lostAfter the after image (JSON) of the incoming change the target kept its row against; null when
 *     the incoming change won, or once a later change of the row applied cleanly
 * @param conflictAtMs when the conflict, or its latest follow-up, was met
 */
record RowMemory(String resolution, String lostAfter, long conflictAtMs) {
    /** How long a conflict counts as recent: the bound of the memory. */
    static final Duration SPAN = Duration.ofHours(1);

    /** Whether {@code c} continues the change lost here: it starts from that change's after image and lost too. */
    boolean continuedBy(ConflictRecord c) {
        return lostAfter != null && resolution.equals(c.resolution().label()) && lostAfter.equals(c.incomingBefore());
    }

    boolean isRecent(long nowMs) {
        return nowMs - conflictAtMs < SPAN.toMillis();
    }

    static RowMemory of(ConflictRecord c, long nowMs) {
        return new RowMemory(c.resolution().label(), c.isFollowUpCandidate() ? c.incomingAfter() : null, nowMs);
    }

    RowMemory withoutLostChange() {
        return new RowMemory(resolution, null, conflictAtMs);
    }
}
