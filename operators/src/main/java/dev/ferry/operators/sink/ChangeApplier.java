package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Applies one committable to the target as one local transaction: first the commit-marker row
 * (which makes a repeated commit a no-op and stamps the transaction for the loop filter), then the
 * rows, batched per table and statement, each key's rows in source order (see {@link Pass}).
 *
 * <p>Conflicts are detected by the statements themselves, at no extra round trip: an INSERT fails
 * on an existing key, and UPDATE and DELETE carry the before image in their WHERE clause (null-safe,
 * exact), so a row count of 0 means the target row is gone or differs. Only those rows go to the
 * {@link ConflictResolver}, one at a time, before the next batch runs.
 */
final class ChangeApplier implements AutoCloseable {
    private static final int PRUNE_EVERY = 1000;
    /** Runs of at least this many updates or deletes are checked by one probe statement. */
    private static final int PROBE_FROM_ROWS = 4;
    /** The subtask in the ids of transactions that replay held changes, and of the records of refused changes. */
    static final int REPLAY_SUBTASK = -1;

    /** What happened to one committable. */
    enum Outcome { APPLIED, ALREADY_APPLIED, EMPTY, DDL_APPLIED, DDL_ALREADY_SATISFIED, DDL_HELD }

    /** What one apply did: its outcome, the conflicts it recorded, and how many more only continued an earlier record (follow-ups). */
    record Result(Outcome outcome, List<ConflictRecord> conflicts, long followUps) {
        static Result of(Outcome outcome) {
            return new Result(outcome, List.of(), 0);
        }
    }

    private final Connection connection;
    private final Dialect dialect;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeApplier.class);

    private final String channel;
    private final String direction;
    private final CommitMarkers markers;
    private final DdlApplier ddl;
    /** For PostgreSQL and Oracle targets: DDL generated from structured changes; else null. */
    private final TranslatedDdlApplier translatedDdl;
    /** Tables waiting for an operator: a DDL that cannot be translated, or a row change the target refuses. */
    private final HeldTables held;
    private final int batchSize;
    private final ConflictRules rules;
    private final TargetTables tables;
    private final Statements statements;
    /** MySQL-family targets: inserts as Ferry's own multi-row statements; else null (a JDBC batch). */
    private final MultiRowInsert multiRowInsert;
    private final ConflictResolver resolver;
    private final ConflictLog conflictLog;
    private final ConflictMemory memory;
    private final LongSupplier clock;
    /** What the target history says about an incoming change (see TargetHistory). */
    private final Concurrency concurrent;
    /** The memory as the apply in progress sees it. */
    private PendingMemory pending;
    /**
     * Tables whose last batch of inserts met existing rows: their next batch is probed before it is written (the
     * rows a conflict stream keeps meeting), until a probe finds none.
     */
    private final Set<TableId> insertsMeetRows = new HashSet<>();
    /** Whether the open transaction holds the locks of {@link #lockRows}, which the apply goes on in. */
    private boolean rowsLocked;
    /** Whether rows of different keys may be batched out of source order (see Pass). */
    private final boolean reorders;
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
        this.concurrent = concurrent;
        this.pending = new PendingMemory(memory, clock.getAsLong());
        this.connection = connection;
        this.dialect = dialect;
        this.channel = channel;
        this.direction = direction;
        this.markers = new CommitMarkers(connection, dialect, channel, direction);
        this.ddl = new DdlApplier(connection, markers, channel, direction);
        this.held = new HeldTables(connection, dialect, channel, direction);
        this.translatedDdl = dialect.schema() == null ? null
                : new TranslatedDdlApplier(connection, dialect, markers, held, channel, direction);
        this.batchSize = batchSize;
        this.rules = rules;
        this.tables = new TargetTables(connection, dialect);
        this.statements = new Statements(connection, dialect);
        this.conflictLog = new ConflictLog(connection, dialect, channel, direction);
        this.resolver = new ConflictResolver(dialect, rules, statements);
        this.reorders = dialect.applyIgnoresForeignKeys();
        this.multiRowInsert = dialect.schema() == null ? new MultiRowInsert(connection, dialect, statements, batchSize)
                : null;
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
     * lock with it (see FerryCommitter#lockRows).
     */
    void lockRows(FerryCommittable c) throws SQLException {
        connection.rollback();
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
                            dialect.probeRows(table, schema, TableGuards.NONE, to - from))) {
                        int index = 1;
                        for (int i = from; i < to; i++) {
                            ps.setInt(index++, i);
                            index = statements.bindValues(ps, index, keys.get(i));
                        }
                        ps.executeQuery().close();
                    }
                }
            } catch (SQLException unreadable) {
                if (Retry.isDeadlock(unreadable)) {
                    throw unreadable; // the server rolled back the transaction: every lock taken so far went with it
                }
                LOG.debug("{}: rows of {} not locked before the read barrier: {}", direction, table,
                        unreadable.getMessage());
            }
        }
        rowsLocked = true;
    }

    Result apply(FerryCommittable committable) throws SQLException {
        List<ConflictRecord> released = releaseDecidedTables();
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
    private FerryCommittable writable(FerryCommittable c) {
        List<ChangeEvent> events = new ArrayList<>(c.events().size());
        boolean changed = false;
        for (ChangeEvent e : c.events()) {
            ChangeEvent w = tables.writable(e);
            changed |= w != e;
            events.add(w);
        }
        return changed ? new FerryCommittable(c.subtask(), c.epoch(), c.sequence(), events) : c;
    }

    private Result applyCommittable(FerryCommittable committable) throws SQLException {
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
            return Result.of(Outcome.EMPTY);
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
    private Result applyRows(FerryCommittable committable, Set<TableId> rowByRow, Map<TableId, RefusedChange> refused,
            Set<TableId> unreadable) throws SQLException {
        pending = new PendingMemory(memory, clock.getAsLong());
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
                return Result.of(Outcome.EMPTY); // heartbeats, and echoes restored from an older Ferry's state
            }
            if (!markers.insert(committable, rows)) {
                connection.rollback();
                reloadMemory();
                return Result.of(Outcome.ALREADY_APPLIED);
            }
            Pass pass = new Pass(committable, rowByRow);
            long kept = 0;
            List<String> holds = new ArrayList<>();
            Unreadables unreadables = new Unreadables(unreadable);
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
                        holds.add(hold(id, r));
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
            return new Result(Outcome.APPLIED, recorded, pass.conflicts.size() - recorded.size());
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** A DDL of a held table (MySQL-family targets) waits with the table's rows. */
    private Outcome keepDdl(FerryCommittable committable, ChangeEvent event) throws SQLException {
        try {
            if (!markers.insert(committable, 0)) {
                connection.rollback();
                return Outcome.ALREADY_APPLIED;
            }
            held.keep(event);
            connection.commit();
            return Outcome.DDL_HELD;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * The changes of one apply transaction that the source reader could not read. The first of a table not held on
     * such changes yet waits in ferry_held and holds the table (a new record); the others are counted in the record
     * of their table's hold. One of a table held for another reason waits in ferry_held: when the operator's decision
     * reaches it, it holds the table (see {@link #replay}).
     */
    private final class Unreadables {
        private final Set<TableId> newlyHeld;
        /** The tables' open holds on undecodable changes, as this transaction counts them; null: none. */
        private final Map<TableId, UnreadableHold> holds = new LinkedHashMap<>();
        private final Map<TableId, ChangeEvent> firsts = new HashMap<>();

        Unreadables(Set<TableId> newlyHeld) {
            this.newlyHeld = newlyHeld;
        }

        void add(ChangeEvent e) throws SQLException {
            TableId t = e.table();
            UnreadableHold hold = holds.containsKey(t) ? holds.get(t) : held.unreadableHold(t);
            if (hold != null) {
                holds.put(t, hold.plus(e));
                return;
            }
            long id = held.keep(e);
            if (newlyHeld.contains(t)) {
                holds.put(t, UnreadableHold.at(id, e));
                firsts.put(t, e);
            } else {
                holds.put(t, null);
            }
        }

        /** Writes the holds' records, in the current transaction; returns the ERROR lines to log once it commits. */
        List<String> record() throws SQLException {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<TableId, UnreadableHold> h : holds.entrySet()) {
                if (h.getValue() == null) {
                    continue;
                }
                ChangeEvent first = firsts.get(h.getKey());
                if (first == null) {
                    held.countUnreadable(h.getValue(), h.getKey());
                } else {
                    lines.add(holdUnreadable(h.getValue(), first));
                }
            }
            return lines;
        }
    }

    /**
     * Records a hold on changes the source reader could not read (the first kept as {@code hold.seq()}), in the
     * current transaction; returns the ERROR line to log once that commits.
     */
    private String holdUnreadable(UnreadableHold hold, ChangeEvent first) throws SQLException {
        String detail = UnreadableHold.detail(first);
        held.holdUnreadable(hold, first, detail);
        return direction + ": " + detail + " Its later changes wait in ferry.ferry_held, other tables go on (the row of"
                + " ferry.ferry_ddl with channel '" + channel + "', direction '" + direction + "', subtask -1, epoch 0,"
                + " seq " + hold.seq() + ").";
    }

    /**
     * Records the refused change (kept as {@code heldId}) and holds its table, in the current transaction; returns
     * the ERROR line to log once that commits.
     */
    private String hold(long heldId, RefusedChange r) throws SQLException {
        TargetRefusal refusal = r.refusal();
        String detail = refusal.describe(r.table()) + ". Fix: " + refusal.fix() + ".";
        held.holdRefused(heldId, r.event(), HeldTables.describe(r.event()), detail);
        return direction + ": " + r.table() + " is HELD: the target refused " + r.event() + ": " + refusal.error()
                + ". Reason: " + refusal.reason().cause + ". Its changes wait in ferry.ferry_held; other tables go on."
                + " Fix: " + refusal.fix() + " (the row of ferry.ferry_ddl with channel '" + channel + "', direction '"
                + direction + "', subtask -1, epoch 0, seq " + heldId + ").";
    }

    /**
     * Carries out operators' decisions on held tables (see {@link HeldTables}): runs the given SQL (if any), then the
     * table's waiting changes in order, in transactions stamped with a commit marker of their own, up to each DDL
     * among them, which is applied (or held again) in a transaction of its own. A change the target refuses again
     * holds the table again, with the new error.
     */
    private List<ConflictRecord> releaseDecidedTables() throws SQLException {
        List<ConflictRecord> recorded = new ArrayList<>();
        try {
            held.refresh();
            List<HeldTables.Decision> decisions = held.decisions();
            if (decisions.isEmpty()) {
                if (!rowsLocked) {
                    connection.rollback(); // ends the read's snapshot: the apply then sees the target as it is
                }
                return recorded;
            }
            rowsLocked = false; // a replay commits: the locks (and the barrier's worth) are gone
            for (HeldTables.Decision decision : decisions) {
                HeldTables.Decision d = "manual".equals(decision.outcome()) ? runManualSql(decision) : decision;
                if (d != null) {
                    recorded.addAll(replay(d));
                }
            }
            return recorded;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * Runs a {@code manual} decision's SQL and turns the decision into {@code retry}; null if the SQL failed (the
     * table is held again, with that error).
     */
    private HeldTables.Decision runManualSql(HeldTables.Decision d) throws SQLException {
        if (d.manualSql() != null && !d.manualSql().isBlank()) {
            try (Statement s = connection.createStatement()) {
                s.execute(d.manualSql());
            } catch (SQLException e) {
                rollbackQuietly(e);
                if (Retry.isRetriable(e)) {
                    throw e;
                }
                String detail = "the manual_sql of the decision failed (SQLState " + e.getSQLState() + ", error "
                        + e.getErrorCode() + ": " + e.getMessage() + "). Fix: correct manual_sql and set outcome ="
                        + " 'manual' again, or change the target yourself and set outcome = 'retry'.";
                held.holdAgain(d, detail);
                connection.commit();
                LOG.error("{}: {} stays HELD: {}", direction, d.table(), detail);
                return null;
            }
        }
        // undecodable changes were never kept: the operator's SQL stands in for them, so they are dropped
        String next = d.unreadable() ? "skip" : "retry";
        held.manualSqlDone(d, next);
        connection.commit();
        return new HeldTables.Decision(d.table(), next, null, d.subtask(), d.epoch(), d.seq(), d.unreadable());
    }

    /**
     * Applies a table's waiting changes after an operator's decision. The decision's record is locked before the
     * waiting changes are read, so that no other subtask adds to them meanwhile (see {@link HeldTables#confirm}).
     */
    private List<ConflictRecord> replay(HeldTables.Decision d) throws SQLException {
        close(); // the operator may have changed the table at the target: read its definition again
        Set<TableId> rowByRow = new HashSet<>();
        List<ConflictRecord> recorded = new ArrayList<>();
        Map<Long, ChangeEvent> waiting = Map.of();
        long skipped = -1;
        long done = Long.MIN_VALUE; // the last waiting change applied (or dropped) and committed
        boolean claimed = false;
        while (true) {
            try {
                if (!claimed) {
                    if (!held.lock(d)) {
                        connection.rollback();
                        return recorded; // another subtask carried the decision out
                    }
                    waiting = new LinkedHashMap<>(held.waiting(d.table()));
                    waiting.replaceAll((seq, e) -> tables.writable(e)); // kept before the target generated a column
                    ChangeEvent decided = d.subtask() == REPLAY_SUBTASK ? waiting.get(d.seq()) : null;
                    if (d.unreadable() && "retry".equals(d.outcome())) {
                        refuseRetry(d, decided);
                        return recorded;
                    }
                    // a skip of a refused row drops that row; a skip of a held DDL only says it was made by hand
                    skipped = "skip".equals(d.outcome()) && decided != null && decided.op() != Op.DDL ? d.seq() : -1;
                }
                List<Map.Entry<Long, ChangeEvent>> segment = new ArrayList<>();
                for (Map.Entry<Long, ChangeEvent> w : waiting.entrySet()) {
                    if (w.getKey() <= done) {
                        continue;
                    }
                    if (w.getValue().op() == Op.UNDECODABLE && w.getKey() != skipped) {
                        // kept while the table was held for another reason: it holds the table from here on, in the
                        // transaction that carries the decision out up to it
                        long at = w.getKey();
                        Map<Long, ChangeEvent> all = waiting;
                        List<String> line = new ArrayList<>();
                        recorded.addAll(applySegment(d, segment, !claimed, skipped, rowByRow,
                                () -> line.add(holdUnreadableAgain(d.table(), at, all))));
                        line.forEach(LOG::error);
                        return recorded;
                    }
                    if (w.getValue().op() != Op.DDL) {
                        segment.add(w);
                        continue;
                    }
                    recorded.addAll(applySegment(d, segment, !claimed, skipped, rowByRow, null));
                    claimed = true;
                    done = w.getKey() - 1;
                    segment.clear();
                    boolean applied = replayDdl(d.table(), w.getKey(), w.getValue());
                    done = w.getKey();
                    if (!applied) {
                        return recorded; // held again at that DDL
                    }
                }
                recorded.addAll(applySegment(d, segment, !claimed, skipped, rowByRow, null));
                LOG.info("{}: released {} after the operator's decision '{}'", direction, d.table(), d.outcome());
                return recorded;
            } catch (RefusedChange r) {
                if (r.event() == null && rowByRow.add(r.table())) {
                    continue; // rolled back: again, the table's rows one by one, to learn which is refused
                }
                holdAgain(d, r, waiting, skipped);
                return recorded;
            }
        }
    }

    /**
     * A {@code retry} of changes the source reader could not read: there is nothing to apply, so the table stays held,
     * with why in the record's detail.
     */
    private void refuseRetry(HeldTables.Decision d, ChangeEvent first) throws SQLException {
        try {
            String detail = "'retry' cannot apply changes the source reader could not read: they carry no values."
                    + (first == null ? "" : " " + UnreadableHold.detail(first));
            held.holdAgain(d, detail);
            connection.commit();
            LOG.error("{}: {} stays HELD: {}", direction, d.table(), detail);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * A replay reached a waiting change the source reader could not read ({@code heldId}): it holds the table again,
     * with the later such changes of the table counted in its record (and no longer kept), in the current
     * transaction; returns the ERROR line to log once that commits.
     */
    private String holdUnreadableAgain(TableId table, long heldId, Map<Long, ChangeEvent> waiting)
            throws SQLException {
        ChangeEvent first = waiting.get(heldId);
        UnreadableHold hold = UnreadableHold.at(heldId, first);
        for (Map.Entry<Long, ChangeEvent> w : waiting.entrySet()) {
            if (w.getKey() > heldId && w.getValue().op() == Op.UNDECODABLE) {
                hold = hold.plus(w.getValue());
                held.forget(table, w.getKey());
            }
        }
        return holdUnreadable(hold, first);
    }

    /** Work of the caller's that must commit with a replay's transaction. */
    private interface InTransaction {
        void run() throws SQLException;
    }

    /**
     * One transaction of a replay: a commit marker of its own (which stamps it for the loop filter, and counts its
     * rows), the decision's record (in the first: {@code claim}), the rows, then {@code also} (if not null).
     */
    private List<ConflictRecord> applySegment(HeldTables.Decision d, List<Map.Entry<Long, ChangeEvent>> segment,
            boolean claim, long skipped, Set<TableId> rowByRow, InTransaction also) throws SQLException {
        pending = new PendingMemory(memory, clock.getAsLong());
        try {
            if (!segment.isEmpty()) {
                long rows = segment.stream().filter(w -> w.getKey() != skipped && !w.getValue().isOwnWrite()).count();
                FerryCommittable replayed = new FerryCommittable(REPLAY_SUBTASK, segment.get(0).getKey(),
                        segment.get(segment.size() - 1).getKey(), List.of());
                if (!markers.insert(replayed, rows)) {
                    throw new SQLException("the held changes " + replayed.epoch() + " to " + replayed.sequence()
                            + " of " + d.table() + " are still in ferry_held but marked as applied in ferry_commit");
                }
            }
            if (claim) {
                held.released(d, skipped >= 0 ? "skipped" : "released");
            }
            Pass pass = new Pass(null, rowByRow);
            for (Map.Entry<Long, ChangeEvent> w : segment) {
                if (w.getKey() != skipped) {
                    pass.add(w.getValue());
                }
            }
            pass.flush();
            List<ConflictRecord> recorded = conflictLog.write(pass.conflicts, pending);
            if (!segment.isEmpty()) {
                held.release(d.table(), segment.get(segment.size() - 1).getKey());
            }
            if (also != null) {
                also.run();
            }
            connection.commit();
            pending.commit(List.of());
            return recorded;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    /** Applies a waiting DDL in a transaction of its own; false if it is held (again). */
    private boolean replayDdl(TableId table, long heldId, ChangeEvent event) throws SQLException {
        if (translatedDdl == null) {
            ddl.apply(new FerryCommittable(REPLAY_SUBTASK, heldId, heldId, List.of(event)), event);
            close(); // statements and column types of the old table definition
            held.release(table, heldId);
            connection.commit();
            return true;
        }
        TranslatedDdlApplier.Attempt attempt = translatedDdl.applyInPlace(event);
        close();
        translatedDdl.recordReplayed(heldId, event, attempt);
        held.release(table, heldId);
        connection.commit();
        return !attempt.isHeld();
    }

    /**
     * A replayed change was refused (all of its transaction rolled back): the decision is carried out as far as it
     * got (a skip still drops its change), and the table is held again at the refused change, with the new error.
     */
    private void holdAgain(HeldTables.Decision d, RefusedChange r, Map<Long, ChangeEvent> waiting, long skipped)
            throws SQLException {
        long failed = waiting.entrySet().stream().filter(w -> w.getValue() == r.event()).mapToLong(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalStateException("refused change not among the waiting: " + r));
        try {
            if (held.released(d, skipped >= 0 ? "skipped" : "released") && skipped >= 0) {
                held.forget(d.table(), skipped);
            }
            String line = hold(failed, r);
            connection.commit();
            LOG.error(line);
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
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        statements.close();
        tables.forget();
    }

    /** The unique values {@code e}'s row holds at the target once {@code e} is applied (see UniqueValues). */
    List<String> uniqueValues(ChangeEvent e) throws SQLException {
        return UniqueValues.of(e.table(), tables.table(e.table()), e.schema(), e.after());
    }

    /** How a row goes to the target. */
    private enum Kind {
        /** A snapshot row: the source's copy is the truth, written over whatever is there. */
        UPSERT,
        INSERT,
        UPDATE,
        /** An update that moves the row to another key: one guarded UPDATE statement each. */
        UPDATE_KEY,
        DELETE,
        /** A change concurrent with a write at the target: decided by the table's policy, one at a time. */
        CONCURRENT;

        static Kind of(ChangeEvent e, boolean concurrent) {
            if (concurrent && e.op() != Op.READ) {
                return CONCURRENT;
            }
            return switch (e.op()) {
                case READ -> UPSERT;
                case INSERT -> INSERT;
                case UPDATE -> e.changesKey() ? UPDATE_KEY : UPDATE;
                case DELETE -> DELETE;
                default -> throw new IllegalArgumentException("not a row change: " + e);
            };
        }
    }

    /**
     * One committable's walk through its rows: the batches being filled, and what it found so far.
     *
     * <p>Rows are batched per table, schema and kind (insert, update, delete, ...). Where the target checks no
     * foreign keys, rows of different keys may be written in another order than the source wrote them: they all
     * commit in this one transaction, so nobody sees the order, and each key's rows keep theirs (a row is added
     * to a batch only after every open batch holding its key was written). A table whose rows could meet through
     * anything but their exact primary key (a secondary unique key, or a text key that a collation folds) keeps
     * all its rows in source order. Otherwise (PostgreSQL and Oracle targets) a batch is written as soon as the
     * next row goes elsewhere: the source's order exactly.
     */
    private final class Pass {
        final FerryCommittable committable;
        /** Tables whose rows go one per batch: a batch of theirs failed as a whole, and the refused row is wanted. */
        final Set<TableId> rowByRow;
        final List<ConflictRecord> conflicts = new ArrayList<>();
        /** Open batches by table, schema and kind, in the order they were opened. */
        private final Map<List<Object>, Batch> open = new LinkedHashMap<>();
        /** The open batch that holds a row this ordering key belongs to. */
        private final Map<String, Batch> holders = new HashMap<>();
        /** Rows ({@link RowKeys}) changed earlier in this pass, and those whose change here was not written. */
        private final Set<String> met = new HashSet<>();
        private final Set<String> lost = new HashSet<>();
        /** The target's write each concurrent change of this pass meets. */
        private final Map<ChangeEvent, TargetHistory.LocalWrite> localWrites = new java.util.IdentityHashMap<>();
        /** The target's concurrent write that took a unique value of a change of this pass, in another row. */
        private final Map<ChangeEvent, TargetHistory.Take> takes = new java.util.IdentityHashMap<>();
        /** Ordinary deletes this pass wrote, by row: see {@link #removedWithItsDelete}. */
        private final Map<String, ChangeEvent> deleted = new HashMap<>();

        Pass(FerryCommittable committable, Set<TableId> rowByRow) {
            this.committable = committable;
            this.rowByRow = rowByRow;
        }

        /** Adds a row, writing the batches it must follow; a refusal names the table and, if known, the row. */
        void add(ChangeEvent e) throws SQLException {
            try {
                addRow(e);
            } catch (SQLException error) {
                throw RefusedChange.attribute(error, e.table(), e);
            }
        }

        private void addRow(ChangeEvent e) throws SQLException {
            String key = Arrays.deepToString(e.key());
            String oldKey = e.changesKey() ? Arrays.deepToString(e.keyOf(e.before())) : key;
            // both are asked (no short cut): each keeps what it found for the decision
            Kind kind = Kind.of(e, concurrentHere(e, key, oldKey) | takenHere(e));
            List<Object> id = List.of(e.table(), e.schema(), kind);
            List<String> order = orderingKeys(e, key, oldKey);
            for (Batch other : List.copyOf(open.values())) {
                if (!other.id.equals(id) && (!reorders || order.stream().anyMatch(k -> holders.get(k) == other))) {
                    flush(other);
                }
            }
            Batch batch = open.get(id);
            int limit = rowByRow.contains(e.table()) || kind == Kind.CONCURRENT ? 1 : batchSize;
            if (batch != null && (batch.batch.size() >= limit || batch.keys.contains(key)
                    || batch.keys.contains(oldKey))) {
                flush(batch);
                batch = null;
            }
            if (batch == null) {
                batch = new Batch(id, kind, e.table(), e.schema());
                open.put(id, batch);
            }
            batch.batch.add(e);
            batch.keys.add(key);
            batch.keys.add(oldKey);
            for (String k : order) {
                holders.put(k, batch);
            }
            batch.order.addAll(order);
        }

        /** What a row must stay in order with: rows of its key, or every row of its table (see the class). */
        private List<String> orderingKeys(ChangeEvent e, String key, String oldKey) throws SQLException {
            String table = e.table().toString();
            if (!reorders) {
                return List.of();
            }
            boolean textKey = Arrays.stream(e.key()).anyMatch(v -> v instanceof String);
            if (textKey || !tables.table(e.table()).uniqueKeys().isEmpty()) {
                return List.of(table);
            }
            return key.equals(oldKey) ? List.of(table + " " + key) : List.of(table + " " + key, table + " " + oldKey);
        }

        /** Writes every open batch. */
        void flush() throws SQLException {
            for (Batch b : List.copyOf(open.values())) {
                flush(b);
            }
        }

        private void flush(Batch b) throws SQLException {
            open.remove(b.id);
            for (String k : b.order) {
                holders.remove(k, b);
            }
            b.flush();
        }

        /**
         * Whether a change is concurrent with a write at the target. The first change of a row in this pass asks the
         * target history; a later one is concurrent only if the earlier change of the row was not written here (it
         * lost, was a delete that found the row gone, or was concurrent and found the target already holding its
         * version: the target's write is still the newest), as one that was
         * written replaced the target's write with one the source knows. So a row's earlier change is decided before
         * this one is looked at.
         */
        private boolean concurrentHere(ChangeEvent e, String key, String oldKey) throws SQLException {
            TargetHistory.LocalWrite local = concurrentWrite(e, key, oldKey);
            if (local != null) {
                localWrites.put(e, local);
            }
            return local != null;
        }

        /**
         * Whether a concurrent write at the target took one of the unique values {@code e} puts into its row, in
         * another row: the two collide through it, even where that row has let go of the value since.
         */
        private boolean takenHere(ChangeEvent e) throws SQLException {
            if ((e.op() != Op.INSERT && e.op() != Op.UPDATE) || tables.table(e.table()).uniqueKeys().isEmpty()) {
                return false;
            }
            TargetHistory.Take take = concurrent.take(e, uniqueValues(e));
            if (take != null) {
                takes.put(e, take);
            }
            return take != null;
        }

        private TargetHistory.LocalWrite concurrentWrite(ChangeEvent e, String key, String oldKey)
                throws SQLException {
            String row = RowKeys.of(e.table(), e.key());
            String oldRow = e.changesKey() ? RowKeys.of(e.table(), e.keyOf(e.before())) : row;
            boolean metBefore = !met.add(row) | (!oldRow.equals(row) && !met.add(oldRow));
            if (!metBefore) {
                return concurrent.write(e);
            }
            for (Batch b : List.copyOf(open.values())) {
                if (b.table.equals(e.table()) && (b.keys.contains(key) || b.keys.contains(oldKey))) {
                    flush(b);
                }
            }
            return lost.contains(row) || lost.contains(oldRow) ? concurrent.write(e) : null;
        }

        /**
         * Decides a change concurrent with a target write: against the write that took one of its unique values in
         * another row, where there is one and the change wins on its own row (if that write wins, the change is not
         * applied); then against the write to its own row, or, where there is none, as a change that did not fit.
         */
        private ConflictRecord decideConcurrent(ChangeEvent e, TableGuards guards) throws SQLException {
            TargetHistory.Take take = takes.get(e);
            TargetHistory.LocalWrite local = localWrites.get(e);
            // a change that loses on its own row is not applied, whatever it would take: as on the rows themselves,
            // where only a winner there is written and can collide
            if (take != null && (local == null || resolver.winsOwnRow(e, guards, local))) {
                ConflictRecord lost = resolver.lostToTake(e, guards, take);
                if (lost != null) {
                    return lost;
                }
            }
            if (local != null) {
                ConflictRecord decided = resolver.concurrentChange(e, guards, local);
                if (decided == null) {
                    // the target already held the incoming version: nothing was written, so the target's write is
                    // still the newest one the source had not seen, and the row's next change here is concurrent
                    // with it too (sysbench at both sites wrote the same value, then one deleted the row: both
                    // sites must see that delete as concurrent, or they keep different rows)
                    lost.add(RowKeys.of(e.table(), e.key()));
                    lost.add(RowKeys.of(e.table(), e.keyOf(e.before() != null ? e.before() : e.after())));
                }
                return decided;
            }
            return e.op() == Op.INSERT ? resolver.insertFailed(e, guards) : resolver.updateFailed(e, guards);
        }

        /** Keeps a conflict (if any) and the records of rows it replaced, in order. */
        private void record(ConflictRecord conflict) {
            if (conflict != null) {
                conflicts.add(conflict);
                List<ConflictRecord> replaced = resolver.drainReplaced();
                conflicts.addAll(replaced);
                ConflictRecord removed = removedWithItsDelete(conflict, replaced);
                if (removed != null) {
                    conflicts.add(removed);
                }
                // only a change written here replaces the target's write (a delete that found nothing did not)
                String row = RowKeys.of(conflict.event().table(), conflict.event().key());
                if (conflict.resolution() == Resolution.INCOMING_APPLIED) {
                    lost.remove(row);
                } else {
                    lost.add(row);
                }
            }
        }

        /** A delete this pass wrote: the row's version it removed (the delete's before image) was there. */
        private void deleted(ChangeEvent delete) {
            deleted.put(RowKeys.of(delete.table(), delete.keyOf(delete.before())), delete);
        }

        /**
         * The record of the version a source's REPLACE (or delete and insert of one key in one transaction) removed
         * here, where its insert then lost a unique value and so was not applied. At the source the row went from
         * that version to the insert's in one step, an update; a losing update's row version goes here, recorded as
         * {@code row-removed} (ConflictResolver#removeLoser). The delete half was written before the insert met the
         * value, so removeLoser found nothing, and the version vanished without a record (the checker's kv_prio 66).
         */
        private ConflictRecord removedWithItsDelete(ConflictRecord lost, List<ConflictRecord> replaced) {
            ChangeEvent insert = lost.event();
            if (insert.op() != Op.INSERT || lost.type() != ConflictType.INSERT_UNIQUE
                    || lost.resolution() != Resolution.TARGET_KEPT
                    || lost.policy().kind() == ConflictPolicy.Kind.TARGET_WINS) { // there each site keeps its own
                return null;
            }
            String row = RowKeys.of(insert.table(), insert.key());
            ChangeEvent delete = deleted.remove(row);
            boolean recorded = replaced.stream().anyMatch(c -> c.resolution() == Resolution.ROW_REMOVED
                    && c.memoryKey().equals(row));
            if (delete == null || recorded || !delete.txId().equals(insert.txId())
                    || !delete.schema().equals(insert.schema())) {
                return null; // a delete of an earlier transaction is a write of its own, which the source had made
            }
            // recorded as that update, as removeLoser records a losing update: its before image is the version gone
            ChangeEvent replacement = new ChangeEvent(Op.UPDATE, insert.table(), insert.schema(), delete.before(),
                    insert.after(), insert.txId(), insert.position(), insert.sourceTsMs());
            return new ConflictRecord(replacement, ConflictType.UPDATE_UNIQUE, Resolution.ROW_REMOVED, lost.policy(),
                    RowJson.object(delete.schema(), delete.before()), delete.keyOf(delete.before()));
        }

        /** Rows of one table, schema and kind, written together. */
        private final class Batch {
            final List<Object> id;
            final Kind kind;
            final TableId table;
            final RowSchema schema;
            final List<ChangeEvent> batch = new ArrayList<>();
            /** Exact keys of the rows: one batch never holds a key twice, so resolution follows source order. */
            final Set<String> keys = new HashSet<>();
            final Set<String> order = new HashSet<>();

            Batch(List<Object> id, Kind kind, TableId table, RowSchema schema) {
                this.id = id;
                this.kind = kind;
                this.table = table;
                this.schema = schema;
            }

            void flush() throws SQLException {
                try {
                    write();
                } catch (SQLException error) {
                    throw RefusedChange.attribute(error, table, batch.size() == 1 ? batch.get(0) : null);
                }
            }

            private void write() throws SQLException {
                if (batch.isEmpty()) {
                    return;
                }
                TableGuards guards = kind == Kind.UPSERT ? null
                        : TableGuards.of(table, schema, rules.ruleFor(table), tables.table(table));
                if (kind == Kind.CONCURRENT) {
                    record(decideConcurrent(batch.get(0), guards));
                    return;
                }
                // a few rows go faster as guarded statements (one round trip), many as probe + batch (two); the
                // fitting rows are then written by key alone, which needs a probe that locked them
                if (batch.size() >= PROBE_FROM_ROWS && (kind == Kind.UPDATE || kind == Kind.DELETE)
                        && dialect.probeLocksRows()) {
                    probeThenApply(guards);
                    return;
                }
                int[] counts;
                if (kind == Kind.INSERT && insertsMeetRows.contains(table) && batch.size() >= PROBE_FROM_ROWS) {
                    // the last insert batch of this table failed: probe first rather than fail and roll back again
                    counts = insertAgainWhereTheKeyIsFree(new int[0], guards);
                } else {
                    counts = execute(guards);
                }
                for (int i = 0; i < batch.size(); i++) {
                    int count = i < counts.length ? counts[i] : Statement.EXECUTE_FAILED;
                    settle(batch.get(i), count, guards);
                }
            }

            private int[] execute(TableGuards guards) throws SQLException {
                if (kind == Kind.INSERT && multiRowInsert != null && batch.size() > 1) {
                    int[] counts = multiRowInsert.insert(table, schema, batch);
                    boolean metRows = counts[counts.length - 1] == Statement.EXECUTE_FAILED;
                    return metRows ? insertAgainWhereTheKeyIsFree(counts, guards) : counts;
                }
                PreparedStatement ps = statements.get(sql(guards));
                for (ChangeEvent e : batch) {
                    bind(ps, e, guards);
                    ps.addBatch();
                }
                try {
                    return ps.executeBatch();
                } catch (BatchUpdateException failed) {
                    int[] counts = afterFailedBatch(failed);
                    if (kind == Kind.INSERT) {
                        counts = insertAgainWhereTheKeyIsFree(counts, guards);
                    }
                    return counts;
                }
            }

            private String sql(TableGuards g) {
                return switch (kind) {
                    case UPSERT -> dialect.upsert(table, schema);
                    case INSERT -> dialect.insert(table, schema);
                    case UPDATE, UPDATE_KEY -> dialect.guardedUpdate(table, schema, g.columns());
                    case DELETE -> dialect.guardedDelete(table, schema, g.columns());
                    case CONCURRENT -> throw new IllegalStateException("a concurrent change is resolved alone");
                };
            }

            private void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
                switch (kind) {
                    case UPSERT, INSERT -> statements.bindValues(ps, 1, e.after());
                    case UPDATE, UPDATE_KEY -> resolver.bindGuarded(ps, e, g);
                    case DELETE -> resolver.bindKeyAndGuards(ps, 1, e.before(), e, g);
                    case CONCURRENT -> throw new IllegalStateException("a concurrent change is resolved alone");
                }
            }

            /**
             * Statements of a failed batch that the driver marks as failed were not applied (a multi-row
             * INSERT fails as a whole); they are run again one by one. A deadlock or lock timeout is
             * thrown by the driver itself and retried by the committer; this checks once more that
             * the transaction is still the one holding the commit marker.
             */
            private int[] afterFailedBatch(BatchUpdateException failed) throws SQLException {
                if (committable != null && !markers.exists(committable)) {
                    throw new SQLException("the apply transaction was rolled back by the target while applying "
                            + batch.size() + " row(s) of " + table + ": " + failed.getMessage(), "40001", failed);
                }
                return failed.getUpdateCounts();
            }

            /**
             * Updates and deletes of distinct keys: one statement locks the rows and tells
             * which still hold the compared image; those are then written in one batch (an update as an
             * upsert, which the driver sends as one multi-row statement), the others go to the resolver.
             */
            private void probeThenApply(TableGuards g) throws SQLException {
                boolean[] fits = probe(batch, false, g).fits;
                List<ChangeEvent> fitting = new ArrayList<>();
                List<ChangeEvent> rest = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    (fits[i] ? fitting : rest).add(batch.get(i));
                }
                if (!fitting.isEmpty()) {
                    writeFitting(fitting, g);
                }
                if (resolveTogether(rest,
                        kind == Kind.UPDATE ? ConflictResolver.Missed.UPDATE : ConflictResolver.Missed.DELETE, g)) {
                    return;
                }
                for (ChangeEvent e : rest) {
                    record(kind == Kind.UPDATE ? resolver.updateMissed(e, g) : resolver.deleteMissed(e, g));
                }
            }

            /**
             * Locks and checks {@code rows} (distinct keys of this batch) against their before image, or their
             * after image: whether each row's key is there (found) and holds the image's guard values (fits). A
             * long run on a wide table is split (see {@link Statements#rowsPerStatement}).
             */
            private Probed probe(List<ChangeEvent> rows, boolean afterImage, TableGuards g) throws SQLException {
                Probed probed = new Probed(new boolean[rows.size()], new boolean[rows.size()]);
                int chunk = Statements.rowsPerStatement(1 + schema.keyIndexes().length + g.columns().length);
                for (int from = 0; from < rows.size(); from += chunk) {
                    int to = Math.min(rows.size(), from + chunk);
                    try (PreparedStatement ps = connection.prepareStatement(
                            dialect.probeRows(table, schema, g.columns(), to - from))) {
                        int index = 1;
                        for (int i = from; i < to; i++) {
                            ChangeEvent e = rows.get(i);
                            ps.setInt(index++, i);
                            index = resolver.bindKeyAndGuards(ps, index, afterImage ? e.after() : e.before(), e, g);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                int i = rs.getInt(Dialect.PROBE_INDEX);
                                probed.found[i] = rs.getBoolean(Dialect.PROBE_FOUND);
                                probed.fits[i] = probed.found[i] && rs.getBoolean(Dialect.PROBE_FITS);
                            }
                        }
                    }
                }
                return probed;
            }

            /**
             * A multi-row INSERT fails as a whole when one of its keys exists. One probe tells which keys are
             * there: rows already exactly as incoming count as applied, the rest of the absent ones go in again
             * as one batch, and only the rows that met another row stay failed, for the resolver. A table with a
             * secondary unique key keeps resolving row by row, in source order (an incoming row could meet one
             * inserted here out of order).
             */
            private int[] insertAgainWhereTheKeyIsFree(int[] counts, TableGuards g) throws SQLException {
                List<Integer> failed = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (i >= counts.length || counts[i] == Statement.EXECUTE_FAILED) {
                        failed.add(i);
                    }
                }
                if (failed.size() < PROBE_FROM_ROWS || !tables.table(table).uniqueKeys().isEmpty()) {
                    return counts;
                }
                int[] settled = Arrays.copyOf(counts, batch.size());
                Probed probed = probe(failed.stream().map(batch::get).toList(), true, g);
                List<Integer> free = new ArrayList<>();
                List<Integer> differing = new ArrayList<>();
                for (int f = 0; f < failed.size(); f++) {
                    int i = failed.get(f);
                    settled[i] = probed.fits[f] ? 0 : Statement.EXECUTE_FAILED;
                    (probed.found[f] ? differing : free).add(i);
                }
                if (free.size() == failed.size()) {
                    insertsMeetRows.remove(table); // met none: plain batches again
                } else {
                    insertsMeetRows.add(table);
                }
                differing.removeIf(i -> settled[i] == 0);
                if (resolveTogether(differing.stream().map(batch::get).toList(), ConflictResolver.Missed.INSERT, g)) {
                    differing.forEach(i -> settled[i] = 0); // resolved and recorded
                }
                if (free.isEmpty()) {
                    return settled;
                }
                PreparedStatement ps = statements.get(dialect.insert(table, schema));
                for (int i : free) {
                    statements.bindValues(ps, 1, batch.get(i).after());
                    ps.addBatch();
                }
                int[] again;
                try {
                    again = ps.executeBatch();
                } catch (BatchUpdateException stillFailed) {
                    again = afterFailedBatch(stillFailed);
                }
                for (int f = 0; f < free.size(); f++) {
                    settled[free.get(f)] = f < again.length ? again[f] : Statement.EXECUTE_FAILED;
                }
                return settled;
            }

            /**
             * Resolves rows of distinct keys that did not fit their target rows with one locking read of those rows
             * and a batch per kind of write, instead of a read and a write per row; false if they must be resolved
             * one by one: a single row, a dialect that cannot lock them in one statement, or rows that could meet
             * through more than their exact key (a secondary unique key, a text key a collation folds), whose
             * resolution keeps the source order.
             */
            private boolean resolveTogether(List<ChangeEvent> rows, ConflictResolver.Missed missed, TableGuards g)
                    throws SQLException {
                if (rows.size() < 2 || !tables.table(table).uniqueKeys().isEmpty()
                        || rows.stream().anyMatch(e -> Arrays.stream(e.key()).anyMatch(v -> v instanceof String))) {
                    return false;
                }
                ConflictResolver.Verdicts verdicts = resolver.judgeRun(missed, rows, g, connection);
                if (verdicts == null) {
                    return false;
                }
                writeAll(dialect.upsert(table, schema), verdicts.upserts(), ChangeEvent::after);
                for (ChangeEvent winner : verdicts.upserts()) {
                    resolver.defaultColumnsItLacks(winner, g);
                }
                writeAll(dialect.deleteByKey(table, schema), verdicts.deletes(), e -> e.keyOf(e.before()));
                verdicts.records().forEach(Pass.this::record);
                for (ChangeEvent e : verdicts.insertAlone()) {
                    record(resolver.insertFailed(e, g));
                }
                return true;
            }

            /** Writes the winners of a resolved run in one batch; it has no other key to collide on. */
            private void writeAll(String sql, List<ChangeEvent> rows, Function<ChangeEvent, Object[]> values)
                    throws SQLException {
                if (rows.isEmpty()) {
                    return;
                }
                PreparedStatement ps = statements.get(sql);
                for (ChangeEvent e : rows) {
                    statements.bindValues(ps, 1, values.apply(e));
                    ps.addBatch();
                }
                try {
                    ps.executeBatch();
                } catch (BatchUpdateException failed) {
                    afterFailedBatch(failed);
                    throw new ApplyException("writing the winning versions of " + rows.size() + " conflicting row(s)"
                            + " into " + table + " failed: " + failed.getMessage(), failed);
                }
            }

            private void writeFitting(List<ChangeEvent> fitting, TableGuards g) throws SQLException {
                PreparedStatement ps = statements.get(kind == Kind.UPDATE ? dialect.upsert(table, schema)
                        : dialect.deleteByKey(table, schema));
                for (ChangeEvent e : fitting) {
                    statements.bindValues(ps, 1, kind == Kind.UPDATE ? e.after() : e.keyOf(e.before()));
                    ps.addBatch();
                }
                try {
                    ps.executeBatch();
                    if (kind == Kind.DELETE) {
                        fitting.forEach(Pass.this::deleted);
                    }
                } catch (BatchUpdateException failed) {
                    // e.g. a unique key of another row: the rows, still locked and fitting, are redone one by one
                    afterFailedBatch(failed);
                    for (ChangeEvent e : fitting) {
                        if (kind == Kind.UPDATE) {
                            record(resolver.updateFailed(e, g));
                        } else if (applyAlone(e, g) > 0) {
                            deleted(e);
                        }
                    }
                }
            }

            private void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
                boolean failed = count == Statement.EXECUTE_FAILED;
                if (failed && kind != Kind.INSERT && kind != Kind.UPDATE && kind != Kind.UPDATE_KEY) {
                    count = applyAlone(e, g); // these cannot fail on a duplicate key: the error is real
                }
                ConflictRecord conflict = null;
                switch (kind) {
                    case UPSERT -> { }
                    case INSERT -> conflict = failed ? resolver.insertFailed(e, g) : null;
                    case UPDATE, UPDATE_KEY -> conflict = failed ? resolver.updateFailed(e, g)
                            : count == 0 ? resolver.updateMissed(e, g) : null;
                    case DELETE -> {
                        if (count > 0) {
                            deleted(e);
                        } else {
                            conflict = resolver.deleteMissed(e, g);
                        }
                    }
                    case CONCURRENT -> throw new IllegalStateException("a concurrent change is resolved alone");
                }
                record(conflict);
            }

            /** Runs one statement of a failed batch alone: it works now, or its own error names the row. */
            private int applyAlone(ChangeEvent e, TableGuards g) throws SQLException {
                PreparedStatement ps = statements.get(sql(g));
                ps.clearParameters();
                bind(ps, e, g);
                try {
                    return ps.executeUpdate();
                } catch (SQLException refused) {
                    throw new ApplyException(kind + " into " + table + " failed (row: " + e + "): "
                            + refused.getMessage(), refused);
                }
            }
        }
    }

    /** Per probed row: whether the target has its key, and whether that row holds the compared image. */
    private record Probed(boolean[] found, boolean[] fits) {}

    /** A statement the target refused, with the table and source position in the message. */
    static final class ApplyException extends SQLException {
        ApplyException(String message, SQLException cause) {
            super(message, cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }
}
