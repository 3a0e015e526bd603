package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.ColumnInfo;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The target's column types and unique keys, read from information_schema once per table and
 * forgotten after any DDL, so that comparisons match the table as it is.
 */
final class TargetTables {

    /**
     * One table as the target has it.
     *
     * @param columns by target name
     * @param uniqueKeys columns named as the target spells them
     * @param generated the columns the target computes itself, by target name
     */
    record Table(Map<String, ColumnInfo> columns, List<List<ColumnInfo>> uniqueKeys, Set<String> generated,
            UnaryOperator<String> targetName) {
        /** The target's column for each column of {@code schema}, in its order, named as the source names it. */
        ColumnInfo[] columnsOf(RowSchema schema, TableId table) throws SQLException {
            ColumnInfo[] out = new ColumnInfo[schema.size()];
            for (int i = 0; i < out.length; i++) {
                ColumnInfo target = columns.get(targetName.apply(schema.column(i)));
                if (target == null) {
                    throw new SQLException("column `" + schema.column(i) + "` of " + table
                            + " is missing at the target; the source has it", "42S22");
                }
                out[i] = new ColumnInfo(schema.column(i), target.dataType(), target.charset(), target.length());
            }
            return out;
        }
    }

    private final Connection connection;
    private final Dialect dialect;
    private final Map<TableId, Table> tables = new HashMap<>();

    TargetTables(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
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

    /**
     * {@code e} without the columns the target generates itself: MySQL and MariaDB refuse a value for a generated
     * column (errors 3105, 1906) and compute it from the row's other columns, as the source did. {@code e} itself if
     * its table has none, or cannot be read here (the apply then meets that and holds the table).
     */
    ChangeEvent writable(ChangeEvent e) {
        Table t;
        try {
            t = table(e.table());
        } catch (SQLException unreadable) {
            return e;
        }
        if (t.generated().isEmpty()) {
            return e;
        }
        Set<String> computed = new HashSet<>();
        for (String column : e.schema().columns()) {
            if (t.generated().contains(t.targetName().apply(column))) {
                computed.add(column);
            }
        }
        return computed.isEmpty() ? e : e.without(computed);
    }

    private Table load(TableId id) throws SQLException {
        Map<String, ColumnInfo> columns = new HashMap<>();
        forEachRow(dialect.columnInfoQuery(), id, rs -> columns.put(rs.getString(1),
                new ColumnInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))));
        if (columns.isEmpty()) {
            // e.g. created at the source while the initial copy ran: Flink CDC 3.5.0 passes no CREATE TABLE then
            // the refusal this becomes holds the table, with the fix (see TargetRefusal)
            throw new SQLException("table " + id + " does not exist at the target", "42S02", 1146);
        }
        Map<String, List<ColumnInfo>> unique = new LinkedHashMap<>();
        forEachRow(dialect.uniqueKeysQuery(), id, rs -> unique.computeIfAbsent(rs.getString(1),
                k -> new ArrayList<>()).add(columns.get(rs.getString(2))));
        Set<String> generated = new HashSet<>();
        if (dialect.generatedColumnsQuery() != null) {
            forEachRow(dialect.generatedColumnsQuery(), id, rs -> generated.add(rs.getString(1)));
        }
        return new Table(columns, List.copyOf(unique.values()), Set.copyOf(generated), dialect::targetName);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs a catalog query that binds (schema, table) and hands each row to {@code reader}. */
    private void forEachRow(String sql, TableId id, RowReader reader) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, dialect.targetName(id.database()));
            ps.setString(2, dialect.targetName(id.table()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }
}
