package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Updates or deletes of distinct keys. A few rows go faster as guarded statements (one round trip), many as one
 * probe that locks the rows and tells which still hold the compared image, then one batch that writes those by key
 * (two round trips); the others go to the resolver.
 */
abstract class ProbedBatch extends RowBatch {

    ProbedBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, RowKind kind, TableId table, RowSchema schema) {
        super(ctx, pass, id, kind, table, schema);
    }

    /** Whether the rows are probed first: enough of them, and a probe that locks them (rows written by key alone). */
    boolean probesFirst() {
        return batch.size() >= PROBE_FROM_ROWS && ctx.dialect.probeLocksRows();
    }

    @Override
    final void write(TableGuards g) throws SQLException {
        if (probesFirst()) {
            probeThenApply(g);
        } else {
            settleAll(execute(g), g);
        }
    }

    private void probeThenApply(TableGuards g) throws SQLException {
        boolean[] fits = probe(batch, false, g).fits();
        List<ChangeEvent> fitting = new ArrayList<>();
        List<ChangeEvent> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            (fits[i] ? fitting : rest).add(batch.get(i));
        }
        if (!fitting.isEmpty()) {
            writeFitting(fitting, g);
        }
        if (resolveTogether(rest, missed(), g)) {
            return;
        }
        for (ChangeEvent e : rest) {
            pass.record(resolveMissed(e, g));
        }
    }

    /** Writes rows the probe locked and found holding their compared image, by key. */
    abstract void writeFitting(List<ChangeEvent> fitting, TableGuards g) throws SQLException;

    /** What the rows that did not fit missed, for resolving them together. */
    abstract ConflictJudge.Missed missed();

    /** Resolves one row that did not fit. */
    abstract ConflictRecord resolveMissed(ChangeEvent e, TableGuards g) throws SQLException;
}
