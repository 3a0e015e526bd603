package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Updates, each a guarded UPDATE that carries the before image in its WHERE clause, so that a count of 0 means the
 * row is gone or differs. An update that moves its row to another key ({@link RowKind#UPDATE_KEY}) is never probed.
 */
final class UpdateBatch extends ProbedBatch {

    UpdateBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, RowKind kind, TableId table, RowSchema schema) {
        super(ctx, pass, id, kind, table, schema);
    }

    @Override
    boolean probesFirst() {
        return kind == RowKind.UPDATE && super.probesFirst();
    }

    @Override
    String sql(TableGuards g) {
        return ctx.dialect.guardedUpdate(table, schema, g.columns());
    }

    @Override
    void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
        ctx.resolver.bindGuarded(ps, e, g);
    }

    @Override
    void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
        if (count == Statement.EXECUTE_FAILED) {
            pass.record(ctx.resolver.updateFailed(e, g, pass.replaced()));
        } else if (count == 0) {
            pass.record(ctx.resolver.updateMissed(e, g, pass.replaced()));
        }
    }

    /** As upserts, which the driver sends as one multi-row statement. */
    @Override
    void writeFitting(List<ChangeEvent> fitting, TableGuards g) throws SQLException {
        if (tryBatch(ctx.dialect.upsert(table, schema), fitting, ChangeEvent::after) != null) {
            // e.g. a unique key of another row: the rows, still locked and fitting, are redone one by one
            for (ChangeEvent e : fitting) {
                pass.record(ctx.resolver.updateFailed(e, g, pass.replaced()));
            }
        }
    }

    @Override
    ConflictJudge.Missed missed() {
        return ConflictJudge.Missed.UPDATE;
    }

    @Override
    ConflictRecord resolveMissed(ChangeEvent e, TableGuards g) throws SQLException {
        return ctx.resolver.updateMissed(e, g, pass.replaced());
    }
}
