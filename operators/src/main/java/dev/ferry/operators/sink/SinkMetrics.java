package dev.ferry.operators.sink;

import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The apply side's metrics, registered on the committer's metric group. */
final class SinkMetrics {
    /**
     * How long after the newest applied heartbeat was written the next one is written (DirectionJob's heartbeat
     * interval): that one is not applied yet, so the lag is at least the time since then. Anything written at the
     * source meanwhile is behind it too; a cut link or a lost reader shows as a lag that keeps growing.
     */
    static final long STALL_ALLOWANCE_MS = 1_000;

    private final Counter rows;
    private final Counter transactions;
    private final Counter repeatedCommits;
    private final Counter ddlApplied;
    private final Counter ddlAlreadySatisfied;
    private final Histogram lagHistogram;
    private final MetricGroup group;
    private final Counter conflicts;
    private final Counter conflictFollowUps;
    private final Map<String, Counter> byLabel = new HashMap<>();
    private final LongSupplier clock;
    private volatile long lagMs = -1;
    /** When the newest heartbeat applied was written; -1 for none yet. */
    private volatile long newestHeartbeatAt = -1;
    private final SourceClock sourceClock = new SourceClock();
    /** The newest binlog time (source clock) of a change applied since the (re)start; -1 for none yet. */
    private volatile long newestChangeBinlogMs = -1;
    private volatile boolean streaming;
    private final Counter ddlHeld;
    private final Counter snapshotRows;
    private volatile int heldTables;

    SinkMetrics(MetricGroup group, LongSupplier clock) {
        this.group = group;
        this.clock = clock;
        rows = group.counter("appliedRows");
        conflicts = group.counter("conflicts");
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
        group.gauge("lagMs", this::lagNow);
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

    void skippedRepeat() {
        repeatedCommits.inc();
    }

    /** An event read from the binlog was applied: the initial copy, if any, is over. */
    void streaming() {
        streaming = true;
    }

    /**
     * A heartbeat written at {@code writtenAt} was applied at {@code appliedAt}. One written before a restore counts
     * too: its changes did wait through the downtime.
     */
    void heartbeat(long writtenAt, long appliedAt, long binlogMs) {
        lagMs = appliedAt - writtenAt;
        newestHeartbeatAt = Math.max(newestHeartbeatAt, writtenAt);
        lagHistogram.update(lagMs);
        sourceClock.heartbeat(writtenAt, binlogMs);
    }

    /** A change read from the binlog, with that binlog time (source clock, 0 if unknown), was applied. */
    void changeApplied(long binlogMs) {
        if (binlogMs > 0) {
            newestChangeBinlogMs = Math.max(newestChangeBinlogMs, binlogMs);
        }
    }

    /** The source clock's offset a checkpoint kept (see {@link SourceClock}). */
    void restoredSourceClock(long offset) {
        sourceClock.restored(offset);
    }

    /** The source clock's offset, or {@link SourceClock#UNKNOWN}: kept in checkpoints. */
    long sourceClockOffset() {
        return sourceClock.offset();
    }

    /**
     * The newest heartbeat applied before a restore, as the checkpoint kept it: until one is applied again, the lag
     * shown grows from there, and a direction that restarts during an outage shows the outage, not "unknown".
     */
    void restoredHeartbeat(long writtenAt) {
        newestHeartbeatAt = Math.max(newestHeartbeatAt, writtenAt);
    }

    /** When the newest heartbeat applied was written, or -1 if none is known. */
    long newestHeartbeat() {
        return newestHeartbeatAt;
    }

    /**
     * The lag measured with the newest heartbeat, or more when no newer one has arrived since: a direction that
     * stopped applying (a cut link, a lost reader, a restart) shows its lag growing, not the last value it measured.
     * Less if a change applied since is newer than that heartbeat by its binlog time: after an outage, the rows
     * written during it arrive long before the next heartbeat, and the lag follows them down. Never below the age of
     * the newest change at the earliest it can have been made, so never too low.
     */
    long lagNow() {
        long newest = newestHeartbeatAt;
        long measured = lagMs;
        long now = clock.getAsLong();
        long byHeartbeat = newest < 0 ? measured : Math.max(measured, now - newest - STALL_ALLOWANCE_MS);
        long changeMade = sourceClock.changeMadeAtTheEarliest(newestChangeBinlogMs);
        if (byHeartbeat < 0 || changeMade == SourceClock.UNKNOWN) {
            return byHeartbeat;
        }
        return Math.max(0, Math.min(byHeartbeat, now - changeMade));
    }

}
