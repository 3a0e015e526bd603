package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.TableId;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out operators' decisions on held tables ({@link HeldTables}) before an apply: the decision's SQL, then the
 * table's waiting changes, replayed through an {@link ApplyPass} of their own in transactions stamped with commit
 * markers of their own.
 */
final class HeldTableRelease {
    private static final Logger LOG = LoggerFactory.getLogger(HeldTableRelease.class);

    private final ApplyContext ctx;
    private final HeldTables held;
    private final DdlApplier ddl;
    /** For PostgreSQL and Oracle targets: DDL generated from structured changes; else null. */
    private final TranslatedDdlApplier translatedDdl;
    private final ConflictLog conflictLog;
    private final ConflictMemory memory;
    private final LongSupplier clock;
    private final String direction;

    HeldTableRelease(ApplyContext ctx, HeldTables held, DdlApplier ddl, TranslatedDdlApplier translatedDdl,
            ConflictLog conflictLog, ConflictMemory memory, LongSupplier clock, String direction) {
        this.ctx = ctx;
        this.held = held;
        this.ddl = ddl;
        this.translatedDdl = translatedDdl;
        this.conflictLog = conflictLog;
        this.memory = memory;
        this.clock = clock;
        this.direction = direction;
    }

    /**
     * Carries out operators' decisions on held tables (see {@link HeldTables}): runs the given SQL (if any), then the
     * table's waiting changes in order, in transactions stamped with a commit marker of their own, up to each DDL
     * among them, which is applied (or held again) in a transaction of its own. A change the target refuses again
     * holds the table again, with the new error. Where there is none and {@code rowsLocked} is false, the open
     * transaction is ended, so that the apply sees the target as it is now.
     */
    List<ConflictRecord> releaseDecided(boolean rowsLocked) throws SQLException {
        List<ConflictRecord> recorded = new ArrayList<>();
        try {
            held.refresh();
            List<HeldTables.Decision> decisions = held.decisions();
            if (decisions.isEmpty()) {
                if (!rowsLocked) {
                    ctx.connection.rollback(); // ends the read's snapshot: the apply then sees the target as it is
                }
                return recorded;
            }
            // a replay commits: the locks (and the barrier's worth) are gone
            for (HeldTables.Decision decision : decisions) {
                HeldTables.Decision d = "manual".equals(decision.outcome()) ? runManualSql(decision) : decision;
                if (d != null) {
                    recorded.addAll(replay(d));
                }
            }
            return recorded;
        } catch (SQLException | RuntimeException e) {
            ctx.rollbackQuietly(e);
            throw e;
        }
    }

    /**
     * Runs a {@code manual} decision's SQL and turns the decision into {@code retry}; null if the SQL failed (the
     * table is held again, with that error).
     */
    private HeldTables.Decision runManualSql(HeldTables.Decision d) throws SQLException {
        if (d.manualSql() != null && !d.manualSql().isBlank()) {
            try (Statement s = ctx.connection.createStatement()) {
                s.execute(d.manualSql());
            } catch (SQLException e) {
                ctx.rollbackQuietly(e);
                if (Retry.isRetriable(e)) {
                    throw e;
                }
                String detail = "the manual_sql of the decision failed (SQLState " + e.getSQLState() + ", error "
                        + e.getErrorCode() + ": " + e.getMessage() + "). Fix: correct manual_sql and set outcome ="
                        + " 'manual' again, or change the target yourself and set outcome = 'retry'.";
                held.holdAgain(d, detail);
                ctx.connection.commit();
                LOG.error("{}: {} stays HELD: {}", direction, d.table(), detail);
                return null;
            }
        }
        // undecodable changes were never kept: the operator's SQL stands in for them, so they are dropped
        String next = d.unreadable() ? "skip" : "retry";
        held.manualSqlDone(d, next);
        ctx.connection.commit();
        return new HeldTables.Decision(d.table(), next, null, d.subtask(), d.epoch(), d.seq(), d.unreadable());
    }

    /**
     * Applies a table's waiting changes after an operator's decision. The decision's record is locked before the
     * waiting changes are read, so that no other subtask adds to them meanwhile (see {@link HeldTables#confirm}).
     */
    private List<ConflictRecord> replay(HeldTables.Decision d) throws SQLException {
        ctx.forgetDefinitions(); // the operator may have changed the table at the target: read its definition again
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
                        ctx.connection.rollback();
                        return recorded; // another subtask carried the decision out
                    }
                    waiting = new LinkedHashMap<>(held.waiting(d.table()));
                    waiting.replaceAll((seq, e) -> ctx.tables.writable(e)); // kept before the target generated a column
                    ChangeEvent decided = d.subtask() == ChangeApplier.REPLAY_SUBTASK ? waiting.get(d.seq()) : null;
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
            ctx.connection.commit();
            LOG.error("{}: {} stays HELD: {}", direction, d.table(), detail);
        } catch (SQLException | RuntimeException e) {
            ctx.rollbackQuietly(e);
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
        return held.recordUnreadable(hold, first);
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
        PendingMemory pending = new PendingMemory(memory, clock.getAsLong());
        try {
            if (!segment.isEmpty()) {
                long rows = segment.stream().filter(w -> w.getKey() != skipped && !w.getValue().isOwnWrite()).count();
                CheckpointBatch replayed = new CheckpointBatch(ChangeApplier.REPLAY_SUBTASK, segment.get(0).getKey(),
                        segment.get(segment.size() - 1).getKey(), List.of());
                if (!ctx.markers.insert(replayed, rows)) {
                    throw new SQLException("the held changes " + replayed.epoch() + " to " + replayed.sequence()
                            + " of " + d.table() + " are still in ferry_held but marked as applied in ferry_commit");
                }
            }
            if (claim) {
                held.released(d, skipped >= 0 ? "skipped" : "released");
            }
            ApplyPass pass = new ApplyPass(ctx, null, rowByRow);
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
            ctx.connection.commit();
            pending.commit(List.of());
            return recorded;
        } catch (SQLException | RuntimeException e) {
            ctx.rollbackQuietly(e);
            throw e;
        }
    }

    /** Applies a waiting DDL in a transaction of its own; false if it is held (again). */
    private boolean replayDdl(TableId table, long heldId, ChangeEvent event) throws SQLException {
        if (translatedDdl == null) {
            ddl.apply(new CheckpointBatch(ChangeApplier.REPLAY_SUBTASK, heldId, heldId, List.of(event)), event);
            ctx.forgetDefinitions(); // statements and column types of the old table definition
            held.release(table, heldId);
            ctx.connection.commit();
            return true;
        }
        TranslatedDdlApplier.Attempt attempt = translatedDdl.applyInPlace(event);
        ctx.forgetDefinitions();
        translatedDdl.recordReplayed(heldId, event, attempt);
        held.release(table, heldId);
        ctx.connection.commit();
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
            String line = held.recordRefusal(failed, r);
            ctx.connection.commit();
            LOG.error(line);
        } catch (SQLException | RuntimeException e) {
            ctx.rollbackQuietly(e);
            throw e;
        }
    }

}
