package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inserts, as one multi-row statement where the target is MySQL-family, else a JDBC batch. An insert that meets an
 * existing row fails; a batch that met rows is probed to tell which, and the next batch of the table is probed
 * first, until one meets none.
 */
final class InsertBatch extends RowBatch {

    InsertBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, TableId table, RowSchema schema) {
        super(ctx, pass, id, RowKind.INSERT, table, schema);
    }

    @Override
    void write(TableGuards g) throws SQLException {
        if (ctx.insertsMeetRows.contains(table) && batch.size() >= PROBE_FROM_ROWS) {
            // the last insert batch of this table failed: probe first rather than fail and roll back again
            settleAll(insertAgainWhereTheKeyIsFree(new int[0], g), g);
        } else {
            settleAll(execute(g), g);
        }
    }

    @Override
    int[] execute(TableGuards g) throws SQLException {
        if (ctx.multiRowInsert != null && batch.size() > 1) {
            int[] counts = ctx.multiRowInsert.insert(table, schema, batch);
            boolean metRows = counts[counts.length - 1] == Statement.EXECUTE_FAILED;
            return metRows ? insertAgainWhereTheKeyIsFree(counts, g) : counts;
        }
        return super.execute(g);
    }

    @Override
    int[] afterFailedExecute(int[] counts, TableGuards g) throws SQLException {
        return insertAgainWhereTheKeyIsFree(counts, g);
    }

    @Override
    String sql(TableGuards g) {
        return ctx.dialect.insert(table, schema);
    }

    @Override
    void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
        if (count == Statement.EXECUTE_FAILED) {
            pass.record(ctx.resolver.insertFailed(e, g, pass.replaced()));
        }
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
            settled[i] = probed.fits()[f] ? 0 : Statement.EXECUTE_FAILED;
            (probed.found()[f] ? differing : free).add(i);
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
}
