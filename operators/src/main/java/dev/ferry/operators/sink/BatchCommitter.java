package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.conflict.Resolution;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committables after their checkpoint completed, each as one local transaction in the
 * target, for the apply operator. Connection loss, deadlocks and lock timeouts are retried with backoff for a while;
 * after that the commit fails the job, Flink restarts it from the checkpoint, and the marker rows
 * make the repeated commit skip what was already applied.
 */
final class BatchCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);
    /** How often the rows of a committable are locked before its apply goes on without their locks. */
    private static final int LOCK_ATTEMPTS = 5;

    private final SinkSettings settings;
    private final SimpleJdbcConnectionProvider connections;
    private final SinkMetrics metrics;
    private final LongSupplier clock;
    private final ConflictMemory memory;
    /** What the target history says about an incoming change (see TargetHistory). */
    private final Concurrency concurrent;
    /** Whether the memory must be filled from the target's records before the first apply. */
    private boolean reloadMemory;
    private ChangeApplier applier;

    /** @param memoryMayLag whether the memory may lack decisions the target has (a fresh start) */
    BatchCommitter(SinkSettings settings, MetricGroup metricGroup, LongSupplier clock, ConflictMemory memory,
            Concurrency concurrent, boolean memoryMayLag) {
        this.settings = settings;
        this.connections = new SimpleJdbcConnectionProvider(settings.target().applyConnectionOptions());
        this.metrics = new SinkMetrics(metricGroup, clock);
        this.clock = clock;
        this.memory = memory;
        this.concurrent = concurrent;
        this.reloadMemory = memoryMayLag;
    }

    /**
     * Applies committables in the order they were made. One that cannot be applied by retrying fails the job,
     * which then restarts from the checkpoint that still holds it.
     */
    void commit(Collection<CheckpointBatch> committables) throws InterruptedException {
        List<CheckpointBatch> ordered = new ArrayList<>(committables);
        ordered.sort(Comparator.comparingLong(CheckpointBatch::epoch).thenComparingLong(CheckpointBatch::sequence));
        for (CheckpointBatch c : ordered) {
            try {
                ChangeApplier.Result result = applyWithRetries(c);
                record(c, result);
                metrics.heldTables(applier.heldTableCount());
            } catch (SQLException e) {
                throw new ApplyFailedException(settings, c, e);
            }
        }
    }

    /**
     * Begins {@code c}'s apply transaction by locking the rows it changes (see ChangeApplier#lockRows); {@link
     * #commit} goes on in it. A deadlock, which rolls every lock back, locks again (up to {@link #LOCK_ATTEMPTS}
     * times); a lock wait time-out makes the apply's try fail before it writes anything, so that it locks again
     * (ChangeApplier#lockRows); any other failure only loses the locks of a table the apply may then hold.
     */
    void lockRows(CheckpointBatch c) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                applierWithMemory().lockRows(c);
                return;
            } catch (SQLException e) {
                if (Retry.isDeadlock(e) && attempt < LOCK_ATTEMPTS) {
                    // the rollback took every lock: without them a target write between the barrier and the apply
                    // could be missed, as a retried apply once missed one (see #tryCommit)
                    LOG.info("{}: locking the rows of {} at {} met a deadlock; locking again", settings.direction(),
                            c, settings.target());
                    Thread.sleep(20L * attempt);
                    continue;
                }
                LOG.warn("{}: could not lock the rows of {} at {} before its read barrier: {}", settings.direction(),
                        c, settings.target(), e.getMessage());
                return;
            }
        }
    }

    /** The tries of one committable: when retrying ends, and the wait before the next try. */
    final class Tries {
        private final long deadline = clock.getAsLong() + settings.retryTimeout().toMillis();
        private long backoff = 100;
    }

    Tries tries() {
        return new Tries();
    }

    /**
     * Applies {@code c} once, in the transaction {@link #lockRows} began. After a failure that retrying may cure
     * (connection loss, deadlock, lock wait time-out) it waits the backoff and returns false: the caller then begins
     * the transaction again and lets the target history catch up (a read barrier) before the next try, because the
     * rollback let the target's own writes to these rows go ahead, and the history may not have read them yet (a
     * deadlock retried in place refilled a row the target had deleted meanwhile, as not concurrent: the checker's
     * kv_prio 4, seed 4). Anything else, or a failure after the retry time-out, fails the job.
     */
    boolean tryCommit(CheckpointBatch c, Tries tries) throws InterruptedException {
        try {
            ChangeApplier.Result result = tryApply(c, tries);
            if (result == null) {
                return false;
            }
            record(c, result);
            metrics.heldTables(applier.heldTableCount());
            return true;
        } catch (SQLException e) {
            throw new ApplyFailedException(settings, c, e);
        }
    }

    /** Without a target history to catch up with, a failed try is repeated at once, in a new transaction. */
    private ChangeApplier.Result applyWithRetries(CheckpointBatch c) throws SQLException, InterruptedException {
        Tries tries = new Tries();
        while (true) {
            ChangeApplier.Result result = tryApply(c, tries);
            if (result != null) {
                return result;
            }
        }
    }

    /** One try; null if it failed in a way worth retrying, after the backoff. */
    private ChangeApplier.Result tryApply(CheckpointBatch c, Tries tries) throws SQLException, InterruptedException {
        try {
            return applierWithMemory().apply(c);
        } catch (SQLException e) {
            if (!Retry.isRetriable(e) || clock.getAsLong() + tries.backoff > tries.deadline) {
                throw e;
            }
            LOG.warn("{}: applying {} to {} failed, retrying in {} ms: {}", settings.direction(), c,
                    settings.target(), tries.backoff, e.getMessage());
            if (Retry.isConnectionLoss(e)) {
                resetConnection();
            }
            Thread.sleep(tries.backoff);
            tries.backoff = Math.min(tries.backoff * 2, 5000);
            return null;
        }
    }

    /**
     * The unique values a local write at the target put into its row (see UniqueValues); none where its table cannot
     * be read now (then a change of another row that collided with one of them is decided by what the row holds).
     */
    List<String> uniqueValues(ChangeEvent localWrite) {
        try {
            return applier().uniqueValues(localWrite);
        } catch (SQLException e) {
            LOG.warn("{}: could not read the unique keys of {} at the target for its history: {}",
                    settings.direction(), localWrite.table(), e.getMessage());
            return List.of();
        }
    }

    /** The applier, its conflict memory filled first where it may lag (that ends the transaction: before anything). */
    private ChangeApplier applierWithMemory() throws SQLException {
        ChangeApplier current = applier();
        if (reloadMemory) {
            current.reloadMemory();
            reloadMemory = false;
        }
        return current;
    }

    private ChangeApplier applier() throws SQLException {
        if (applier == null) {
            try {
                Connection connection = connections.getOrEstablishConnection();
                String version = connection.getMetaData().getDatabaseProductVersion();
                Dialect dialect = Dialects.forUrl(settings.target().jdbcUrl(), version, settings.target().identifiers());
                applier = new ChangeApplier(connection, dialect, settings.channel(), settings.direction(),
                        settings.batchSize(), settings.conflicts(), memory, concurrent, clock);
            } catch (ClassNotFoundException e) {
                throw new SQLException("JDBC driver for " + settings.target().jdbcUrl() + " missing from the job jar", "08001", e);
            }
        }
        return applier;
    }

    /** The newest heartbeat applied before a restore (see {@link SinkMetrics#restoredHeartbeat}). */
    void restoredHeartbeat(long writtenAt) {
        metrics.restoredHeartbeat(writtenAt);
    }

    /** When the newest heartbeat applied was written, or -1: kept in checkpoints for the lag after a restore. */
    long newestHeartbeat() {
        return metrics.newestHeartbeat();
    }

    /** The source clock's offset a checkpoint kept (see {@link SinkMetrics#restoredSourceClock}). */
    void restoredSourceClock(long offset) {
        metrics.restoredSourceClock(offset);
    }

    /** The source clock's offset, or {@link SourceClock#UNKNOWN}: kept in checkpoints for the lag after a restore. */
    long sourceClockOffset() {
        return metrics.sourceClockOffset();
    }

    /** A table changed at the target other than through this direction: its definition is read again when used. */
    void targetDefinitionsChanged() {
        if (applier != null) {
            applier.close();
        }
    }

    private void resetConnection() {
        if (applier != null) {
            applier.close();
            applier = null;
        }
        connections.closeConnection();
    }

    private void record(CheckpointBatch c, ChangeApplier.Result result) {
        ApplyOutcome outcome = result.outcome();
        long now = clock.getAsLong();
        Set<String> transactions = new HashSet<>();
        long rows = 0;
        long snapshotRows = 0;
        for (ChangeEvent e : c.events()) {
            if (e.op() != Op.READ) {
                // the loop filter passes no snapshot row of Ferry's tables, so a heartbeat too means the binlog
                metrics.streaming();
            }
            if (e.op() == Op.HEARTBEAT) {
                if (settings.isOwnHeartbeat(e)) {
                    metrics.heartbeat(settings.heartbeatTimestamp(e), now, e.sourceTsMs());
                }
            } else if (e.op() != Op.DDL && e.op() != Op.UNDECODABLE && !e.isOwnWrite()) {
                if (e.op() != Op.READ) {
                    metrics.changeApplied(e.sourceTsMs());
                }
                rows++;
                snapshotRows += e.op() == Op.READ ? 1 : 0;
                if (e.txId() != null) {
                    transactions.add(e.txId());
                }
            }
        }
        if (outcome == ApplyOutcome.APPLIED) {
            metrics.applied(rows, transactions.size());
            metrics.snapshotRows(snapshotRows);
            metrics.conflictFollowUps(result.followUps());
            for (ConflictRecord conflict : result.conflicts()) {
                metrics.conflict(conflict.type(), conflict.resolution());
                if (conflict.resolution() == Resolution.KEPT_FOR_OPERATOR) {
                    LOG.warn("{}: conflict on {} key {} ({}) kept for an operator: see ferry.ferry_conflict at {}",
                            settings.direction(), conflict.event().table(), conflict.key(), conflict.type().label(),
                            settings.target());
                }
            }
        } else if (outcome == ApplyOutcome.DDL_APPLIED
                || outcome == ApplyOutcome.DDL_ALREADY_SATISFIED) {
            metrics.ddl(outcome == ApplyOutcome.DDL_APPLIED);
        } else if (outcome == ApplyOutcome.DDL_HELD) {
            metrics.ddlHeld();
        } else if (outcome == ApplyOutcome.ALREADY_APPLIED) {
            metrics.skippedRepeat();
            LOG.info("{}: {} was already applied to {}; skipped", settings.direction(), c, settings.target());
        }
    }

    @Override
    public void close() {
        resetConnection();
    }

    /** A commit that cannot succeed by retrying: names the direction, target and the failing change. */
    static final class ApplyFailedException extends RuntimeException {
        ApplyFailedException(SinkSettings settings, CheckpointBatch c, SQLException cause) {
            super(settings.direction() + ": could not apply " + c + " to " + settings.target() + ": "
                    + cause.getMessage() + (cause.getSQLState() == null ? "" : " [SQLState " + cause.getSQLState()
                    + ", error " + cause.getErrorCode() + "]") + ". Nothing of this committable was applied;"
                    + " Ferry will retry it after the job restarts.", cause);
        }
    }
}
