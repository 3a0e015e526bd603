package dev.ferry.bench;

import java.util.Arrays;
import java.util.Locale;

/** What one workload measured: the catch-up of its backlog by each system, and the lag phase after it. */
final class Result {
    final Workload workload;
    long backlogRows;
    long backlogTx;
    Throughput nativeTp;
    Throughput ferryTp;
    double offeredRowsPerSec;
    double offeredTxPerSec;
    double lagSeconds;
    int lagThreads;
    LagStats nativeLag;
    LagStats ferryLag;
    String nativeLagData = "-";
    String ferryLagData = "-";

    Result(Workload workload) {
        this.workload = workload;
    }

    double ferryRate() {
        return ferryTp == null || !ferryTp.caughtUp() ? 0 : backlogRows / ferryTp.seconds();
    }

    double nativeRate() {
        return nativeTp == null || !nativeTp.caughtUp() ? Double.POSITIVE_INFINITY : backlogRows / nativeTp.seconds();
    }

    record Throughput(boolean caughtUp, double seconds, double startup, double steadyRowsPerSec, String data) {}

    static final class LagStats {
        final int samples;
        final long transactions;
        final double p50;
        final double p99;
        final double max;
        final boolean drained;

        LagStats(long[] lags, long transactions, boolean drained) {
            long[] sorted = lags.clone();
            Arrays.sort(sorted);
            this.samples = sorted.length;
            this.transactions = transactions;
            this.p50 = percentile(sorted, 0.50);
            this.p99 = percentile(sorted, 0.99);
            this.max = sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
            this.drained = drained;
        }

        /** Nearest rank. */
        static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /** Milliseconds for a table cell, {@code -} for none. */
    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }
}
