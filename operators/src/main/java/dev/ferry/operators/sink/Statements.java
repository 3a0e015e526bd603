package dev.ferry.operators.sink;

import dev.ferry.dialect.ColumnInfo;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The apply connection's prepared statements, kept by SQL text, and the ways rows are bound to them. */
final class Statements implements AutoCloseable {
    /**
     * Parameters one statement of Ferry's own (a probe, a locking read) binds at most: PostgreSQL's and Oracle's
     * protocols cap a statement at 65,535, and older PostgreSQL drivers at 32,767.
     */
    private static final int MAX_PARAMETERS = 32_000;

    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    Statements(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** How many rows one statement may bind, at {@code parametersPerRow} each (at least one). */
    static int rowsPerStatement(int parametersPerRow) {
        return Math.max(1, MAX_PARAMETERS / parametersPerRow);
    }

    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    /** Binds {@code values} from parameter {@code index} on; returns the next free index. */
    int bindValues(PreparedStatement ps, int index, Object[] values) throws SQLException {
        for (Object v : values) {
            dialect.bind(ps, index++, v);
        }
        return index;
    }

    /** Binds {@code row}'s values of the guard columns for comparison; returns the next free index. */
    int bindGuards(PreparedStatement ps, int index, Object[] row, int[] guardIndexes, ColumnInfo[] guards)
            throws SQLException {
        for (int g = 0; g < guards.length; g++) {
            dialect.bindForCompare(ps, index++, row[guardIndexes[g]], guards[g]);
        }
        return index;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away too
            }
        }
        cache.clear();
    }
}
