package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Snapshot rows: the source's copy is the truth, written over whatever the target holds. */
final class UpsertBatch extends RowBatch {

    UpsertBatch(ApplyContext ctx, BatchFindings pass, List<Object> id, TableId table, RowSchema schema) {
        super(ctx, pass, id, RowKind.UPSERT, table, schema);
    }

    @Override
    void write(TableGuards g) throws SQLException {
        settleAll(execute(g), g);
    }

    @Override
    String sql(TableGuards g) {
        return ctx.dialect.upsert(table, schema);
    }

    @Override
    void settle(ChangeEvent e, int count, TableGuards g) throws SQLException {
        if (count == Statement.EXECUTE_FAILED) {
            applyAlone(e, g); // an upsert cannot fail on a duplicate key: the error is real
        }
    }
}
