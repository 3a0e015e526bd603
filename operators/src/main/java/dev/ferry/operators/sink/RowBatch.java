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

/**
 * Rows of one table, schema and kind, written together, and what they met. One subclass per kind of write
 * ({@link RowKind}): each says its statement, how it binds a row and what a row's update count means; this class
 * holds what they share (one JDBC batch, the probe, resolving a run of conflicts at once, a row run alone).
 */
abstract class RowBatch {
    /** Runs of at least this many rows are checked by one probe statement. */
    static final int PROBE_FROM_ROWS = 4;

    final ApplyContext ctx;
    /** The pass this batch belongs to: it keeps the conflicts and deletes the batch meets. */
    final BatchFindings pass;
    final List<Object> id;
    final RowKind kind;
    final TableId table;
    final RowSchema schema;
    final List<ChangeEvent> batch = new ArrayList<>();
    /** Exact keys of the rows: one batch never holds a key twice, so resolution follows source order. */
    final Set<String> keys = new HashSet<>();
    final Set<String> order = new HashSet<>();

    RowBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, RowKind kind, TableId table, RowSchema schema) {
        this.ctx = ctx;
        this.pass = pass;
        this.id = id;
        this.kind = kind;
        this.table = table;
        this.schema = schema;
    }

    void flush() throws SQLException {
        try {
            if (!batch.isEmpty()) {
                write(kind == RowKind.UPSERT ? null
                        : TableGuards.of(table, schema, ctx.rules.ruleFor(table), ctx.tables.table(table)));
            }
        } catch (SQLException error) {
            throw RefusedChange.attribute(error, table, batch.size() == 1 ? batch.get(0) : null);
        }
    }

    /** Writes the rows and records the conflicts they met. */
    abstract void write(TableGuards g) throws SQLException;

    /** The statement that writes one row of this batch. */
    abstract String sql(TableGuards g);

    /** Binds a row to {@link #sql}: by default its values (the after image). */
    void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
        ctx.statements.bindValues(ps, 1, e.after());
    }

    /** What a row's update count ({@link Statement#EXECUTE_FAILED}: its statement failed) means. */
    abstract void settle(ChangeEvent e, int count, TableGuards g) throws SQLException;

    /** Every row in one JDBC batch of {@link #sql}; the update count of each. */
    int[] execute(TableGuards g) throws SQLException {
        PreparedStatement ps = ctx.statements.get(sql(g));
        for (ChangeEvent e : batch) {
            bind(ps, e, g);
            ps.addBatch();
        }
        try {
            return ps.executeBatch();
        } catch (BatchUpdateException failed) {
            return afterFailedExecute(afterFailedBatch(failed), g);
        }
    }

    /** The counts of a failed {@link #execute}, where a kind can do better than run the failed rows alone. */
    int[] afterFailedExecute(int[] counts, TableGuards g) throws SQLException {
        return counts;
    }

    final void settleAll(int[] counts, TableGuards g) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            settle(batch.get(i), i < counts.length ? counts[i] : Statement.EXECUTE_FAILED, g);
        }
    }

    /**
     * Statements of a failed batch that the driver marks as failed were not applied (a multi-row
     * INSERT fails as a whole); they are run again one by one. A deadlock or lock timeout is
     * thrown by the driver itself and retried by the committer; this checks once more that
     * the transaction is still the one holding the commit marker.
     */
    final int[] afterFailedBatch(BatchUpdateException failed) throws SQLException {
        if (pass.committable() != null && !ctx.markers.exists(pass.committable())) {
            throw new SQLException("the apply transaction was rolled back by the target while applying "
                    + batch.size() + " row(s) of " + table + ": " + failed.getMessage(), "40001", failed);
        }
        return failed.getUpdateCounts();
    }

    /**
     * Locks and checks {@code rows} (distinct keys of this batch) against their before image, or their
     * after image: whether each row's key is there (found) and holds the image's guard values (fits). A
     * long run on a wide table is split (see {@link Statements#rowsPerStatement}).
     */
    final Probed probe(List<ChangeEvent> rows, boolean afterImage, TableGuards g) throws SQLException {
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
     * Resolves rows of distinct keys that did not fit their target rows with one locking read of those rows
     * and a batch per kind of write, instead of a read and a write per row; false if they must be resolved
     * one by one: a single row, a dialect that cannot lock them in one statement, or rows that could meet
     * through more than their exact key (a secondary unique key, a text key a collation folds), whose
     * resolution keeps the source order.
     */
    final boolean resolveTogether(List<ChangeEvent> rows, ConflictJudge.Missed missed, TableGuards g)
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
            pass.record(ctx.resolver.insertFailed(e, g, pass.replaced()));
        }
        return true;
    }

    /** Writes the winners of a resolved run in one batch; it has no other key to collide on. */
    private void writeAll(String sql, List<ChangeEvent> rows, Function<ChangeEvent, Object[]> values)
            throws SQLException {
        BatchUpdateException failed = tryBatch(sql, rows, values);
        if (failed != null) {
            throw new ApplyException("writing the winning versions of " + rows.size() + " conflicting row(s)"
                    + " into " + table + " failed: " + failed.getMessage(), failed);
        }
    }

    /**
     * Writes {@code rows} with {@code sql}, bound to {@code values}, in one JDBC batch; the failure (after checking
     * that the transaction still holds its commit marker), or null.
     */
    final BatchUpdateException tryBatch(String sql, List<ChangeEvent> rows, Function<ChangeEvent, Object[]> values)
            throws SQLException {
        if (rows.isEmpty()) {
            return null;
        }
        PreparedStatement ps = ctx.statements.get(sql);
        for (ChangeEvent e : rows) {
            ctx.statements.bindValues(ps, 1, values.apply(e));
            ps.addBatch();
        }
        try {
            ps.executeBatch();
            return null;
        } catch (BatchUpdateException failed) {
            afterFailedBatch(failed);
            return failed;
        }
    }

    /** Runs one statement of a failed batch alone: it works now, or its own error names the row. */
    final int applyAlone(ChangeEvent e, TableGuards g) throws SQLException {
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
    record Probed(boolean[] found, boolean[] fits) {}
}
