package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One change concurrent with a write at the target: decided alone, by the table's policy
 * (ApplyPass#decideConcurrent).
 */
final class ConcurrentChange extends RowBatch {

    ConcurrentChange(ApplyContext ctx, BatchFindings pass, List<Object> id, TableId table, RowSchema schema) {
        super(ctx, pass, id, RowKind.CONCURRENT, table, schema);
    }

    @Override
    void write(TableGuards g) throws SQLException {
        pass.record(pass.decideConcurrent(batch.get(0), g));
    }

    @Override
    String sql(TableGuards g) {
        throw new IllegalStateException("a concurrent change is resolved alone");
    }

    @Override
    void bind(PreparedStatement ps, ChangeEvent e, TableGuards g) {
        throw new IllegalStateException("a concurrent change is resolved alone");
    }

    @Override
    void settle(ChangeEvent e, int count, TableGuards g) {
        throw new IllegalStateException("a concurrent change is resolved alone");
    }
}
