package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Rows of a MySQL source table and of its PostgreSQL copy in one canonical text form, so that the two
 * compare value by value: numbers by value, FLOAT as a float, binary as hex, times without trailing
 * fractional zeros, TIMESTAMP in UTC, JSON by value. Both read in UTC, ordered by the primary key.
 */
final class CrossRows {
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    private CrossRows() {}

    static List<List<String>> source(TestDatabase server, String database, String table) {
        // TINYINT(1) is a number, as Ferry reads it, not a boolean; server-side prepared statements, whose binary
        // protocol carries FLOAT exactly (the text protocol prints 6 digits)
        try (Connection c = DriverManager.getConnection(server.jdbcUrl() + "/?" + DatabaseServer.CONNECTION_OPTIONS
                + "&tinyInt1isBit=false&useServerPrepStmts=true", server.adminUser(), server.adminPassword());
                Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            List<String> key = keyColumns(c, database, null, table).stream().map(Sites::q).toList();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + Sites.q(database) + "."
                    + Sites.q(table) + " ORDER BY " + String.join(", ", key))) {
                return read(ps.executeQuery());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<List<String>> target(PgSite pg, String schema, String table) {
        if (!pg.tableExists(schema, table)) {
            return List.of();
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            List<String> key = keyColumns(c, null, schema, table).stream().map(PgSite::q).toList();
            return read(s, "SELECT * FROM " + PgSite.table(schema, table) + " ORDER BY " + String.join(", ", key));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The primary key's columns in key order (drivers list them by name). */
    private static List<String> keyColumns(Connection c, String catalog, String schema, String table)
            throws SQLException {
        List<String[]> parts = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                parts.add(new String[] {rs.getString("KEY_SEQ"), rs.getString("COLUMN_NAME")});
            }
        }
        parts.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
        return parts.stream().map(p -> p[1]).toList();
    }

    /** Rows of any query, in the canonical form. */
    static List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return read(s, sql);
        }
    }

    private static List<List<String>> read(Statement s, String sql) throws SQLException {
        return read(s.executeQuery(sql));
    }

    private static List<List<String>> read(ResultSet results) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet rs = results) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(canonical(rs, i, md.getColumnTypeName(i).toUpperCase(Locale.ROOT)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String canonical(ResultSet rs, int i, String type) throws SQLException {
        if (type.equals("YEAR")) {
            int year = rs.getInt(i);
            return rs.wasNull() ? null : Integer.toString(year);
        }
        if (type.startsWith("TIME") || type.startsWith("DATE") || type.equals("INTERVAL")) {
            return temporal(rs.getString(i));
        }
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Float f) {
            return "float " + f;
        }
        if (v instanceof Double d) {
            return "double " + d;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte) {
            return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        return json(rs.getString(i));
    }

    /** Dates and times as text without trailing fractional zeros and without a UTC offset suffix. */
    private static String temporal(String text) {
        if (text == null) {
            return null;
        }
        String t = text.replaceAll("\\+00(:00)?$", "");
        if (t.contains(".")) {
            t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return t;
    }

    /** JSON documents by value (key order and spacing are the database's own), other text as it is. */
    private static String json(String text) {
        String t = text.strip();
        if (!(t.startsWith("{") || t.startsWith("["))) {
            return text;
        }
        try {
            JsonNode node = JSON.readTree(t);
            return node == null ? text : "json " + JSON.writeValueAsString(node);
        } catch (IOException e) {
            return text;
        }
    }
}
