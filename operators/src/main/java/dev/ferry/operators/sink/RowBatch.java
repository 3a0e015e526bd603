package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Rows of one table, schema and kind, written together. */
final class RowBatch {
    /** Runs of at least this many updates or deletes are checked by one probe statement. */
    private static final int PROBE_FROM_ROWS = 4;

    private final ApplyContext ctx;
    /** The pass this batch belongs to: it keeps the conflicts and deletes the batch meets. */
    private final ApplyPass pass;
    final List<Object> id;
    final RowKind kind;
    final TableId table;
    final RowSchema schema;
    final List<ChangeEvent> batch = new ArrayList<>();
    /** Exact keys of the rows: one batch never holds a key twice, so resolution follows source order. */
    final Set<String> keys = new HashSet<>();
    final Set<String> order = new HashSet<>();

    RowBatch(ApplyContext ctx, ApplyPass pass, List<Object> id, RowKind kind, TableId table, RowSchema schema) {
        this.ctx = ctx;
        this.pass = pass;
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
        TableGuards guards = kind == RowKind.UPSERT ? null
                : TableGuards.of(table, schema, ctx.rules.ruleFor(table), ctx.tables.table(table));
        if (kind == RowKind.CONCURRENT) {
            pass.record(pass.decideConcurrent(batch.get(0), guards));
            return;
        }
        // a few rows go faster as guarded statements (one round trip), many as probe + batch (two); the
        // fitting rows are then written by key alone, which needs a probe that locked them
        if (batch.size() >= PROBE_FROM_ROWS && (kind == RowKind.UPDATE || kind == RowKind.DELETE)
                && ctx.dialect.probeLocksRows()) {
            probeThenApply(guards);
            return;
        }
        int[] counts;
        if (kind == RowKind.INSERT && ctx.insertsMeetRows.contains(table) && batch.size() >= PROBE_FROM_ROWS) {
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
        if (kind == RowKind.INSERT && ctx.multiRowInsert != null && batch.size() > 1) {
            int[] counts = ctx.multiRowInsert.insert(table, schema, batch);
            boolean metRows = counts[counts.length - 1] == Statement.EXECUTE_FAILED;
            return metRows ? insertAgainWhereTheKeyIsFree(counts, guards) : counts;
        }
        PreparedStatement ps = ctx.statements.get(sql(guards));
        for (ChangeEvent e : batch) {
            bind(ps, e, guards);
            ps.addBatch();
        }
        try {
            return ps.executeBatch();
        } catch (BatchUpdateException failed) {
            int[] counts = afterFailedBatch(failed);
            if (kind == RowKind.INSERT) {
                counts = insertAgainWhereTheKeyIsFree(counts, guards);
            }
            return counts;
        }
    }

    private String sql(TableGuards g) {
        return switch (kind) {
            case UPSERT -> ctx.dialect.upsert(table, schema);
            case INSERT -> ctx.dialect.insert(table, schema);
            case UPDATE, UPDATE_KEY -> ctx.dialect.guardedUpdate(table, schema, g.columns());
            case DELETE -> ctx.dialect.guardedDelete(table, schema, g.columns());
            case CONCURRENT -> throw new IllegalStateException("a concurrent change is resolved alone");
        };
    }

    private void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
        switch (kind) {
            case UPSERT, INSERT -> ctx.statements.bindValues(ps, 1, e.after());
            case UPDATE, UPDATE_KEY -> ctx.resolver.bindGuarded(ps, e, g);
            case DELETE -> ctx.resolver.bindKeyAndGuards(ps, 1, e.before(), e, g);
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
        if (pass.committable != null && !ctx.markers.exists(pass.committable)) {
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
                kind == RowKind.UPDATE ? ConflictJudge.Missed.UPDATE : ConflictJudge.Missed.DELETE, g)) {
            return;
        }
        for (ChangeEvent e : rest) {
            pass.record(kind == RowKind.UPDATE ? ctx.resolver.updateMissed(e, g, pass.replaced)
                    : ctx.resolver.deleteMissed(e, g, pass.replaced));
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
            try (PreparedStatement ps = ctx.connection.prepareStatement(
                    ctx.dialect.probeRows(table, schema, g.columns(), to - from))) {
                int index = 1;
                for (int i = from; i < to; i++) {
                    ChangeEvent e = rows.get(i);
                    ps.setInt(index++, i);
                    index = ctx.resolver.bindKeyAndGuards(ps, index, afterImage ? e.after() : e.before(), e, g);
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
        if (failed.size() < PROBE_FROM_ROWS || !ctx.tables.table(table).uniqueKeys().isEmpty()) {
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
            ctx.insertsMeetRows.remove(table); // met none: plain batches again
        } else {
            ctx.insertsMeetRows.add(table);
        }
        differing.removeIf(i -> settled[i] == 0);
        if (resolveTogether(differing.stream().map(batch::get).toList(), ConflictJudge.Missed.INSERT, g)) {
            differing.forEach(i -> settled[i] = 0); // resolved and recorded
        }
        if (free.isEmpty()) {
            return settled;
        }
        PreparedStatement ps = ctx.statements.get(ctx.dialect.insert(table, schema));
        for (int i : free) {
            ctx.statements.bindValues(ps, 1, batch.get(i).after());
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
    private boolean resolveTogether(List<ChangeEvent> rows, ConflictJudge.Missed missed, TableGuards g)
            throws SQLException {
        if (rows.size() < 2 || !ctx.tables.table(table).uniqueKeys().isEmpty()
                || rows.stream().anyMatch(e -> Arrays.stream(e.key()).anyMatch(v -> v instanceof String))) {
            return false;
        }
        ConflictResolver.Verdicts verdicts = ctx.resolver.judgeRun(missed, rows, g, ctx.connection);
        if (verdicts == null) {
            return false;
        }
        writeAll(ctx.dialect.upsert(table, schema), verdicts.upserts(), ChangeEvent::after);
        for (ChangeEvent winner : verdicts.upserts()) {
            ctx.resolver.defaultColumnsItLacks(winner, g);
        }
        writeAll(ctx.dialect.deleteByKey(table, schema), verdicts.deletes(), e -> e.keyOf(e.before()));
        verdicts.records().forEach(pass::record);
        for (ChangeEvent e : verdicts.insertAlone()) {
            pass.record(ctx.resolver.insertFailed(e, g, pass.replaced));
        }
        return true;
    }

    /** Writes the winners of a resolved run in one batch; it has no other key to collide on. */
    private void writeAll(String sql, List<ChangeEvent> rows, Function<ChangeEvent, Object[]> values)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement ps = ctx.statements.get(sql);
        for (ChangeEvent e : rows) {
            ctx.statements.bindValues(ps, 1, values.apply(e));
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
        PreparedStatement ps = ctx.statements.get(kind == RowKind.UPDATE ? ctx.dialect.upsert(table, schema)
                : ctx.dialect.deleteByKey(table, schema));
        for (ChangeEvent e : fitting) {
            ctx.statements.bindValues(ps, 1, kind == RowKind.UPDATE ? e.after() : e.keyOf(e.before()));
            ps.addBatch();
        }
        try {
            ps.executeBatch();
            if (kind == RowKind.DELETE) {
                fitting.forEach(pass::deleted);
            }
        } catch (BatchUpdateException failed) {
            // e.g. a unique key of another row: the rows, still locked and fitting, are redone one by one
            afterFailedBatch(failed);
            for (ChangeEvent e : fitting) {
                if (kind == RowKind.UPDATE) {
                    pass.record(ctx.resolver.updateFailed(e, g, pass.replaced));
                } else if (applyAlone(e, g) > 0) {
                    pass.deleted(e);
                }
            }
        }
    }

    private void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
        boolean failed = count == Statement.EXECUTE_FAILED;
        if (failed && kind != RowKind.INSERT && kind != RowKind.UPDATE && kind != RowKind.UPDATE_KEY) {
            count = applyAlone(e, g); // these cannot fail on a duplicate key: the error is real
        }
        ConflictRecord conflict = null;
        switch (kind) {
            case UPSERT -> { }
            case INSERT -> conflict = failed ? ctx.resolver.insertFailed(e, g, pass.replaced) : null;
            case UPDATE, UPDATE_KEY -> conflict = failed ? ctx.resolver.updateFailed(e, g, pass.replaced)
                    : count == 0 ? ctx.resolver.updateMissed(e, g, pass.replaced) : null;
            case DELETE -> {
                if (count > 0) {
                    pass.deleted(e);
                } else {
                    conflict = ctx.resolver.deleteMissed(e, g, pass.replaced);
                }
            }
            case CONCURRENT -> throw new IllegalStateException("a concurrent change is resolved alone");
        }
        pass.record(conflict);
    }

    /** Runs one statement of a failed batch alone: it works now, or its own error names the row. */
    private int applyAlone(ChangeEvent e, TableGuards g) throws SQLException {
        PreparedStatement ps = ctx.statements.get(sql(g));
        ps.clearParameters();
        bind(ps, e, g);
        try {
            return ps.executeUpdate();
        } catch (SQLException refused) {
            throw new ApplyException(kind + " into " + table + " failed (row: " + e + "): "
                    + refused.getMessage(), refused);
        }
    }

    /** Per probed row: whether the target has its key, and whether that row holds the compared image. */
    private record Probed(boolean[] found, boolean[] fits) {}
}
