package dev.ferry.bench;

import dev.ferry.bench.Result.LagStats;
import java.util.Arrays;

/**
 * What one direction of the WAN lab saw, per transaction, on the lab JVM's clock: when its COMMIT came back at the
 * source, when the poller at the other site first saw it there (-1: never), and how many rows it wrote. The
 * figures of the report and the chart are computed from it; pure, so that they can be unit-tested.
 */
final class LagSeries {
    private final long[] committedMs;
    private final long[] seenMs;
    private final int[] rows;

    /** Arrays of one length, in commit order; a transaction with committedMs 0 was not sent and is skipped. */
    LagSeries(long[] committedMs, long[] seenMs, int[] rows) {
        if (committedMs.length != seenMs.length || committedMs.length != rows.length) {
            throw new IllegalArgumentException("arrays of different lengths");
        }
        this.committedMs = committedMs;
        this.seenMs = seenMs;
        this.rows = rows;
    }

    private boolean committedIn(int i, long fromMs, long toMs) {
        return committedMs[i] > 0 && committedMs[i] >= fromMs && committedMs[i] < toMs;
    }

    /**
     * Lag percentiles of the transactions committed in [fromMs, toMs). One never seen counts with the lag it had when
     * the poller stopped ({@code observedUntilMs}), so that a system that falls behind does not look fast; the
     * figures are then lower bounds, and {@code drained} is false.
     */
    LagStats stats(long fromMs, long toMs, long observedUntilMs) {
        long[] lags = new long[committedMs.length];
        int n = 0;
        boolean drained = true;
        for (int i = 0; i < committedMs.length; i++) {
            if (committedIn(i, fromMs, toMs)) {
                drained &= seenMs[i] >= 0;
                lags[n++] = (seenMs[i] >= 0 ? seenMs[i] : observedUntilMs) - committedMs[i];
            }
        }
        return new LagStats(Arrays.copyOf(lags, n), n, drained);
    }

    /**
     * The lag as "now minus the source time of the newest change applied" at {@code tMs}: {@code tMs} minus the
     * newest COMMIT among the transactions seen at the other site by then; -1 if none was seen yet. It keeps rising
     * while nothing arrives (a cut), as Ferry's {@code lagMs} must.
     */
    long ageAt(long tMs) {
        long newest = -1;
        for (int i = 0; i < committedMs.length; i++) {
            if (committedMs[i] > 0 && seenMs[i] >= 0 && seenMs[i] <= tMs) {
                newest = Math.max(newest, committedMs[i]);
            }
        }
        return newest < 0 ? -1 : tMs - newest;
    }

    /** Transactions committed in [fromMs, toMs) never seen at the other site. */
    long missing(long fromMs, long toMs) {
        long missing = 0;
        for (int i = 0; i < committedMs.length; i++) {
            if (committedIn(i, fromMs, toMs) && seenMs[i] < 0) {
                missing++;
            }
        }
        return missing;
    }

    /** Rows committed at the source in [fromMs, toMs), per second. */
    double offeredRowsPerSec(long fromMs, long toMs) {
        return rowsPerSec(committedMs, fromMs, toMs);
    }

    /** Rows that became visible at the other site in [fromMs, toMs), per second, whenever they were committed. */
    double appliedRowsPerSec(long fromMs, long toMs) {
        return rowsPerSec(seenMs, fromMs, toMs);
    }

    private double rowsPerSec(long[] atMs, long fromMs, long toMs) {
        long sum = 0;
        for (int i = 0; i < atMs.length; i++) {
            if (committedMs[i] > 0 && atMs[i] >= fromMs && atMs[i] < toMs) {
                sum += rows[i];
            }
        }
        return toMs > fromMs ? sum * 1000.0 / (toMs - fromMs) : Double.NaN;
    }

    /**
     * Milliseconds from {@code fromMs} (e.g. the link's return) until the last time a transaction became visible
     * with a lag of {@code thresholdMs} or more: after that, every one was seen sooner. 0 if none was late after
     * {@code fromMs}; -1 if it never settled within the run: a transaction committed before {@code untilMs} was never
     * seen, or the last one seen was still late.
     */
    long settledAfter(long fromMs, long thresholdMs, long untilMs) {
        long lastLate = fromMs;
        long lastSeen = -1;
        boolean lastWasLate = false;
        for (int i = 0; i < committedMs.length; i++) {
            if (committedMs[i] <= 0 || committedMs[i] >= untilMs) {
                continue;
            }
            if (seenMs[i] < 0) {
                return -1;
            }
            boolean late = seenMs[i] - committedMs[i] >= thresholdMs;
            if (seenMs[i] >= lastSeen) {
                lastSeen = seenMs[i];
                lastWasLate = late;
            }
            if (seenMs[i] >= fromMs && late) {
                lastLate = Math.max(lastLate, seenMs[i]);
            }
        }
        return lastWasLate && thresholdMs > 0 ? -1 : lastLate - fromMs;
    }

    /**
     * The chart's line: per bucket of {@code bucketMs} from {@code originMs} on, by commit time, the largest lag
     * seen, in seconds; NaN for a bucket with no transaction seen. Length: buckets until {@code untilMs}.
     */
    double[] maxLagPerBucket(long originMs, long untilMs, long bucketMs) {
        int buckets = (int) Math.max(0, (untilMs - originMs + bucketMs - 1) / bucketMs);
        double[] out = new double[buckets];
        Arrays.fill(out, Double.NaN);
        for (int i = 0; i < committedMs.length; i++) {
            if (committedIn(i, originMs, untilMs) && seenMs[i] >= 0) {
                int b = (int) ((committedMs[i] - originMs) / bucketMs);
                double lag = (seenMs[i] - committedMs[i]) / 1000.0;
                out[b] = Double.isNaN(out[b]) ? lag : Math.max(out[b], lag);
            }
        }
        return out;
    }
}
