package dev.ferry.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The PostgreSQL side of a one-way test channel: plain JDBC with double-quoted names, the session in
 * UTC. A MySQL database is a PostgreSQL schema of the same name.
 */
final class PgSite {
    final String jdbcUrl;
    final String user;
    final String password;

    PgSite(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        Connection c = DriverManager.getConnection(jdbcUrl, p);
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    static String q(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String table(String schema, String table) {
        return q(schema) + "." + q(table);
    }

    /** Rows of a query, each value as {@code getString}, or through {@code null} if none. */
    List<List<String>> query(String sql, Object... params) {
        try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    long count(String schema, String table) {
        return Long.parseLong(query("SELECT COUNT(*) FROM " + table(schema, table)).get(0).get(0));
    }

    boolean tableExists(String schema, String table) {
        return !query("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", schema, table)
                .isEmpty();
    }

    long appliedRows(String channel) {
        return Long.parseLong(query("SELECT COALESCE(SUM(row_count), 0) FROM ferry.ferry_commit WHERE channel = ?",
                channel).get(0).get(0));
    }
}
