package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.conflict.ConflictRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Applies one committable to the target as one local transaction: first the commit-marker row
 * (which makes a repeated commit a no-op and stamps the transaction for the loop filter), then the
 * rows, batched per table and statement, each key's rows in source order (an {@link ApplyPass} and its
 * {@link RowBatch}es). This class owns the transaction: its locks, its retries with a table read anew
 * or held, its commit; held tables an operator decided on are replayed first ({@link HeldTableRelease}).
 *
 * <p>Conflicts are detected by the statements themselves, at no extra round trip: an INSERT fails
 * on an existing key, and UPDATE and DELETE carry the before image in their WHERE clause (null-safe,
 * exact), so a row count of 0 means the target row is gone or differs. Only those rows go to the
 * {@link ConflictResolver}, one at a time, before the next batch runs.
 */
final class ChangeApplier implements AutoCloseable {
    private static final int PRUNE_EVERY = 1000;
    /** The subtask in the ids of transactions that replay held changes, and of the records of refused changes. */
    static final int REPLAY_SUBTASK = -1;

    /** What one apply did: its outcome, the conflicts it recorded, and how many more only continued an earlier record (follow-ups). */
    record Result(ApplyOutcome outcome, List<ConflictRecord> conflicts, long followUps) {
        static Result of(ApplyOutcome outcome) {
            return new Result(outcome, List.of(), 0);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

    private final ApplyContext ctx;
    private final Connection connection;
    private final String direction;
    private final CommitMarkers markers;
    private final DdlApplier ddl;
    /** For PostgreSQL and Oracle targets: DDL generated from structured changes; else null. */
    private final TranslatedDdlApplier translatedDdl;
    /** Tables waiting for an operator: a DDL that cannot be translated, or a row change the target refuses. */
    private final HeldTables held;
    private final HeldTableRelease release;
    private final ConflictLog conflictLog;
    private final ConflictMemory memory;
    private final LongSupplier clock;
    /** Whether the open transaction holds the locks of {@link #lockRows}, which the apply goes on in. */
    private boolean rowsLocked;
    /** A table whose rows {@link #lockRows} could not lock in time, or null: then the apply must not go on. */
    private TableId notLocked;
    private long commits;

    /** An applier with a memory of its own, as used outside the apply operator. */
    ChangeApplier(Connection connection, Dialect dialect, String channel, String direction, int batchSize,
            ConflictRules rules) throws SQLException {
        this(connection, dialect, channel, direction, batchSize, rules, ConflictMemory.inMap(), Concurrency.NONE,
                System::currentTimeMillis);
    }

    ChangeApplier(Connection connection, Dialect dialect, String channel, String direction, int batchSize,
            ConflictRules rules, ConflictMemory memory, Concurrency concurrent, LongSupplier clock)
            throws SQLException {
        this.memory = memory;
        this.clock = clock;
        this.connection = connection;
        this.direction = direction;
        this.markers = new CommitMarkers(connection, dialect, channel, direction);
        this.ctx = new ApplyContext(connection, dialect, rules, markers, concurrent, batchSize);
        this.ddl = new DdlApplier(connection, markers, channel, direction);
        this.held = new HeldTables(connection, dialect, channel, direction);
        this.translatedDdl = dialect.schema() == null ? null
                : new TranslatedDdlApplier(connection, dialect, markers, held, channel, direction);
        this.conflictLog = new ConflictLog(connection, dialect, channel, direction);
        this.release = new HeldTableRelease(ctx, held, ddl, translatedDdl, conflictLog, memory, clock, direction);
        try (Statement s = connection.createStatement()) {
            for (String sql : dialect.sessionSetup()) {
                s.execute(sql);
            }
        }
        connection.setAutoCommit(false);
    }

    /**
     * Begins the apply transaction of {@code c} by locking every row it changes (of an absent row, the gap of its
     * key), so that the target's own writes to them from now on wait for this transaction and follow it. The caller
     * then lets the target history catch up (a read barrier) and calls {@link #apply}, which goes on in this
     * transaction: every target write it must decide against is then in the history (docs/conflicts.md). A table
     * that cannot be read here is left to the apply, which holds it if it must. A deadlock is thrown: it took every
     * lock with it (see BatchCommitter#lockRows). A lock wait time-out (a target transaction holds some of the rows)
     * ends the locking, and the next {@link #apply} fails as worth retrying, before it writes anything: going on,
     * that transaction could commit a write to the rows after the barrier, unseen by the history, before the apply.
     */
    void lockRows(CheckpointBatch c) throws SQLException {
        connection.rollback();
        notLocked = null;
        Map<List<Object>, Map<String, Object[]>> byTable = new LinkedHashMap<>();
        for (ChangeEvent e : c.events()) {
            if (e.op() == Op.INSERT || e.op() == Op.UPDATE || e.op() == Op.DELETE) {
                Map<String, Object[]> keys = byTable.computeIfAbsent(List.of(e.table(), e.schema()),
                        t -> new LinkedHashMap<>());
                keys.put(Arrays.deepToString(e.key()), e.key());
                if (e.changesKey()) {
                    keys.put(Arrays.deepToString(e.keyOf(e.before())), e.keyOf(e.before()));
                }
            }
        }
        for (Map.Entry<List<Object>, Map<String, Object[]>> t : byTable.entrySet()) {
            TableId table = (TableId) t.getKey().get(0);
            RowSchema schema = (RowSchema) t.getKey().get(1);
            List<Object[]> keys = List.copyOf(t.getValue().values());
            int chunk = Statements.rowsPerStatement(1 + schema.keyIndexes().length);
            try {
                for (int from = 0; from < keys.size(); from += chunk) {
                    int to = Math.min(keys.size(), from + chunk);
                    try (PreparedStatement ps = connection.prepareStatement(
                            ctx.dialect.probeRows(table, schema, TableGuards.NONE, to - from))) {
                        int index = 1;
                        for (int i = from; i < to; i++) {
                            ps.setInt(index++, i);
                            index = ctx.statements.bindValues(ps, index, keys.get(i));
                        }
                        ps.executeQuery().close();
                    }
                }
            } catch (SQLException unreadable) {
                if (Retry.isDeadlock(unreadable)) {
                    throw unreadable; // the server rolled back the transaction: every lock taken so far went with it
                }
                if (Retry.isLockWaitTimeout(unreadable)) {
                    notLocked = table;
                    break;
                }
                LOG.debug("{}: rows of {} not locked before the read barrier: {}", direction, table,
                        unreadable.getMessage());
            }
        }
        rowsLocked = true;
    }

    Result apply(CheckpointBatch committable) throws SQLException {
        if (notLocked != null) {
            TableId table = notLocked;
            notLocked = null;
            rowsLocked = false;
            connection.rollback();
            throw new SQLTransactionRollbackException(direction + ": the rows of " + table + " could not be locked"
                    + " before the read barrier: a transaction at the target held them past its lock wait time-out."
                    + " Nothing was written; the rows are locked again. Fix, if this repeats: end that transaction"
                    + " (information_schema.INNODB_TRX names it)", "40001", 1205);
        }
        List<ConflictRecord> released = release.releaseDecided(rowsLocked);
        Result result;
        try {
            result = applyCommittable(writable(committable));
        } finally {
            rowsLocked = false;
        }
        if (released.isEmpty()) {
            return result;
        }
        List<ConflictRecord> all = new ArrayList<>(released);
        all.addAll(result.conflicts());
        return new Result(result.outcome(), all, result.followUps());
    }

    /** The committable with each row change without the columns its target table generates (TargetTables#writable). */
    private CheckpointBatch writable(CheckpointBatch c) {
        List<ChangeEvent> events = new ArrayList<>(c.events().size());
        boolean changed = false;
        for (ChangeEvent e : c.events()) {
            ChangeEvent w = ctx.tables.writable(e);
            changed |= w != e;
            events.add(w);
        }
        return changed ? new CheckpointBatch(c.subtask(), c.epoch(), c.sequence(), events) : c;
    }

    private Result applyCommittable(CheckpointBatch committable) throws SQLException {
        if (committable.events().size() == 1 && committable.events().get(0).op() == Op.DDL) {
            try {
                ChangeEvent event = committable.events().get(0);
                if (translatedDdl != null) {
                    return Result.of(translatedDdl.apply(committable, event));
                }
                return Result.of(held.isHeld(event.table()) ? keepDdl(committable, event) : ddl.apply(committable, event));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            } finally {
                close(); // statements and column types of the old table definition
            }
        }
        if (committable.events().stream().allMatch(e -> e.op() == Op.HEARTBEAT)) {
            return Result.of(ApplyOutcome.EMPTY);
        }
        Set<TableId> rowByRow = new HashSet<>();
        Map<TableId, RefusedChange> refused = new LinkedHashMap<>();
        Set<TableId> unreadable = new HashSet<>();
        Set<TableId> reread = new HashSet<>();
        while (true) {
            try {
                return applyRows(committable, rowByRow, refused, unreadable);
            } catch (RefusedChange r) {
                if (reread.add(r.table())) {
                    close(); // again, with the table read anew: it may have changed at the target (a local ALTER)
                    continue;
                }
                if (r.event() == null && rowByRow.add(r.table())) {
                    continue; // again, that table's rows one by one: which change does the target refuse?
                }
                if (held.isHeld(r.table())) {
                    throw r; // a held table's rows are kept, not written: this cannot be
                }
                refused.put(r.table(), r.event() != null ? r : r.of(committable.events().stream()
                        .filter(e -> e.table().equals(r.table())).findFirst().orElseThrow()));
                held.markHeld(r.table()); // and again: the table's rows wait, the others are written
                close(); // the target's table may differ from what was read of it (a column dropped there)
            }
        }
    }

    /**
     * Applies a committable's rows in one transaction; the rows of held tables wait in ferry_held, and a change the
     * target refused ({@code refused}, one per table, from an earlier try of this committable) holds its table. So
     * does a change the source reader could not read, of a table not held yet ({@code unreadable}, filled here).
     */
    private Result applyRows(CheckpointBatch committable, Set<TableId> rowByRow, Map<TableId, RefusedChange> refused,
            Set<TableId> unreadable) throws SQLException {
        PendingMemory pending = new PendingMemory(memory, clock.getAsLong());
        try {
            for (TableId t : committable.events().stream().map(ChangeEvent::table).distinct().toList()) {
                if (held.isHeld(t) && !refused.containsKey(t) && !unreadable.contains(t)) {
                    held.confirm(t); // released meanwhile by another subtask? then its rows are written
                }
            }
            for (ChangeEvent e : committable.events()) {
                if (e.op() == Op.UNDECODABLE && !held.isHeld(e.table())) {
                    // it cannot be applied, nor can the table's changes after it: the table's rows of this
                    // committable wait with it (those before it apply first when the operator releases the table)
                    unreadable.add(e.table());
                    held.markHeld(e.table());
                }
            }
            long rows = committable.events().stream()
                    .filter(e -> e.op() != Op.HEARTBEAT && !e.isOwnWrite() && !held.isHeld(e.table())).count();
            if (rows == 0 && committable.events().stream().noneMatch(e -> held.isHeld(e.table()))) {
                connection.rollback();
                return Result.of(ApplyOutcome.EMPTY); // heartbeats, and echoes restored from an older Ferry's state
            }
            if (!markers.insert(committable, rows)) {
                connection.rollback();
                reloadMemory();
                return Result.of(ApplyOutcome.ALREADY_APPLIED);
            }
            ApplyPass pass = new ApplyPass(ctx, committable, rowByRow);
            long kept = 0;
            List<String> holds = new ArrayList<>();
            UnreadableChanges unreadables = new UnreadableChanges(held, unreadable);
            for (ChangeEvent e : committable.events()) {
                if (e.op() == Op.DDL) {
                    throw new IllegalStateException("DDL inside a row committable: " + e);
                }
                if (e.op() == Op.HEARTBEAT || e.isOwnWrite()) {
                    continue; // an echo restored from an older Ferry's state: the target history decides now (docs/conflicts.md)
                }
                if (e.op() == Op.UNDECODABLE) {
                    unreadables.add(e); // its table is held (above, or before)
                    kept++;
                } else if (held.isHeld(e.table())) {
                    long id = held.keep(e); // waits for an operator's decision on the table
                    kept++;
                    RefusedChange r = refused.get(e.table());
                    if (r != null && r.event() == e) {
                        holds.add(held.recordRefusal(id, r));
                    }
                } else {
                    pass.add(e);
                }
            }
            pass.flush();
            holds.addAll(unreadables.record());
            List<ConflictRecord> recorded = conflictLog.write(pass.conflicts, pending);
            if (++commits % PRUNE_EVERY == 0) {
                markers.prune(committable.subtask());
                markers.prune(REPLAY_SUBTASK);
            }
            connection.commit();
            holds.forEach(LOG::error);
            pending.commit(committable.events());
            return new Result(ApplyOutcome.APPLIED, recorded, pass.conflicts.size() - recorded.size());
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** A DDL of a held table (MySQL-family targets) waits with the table's rows. */
    private ApplyOutcome keepDdl(CheckpointBatch committable, ChangeEvent event) throws SQLException {
        try {
            if (!markers.insert(committable, 0)) {
                connection.rollback();
                return ApplyOutcome.ALREADY_APPLIED;
            }
            held.keep(event);
            connection.commit();
            return ApplyOutcome.DDL_HELD;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * Fills the memory from the target's conflict records of the last hour. A committable found already applied
     * was committed by an earlier run whose decisions may have missed the memory: it is updated after the
     * commit, and so reaches only a later checkpoint than the committable. The same holds for a memory that
     * starts empty while the target has records.
     */
    void reloadMemory() throws SQLException {
        try {
            conflictLog.recent(RowMemory.SPAN).forEach(memory::update);
            memory.expire(clock.getAsLong());
        } finally {
            connection.rollback();
        }
    }

    /** How many tables wait for an operator's decision. */
    int heldTableCount() {
        return held.count();
    }

    private void rollbackQuietly(Exception cause) {
        rowsLocked = false;
        ctx.rollbackQuietly(cause);
    }

    /** Forgets prepared statements and table definitions: the next apply reads the target's tables anew. */
    @Override
    public void close() {
        ctx.forgetDefinitions();
    }

    /** The unique values {@code e}'s row holds at the target once {@code e} is applied (see UniqueValues). */
    List<String> uniqueValues(ChangeEvent e) throws SQLException {
        return ctx.uniqueValues(e);
    }
}
