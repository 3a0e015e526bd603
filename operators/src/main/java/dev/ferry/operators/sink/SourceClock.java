package dev.ferry.operators.sink;

/**
 * The job's clock against the source's, as heartbeats measure it, so that a change's binlog time can tell how old
 * it is. A heartbeat carries the time the job wrote it (its value, job clock) and its binlog time (source clock, whole
 * seconds on MySQL and MariaDB): their difference is the clocks' offset less the link's one-way delay, plus up to a
 * second of rounding. The smallest difference over the recent heartbeats is kept.
 *
 * <p>Why: no heartbeat crosses a dead link (the job writes it into its source), so after an outage the rows written
 * during it arrive long before the next heartbeat; their binlog times show the catch-up (docs/benchmark.md,
 * "cut-60").
 */
final class SourceClock {
    static final long UNKNOWN = Long.MIN_VALUE;
    /** A binlog time is the second its event began: the event happened up to this much later. */
    static final long BINLOG_RESOLUTION_MS = 1_000;
    private static final int RECENT = 16;

    private final long[] recent = new long[RECENT];
    private int count;
    private int next;

    /** A heartbeat the job wrote at {@code writtenAt} (its clock) whose binlog time is {@code binlogMs}. */
    synchronized void heartbeat(long writtenAt, long binlogMs) {
        if (binlogMs > 0) {
            add(writtenAt - binlogMs);
        }
    }

    /** The offset a checkpoint kept: the heartbeats after a restore may be far behind (an outage). */
    synchronized void restored(long offset) {
        if (offset != UNKNOWN && count == 0) {
            add(offset);
        }
    }

    /** Job clock minus source clock, less the one-way delay; {@link #UNKNOWN} before any heartbeat. */
    synchronized long offset() {
        if (count == 0) {
            return UNKNOWN;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, recent[i]);
        }
        return min;
    }

    /**
     * When a change whose binlog time is {@code binlogMs} was made, on the job's clock, at the earliest it can have
     * been: {@link #UNKNOWN} without an offset. Never later than the truth, so a lag measured from it is never too low.
     */
    long changeMadeAtTheEarliest(long binlogMs) {
        long offset = offset();
        return offset == UNKNOWN || binlogMs <= 0 ? UNKNOWN : binlogMs + offset - BINLOG_RESOLUTION_MS;
    }

    private void add(long offset) {
        recent[next] = offset;
        next = (next + 1) % RECENT;
        count = Math.min(count + 1, RECENT);
    }
}
