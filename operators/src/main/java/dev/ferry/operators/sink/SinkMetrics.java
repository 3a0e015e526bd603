package dev.ferry.operators.sink;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The apply side's metrics, registered on the committer's metric group. */
final class SinkMetrics {
    private final Counter rows;
    private final Counter transactions;
    private final Counter repeatedCommits;
    private final Counter ddlApplied;
    private final Counter ddlAlreadySatisfied;
    private final Histogram lagHistogram;
    private volatile long lagMs = -1;

    SinkMetrics(MetricGroup group) {
        rows = group.counter("appliedRows");
        transactions = group.counter("appliedTransactions");
        repeatedCommits = group.counter("repeatedCommitsSkipped");
        ddlApplied = group.counter("ddlApplied");
        ddlAlreadySatisfied = group.counter("ddlAlreadySatisfied");
        group.meter("appliedRowsPerSecond", new MeterView(rows));
        group.meter("appliedTransactionsPerSecond", new MeterView(transactions));
        group.gauge("lagMs", () -> lagMs);
        lagHistogram = group.histogram("lagMsHistogram", new DescriptiveStatisticsHistogram(1000));
    }

    void applied(long rowCount, long transactionCount) {
        rows.inc(rowCount);
        transactions.inc(transactionCount);
    }

    void ddl(boolean executed) {
        (executed ? ddlApplied : ddlAlreadySatisfied).inc();
    }

    void skippedRepeat() {
        repeatedCommits.inc();
    }

    void lag(long ms) {
        lagMs = ms;
        lagHistogram.update(ms);
    }

}
