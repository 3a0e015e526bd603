package dev.ferry.operators.sink;

import dev.ferry.operators.conflict.ConflictType;
import dev.ferry.operators.conflict.Resolution;
import java.util.HashMap;
import java.util.Map;
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
    private final MetricGroup group;
    private final Counter conflicts;
    private final Counter echoesConfirmed;
    private final Counter echoesApplied;
    private final Counter conflictFollowUps;
    private final Map<String, Counter> byLabel = new HashMap<>();
    private volatile long lagMs = -1;
    private volatile boolean streaming;
    private final Counter ddlHeld;
    private final Counter snapshotRows;
    private volatile int heldTables;

    SinkMetrics(MetricGroup group) {
        this.group = group;
        rows = group.counter("appliedRows");
        conflicts = group.counter("conflicts");
        echoesConfirmed = group.counter("echoesConfirmed");
        echoesApplied = group.counter("echoesApplied");
        conflictFollowUps = group.counter("conflictFollowUps");
        transactions = group.counter("appliedTransactions");
        repeatedCommits = group.counter("repeatedCommitsSkipped");
        ddlApplied = group.counter("ddlApplied");
        ddlAlreadySatisfied = group.counter("ddlAlreadySatisfied");
        ddlHeld = group.counter("ddlHeld");
        snapshotRows = group.counter("snapshotRows");
        // not derived from the lag: that is unknown for a while after every (re)start, the phase is not
        group.gauge("streaming", () -> streaming ? 1 : 0);
        group.gauge("heldTables", () -> heldTables);
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

    /** Rows of the initial copy applied (also counted in appliedRows). */
    void snapshotRows(long count) {
        snapshotRows.inc(count);
    }

    /** A DDL held its table until an operator decides (PostgreSQL and Oracle targets). */
    void ddlHeld() {
        ddlHeld.inc();
    }

    /** How many tables wait for an operator's decision now. */
    void heldTables(int count) {
        heldTables = count;
    }

    /** Counts a conflict in total, by type and by resolution (groups conflictType / conflictResolution). */
    void conflict(ConflictType type, Resolution resolution) {
        conflicts.inc();
        byLabel.computeIfAbsent("type:" + type.label(),
                k -> group.addGroup("conflictType", type.label()).counter("conflicts")).inc();
        byLabel.computeIfAbsent("resolution:" + resolution.label(),
                k -> group.addGroup("conflictResolution", resolution.label()).counter("conflicts")).inc();
    }

    /** Changes that only continued a recorded conflict on the same row (see ConflictLog). */
    void conflictFollowUps(long n) {
        conflictFollowUps.inc(n);
    }

    void echoes(long confirmed, long applied) {
        echoesConfirmed.inc(confirmed);
        echoesApplied.inc(applied);
    }

    void skippedRepeat() {
        repeatedCommits.inc();
    }

    /** An event read from the binlog was applied: the initial copy, if any, is over. */
    void streaming() {
        streaming = true;
    }

    void lag(long ms) {
        lagMs = ms;
        lagHistogram.update(ms);
    }

}
