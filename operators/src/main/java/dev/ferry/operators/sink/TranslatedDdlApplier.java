package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.schema.UntranslatableDdlException;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a DDL event at a PostgreSQL or Oracle target through {@link TranslatedDdl}. The statements run
 * before the commit marker: PostgreSQL runs them in the marker's transaction; Oracle commits each DDL on
 * its own, and after a crash in between the repeated statements find their effect there already
 * ({@code already-satisfied}). A change that cannot be translated, or that the target refuses, holds its
 * table (see {@link HeldTables}); other tables go on.
 */
final class TranslatedDdlApplier {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatedDdlApplier.class);
    private static final int DETAIL_LIMIT = 2000;

    private final Connection connection;
    private final Dialect dialect;
    private final CommitMarkers markers;
    private final HeldTables held;
    private final TranslatedDdl translation;
    private final String channel;
    private final String direction;

    TranslatedDdlApplier(Connection connection, Dialect dialect, CommitMarkers markers, HeldTables held,
            String channel, String direction) {
        this.connection = connection;
        this.dialect = dialect;
        this.markers = markers;
        this.held = held;
        this.translation = new TranslatedDdl(connection, dialect);
        this.channel = channel;
        this.direction = direction;
    }

    ApplyOutcome apply(CheckpointBatch c, ChangeEvent ddl) throws SQLException {
        if (markers.exists(c)) {
            connection.rollback();
            return ApplyOutcome.ALREADY_APPLIED;
        }
        if (held.isHeld(ddl.table())) {
            held.keep(ddl);
            return commitWithMarker(c) ? ApplyOutcome.DDL_HELD : ApplyOutcome.ALREADY_APPLIED;
        }
        Attempt attempt = applyInPlace(ddl);
        if (attempt.isHeld()) {
            hold(c.subtask(), c.epoch(), c.sequence(), ddl, attempt.detail());
            return commitWithMarker(c) ? ApplyOutcome.DDL_HELD : ApplyOutcome.ALREADY_APPLIED;
        }
        record(c.subtask(), c.epoch(), c.sequence(), ddl, attempt.statements(), attempt.outcome(), attempt.detail());
        if (!commitWithMarker(c)) {
            return ApplyOutcome.ALREADY_APPLIED;
        }
        return "already-satisfied".equals(attempt.outcome()) ? ApplyOutcome.DDL_ALREADY_SATISFIED
                : ApplyOutcome.DDL_APPLIED;
    }

    /**
     * What running one DDL did.
     *
     * @param outcome applied, already-satisfied, nothing-to-do, or {@code null} if it must be held
     * @param detail the error that showed it already satisfied, or why it must be held
     */
    record Attempt(String outcome, String statements, String detail) {
        boolean isHeld() {
            return outcome == null;
        }
    }

    /**
     * Translates and runs one DDL in the current transaction. If it must be held, the transaction has
     * been rolled back.
     */
    Attempt applyInPlace(ChangeEvent ddl) throws SQLException {
        List<String> statements;
        try {
            statements = translation.statements(ddl);
        } catch (UntranslatableDdlException e) {
            connection.rollback();
            return new Attempt(null, ddl.ddl(), "cannot be translated for " + dialect.name() + ": " + e.getMessage());
        }
        String joined = String.join(";\n", statements);
        if (statements.isEmpty()) {
            return new Attempt("nothing-to-do", joined, null);
        }
        String detail = null;
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (!dialect.schema().isAlreadySatisfied(e)) {
                        connection.rollback();
                        return new Attempt(null, joined, "the target refused `" + sql + "`: " + e.getMessage());
                    }
                    detail = "error " + e.getSQLState() + ": " + e.getMessage();
                }
            }
        }
        return new Attempt(detail == null ? "applied" : "already-satisfied", joined, detail);
    }

    /** Records a held DDL and stops its table's apply, in the current transaction. */
    void hold(int subtask, long epoch, long seq, ChangeEvent ddl, String reason) throws SQLException {
        record(subtask, epoch, seq, ddl, ddl.ddl(), "held", reason);
        held.markHeld(ddl.table());
        LOG.error("{}: DDL on {} from {} is HELD: it {}. The changes of {} wait in {} until an operator decides;"
                + " other tables go on. Statement at the source: {}. Fix: make the change at the target yourself"
                + " and set outcome = 'skip' on this DDL's row of {} (channel '{}', direction '{}', seq {}), or set"
                + " outcome = 'manual' and manual_sql = '<the target statement>' for Ferry to run it.",
                direction, ddl.table(), ddl.position(), reason, ddl.table(), dialect.quoteTable(FerryTables.HELD),
                ddl.ddl(), dialect.quoteTable(FerryTables.DDL), channel, direction, seq);
    }

    private void record(int subtask, long epoch, long seq, ChangeEvent ddl, String statement, String outcome,
            String detail) throws SQLException {
        held.record(subtask, epoch, seq, ddl, statement, outcome,
                detail == null ? null : detail.substring(0, Math.min(detail.length(), DETAIL_LIMIT)));
    }

    /** Records a DDL met while replaying a held table (it has no committable of its own: subtask -1). */
    void recordReplayed(long heldId, ChangeEvent ddl, Attempt attempt) throws SQLException {
        if (attempt.isHeld()) {
            hold(-1, 0, heldId, ddl, attempt.detail());
        } else {
            record(-1, 0, heldId, ddl, attempt.statements(), attempt.outcome(), attempt.detail());
        }
    }

    private boolean commitWithMarker(CheckpointBatch c) throws SQLException {
        if (!markers.insert(c, 0)) {
            connection.rollback();
            return false;
        }
        connection.commit();
        return true;
    }
}
