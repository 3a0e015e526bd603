package dev.ferry.verify;

import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Rewrites rows at a PostgreSQL or Oracle target from its MySQL source, as Ferry's sink writes them: the
 * source row as Ferry values, upserted through the target's dialect, or the target's row deleted when the
 * source has none. One transaction per table that starts with a Ferry commit marker.
 */
final class CrossRepair {
    private final Connection source;
    private final Connection target;
    private final Dialect dialect;
    private final RepairStamp stamp;

    CrossRepair(Connection source, Connection target, Dialect dialect, RepairStamp stamp) {
        this.source = source;
        this.target = target;
        this.dialect = dialect;
        this.stamp = stamp;
    }

    /** Repairs the rows with these keys; all or nothing. */
    void repair(CrossTable table, List<Object[]> keys) throws SQLException {
        Map<String, Object[]> rows = table.sourceRows(source, keys);
        target.setAutoCommit(false);
        try (PreparedStatement upsert = target.prepareStatement(dialect.upsert(table.id, table.schema));
                PreparedStatement delete = target.prepareStatement(dialect.deleteByKey(table.id, table.schema))) {
            stamp.insert(target, dialect, keys.size());
            for (Object[] key : keys) {
                Object[] row = rows.get(table.keyText(key));
                if (row == null) {
                    CrossTable.bind(dialect, delete, 1, key);
                    delete.executeUpdate();
                } else {
                    CrossTable.bind(dialect, upsert, 1, row);
                    upsert.executeUpdate();
                }
            }
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(true);
        }
    }
}
