package dev.ferry.operators.sink;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.ColumnInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The target's column types and unique keys, read from information_schema once per table and
 * forgotten after any DDL, so that comparisons match the table as it is.
 */
final class TargetTables {
    private static final String COLUMNS = "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME,"
            + " COALESCE(CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, 0) FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    private static final String UNIQUE_KEYS = "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'"
            + " ORDER BY INDEX_NAME, SEQ_IN_INDEX";

    /** One table as the target has it. */
    record Table(Map<String, ColumnInfo> columns, List<List<ColumnInfo>> uniqueKeys) {
        /** The target's column for each column of {@code schema}, in its order. */
        ColumnInfo[] columnsOf(RowSchema schema, TableId table) throws SQLException {
            ColumnInfo[] out = new ColumnInfo[schema.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = columns.get(schema.column(i));
                if (out[i] == null) {
                    throw new SQLException("column `" + schema.column(i) + "` of " + table
                            + " is missing at the target; the source has it", "42S22");
                }
            }
            return out;
        }
    }

    private final Connection connection;
    private final Map<TableId, Table> tables = new HashMap<>();

    TargetTables(Connection connection) {
        this.connection = connection;
    }

    Table table(TableId id) throws SQLException {
        Table t = tables.get(id);
        if (t == null) {
            t = load(id);
            tables.put(id, t);
        }
        return t;
    }

    void forget() {
        tables.clear();
    }

    private Table load(TableId id) throws SQLException {
        Map<String, ColumnInfo> columns = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new ColumnInfo(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + id + " does not exist at the target", "42S02", 1146);
        }
        Map<String, List<ColumnInfo>> unique = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(UNIQUE_KEYS)) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unique.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(columns.get(rs.getString(2)));
                }
            }
        }
        return new Table(columns, List.copyOf(unique.values()));
    }
}
