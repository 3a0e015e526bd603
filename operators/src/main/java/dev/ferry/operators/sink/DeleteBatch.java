package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Deletes, each a guarded DELETE that carries the before image in its WHERE clause, so that a count of 0 means the
 * row is gone or differs. The pass remembers the deletes it wrote (ApplyPass#deleted).
 */
final class DeleteBatch extends ProbedBatch {

    DeleteBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, TableId table, RowSchema schema) {
        super(ctx, pass, id, RowKind.DELETE, table, schema);
    }

    @Override
    String sql(TableGuards g) {
        return ctx.dialect.guardedDelete(table, schema, g.columns());
    }

    @Override
    void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
        ctx.resolver.bindKeyAndGuards(ps, 1, e.before(), e, g);
    }

    @Override
    void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
        if (count == Statement.EXECUTE_FAILED) {
            count = applyAlone(e, g); // a delete cannot fail on a duplicate key: the error is real
        }
        if (count > 0) {
            pass.deleted(e);
        } else {
            pass.record(ctx.resolver.deleteMissed(e, g, pass.replaced()));
        }
    }

    @Override
    void writeFitting(List<ChangeEvent> fitting, TableGuards g) throws SQLException {
        if (tryBatch(ctx.dialect.deleteByKey(table, schema), fitting, e -> e.keyOf(e.before())) == null) {
            fitting.forEach(pass::deleted);
            return;
        }
        for (ChangeEvent e : fitting) { // still locked and fitting: redone one by one
            if (applyAlone(e, g) > 0) {
                pass.deleted(e);
            }
        }
    }

    @Override
    ConflictJudge.Missed missed() {
        return ConflictJudge.Missed.DELETE;
    }

    @Override
    ConflictRecord resolveMissed(ChangeEvent e, TableGuards g) throws SQLException {
        return ctx.resolver.deleteMissed(e, g, pass.replaced());
    }
}
