package dev.ferry.dialect.schema;

import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a table as a PostgreSQL or Oracle target's catalog has it, through its dialect's queries. */
public final class TargetCatalog {
    private TargetCatalog() {}

    /** The table's columns and primary key; no columns if the table does not exist. */
    public static TargetTable read(Connection connection, Dialect dialect, TableId table) throws SQLException {
        SchemaTranslator schema = dialect.schema();
        List<TargetColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(schema.catalogColumnsQuery())) {
            bindName(ps, dialect, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new TargetColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(schema.catalogPrimaryKeyQuery())) {
            bindName(ps, dialect, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return new TargetTable(columns, key);
    }

    private static void bindName(PreparedStatement ps, Dialect dialect, TableId table) throws SQLException {
        ps.setString(1, dialect.targetName(table.database()));
        ps.setString(2, dialect.targetName(table.table()));
    }
}
