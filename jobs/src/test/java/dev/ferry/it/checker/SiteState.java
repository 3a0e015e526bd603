package dev.ferry.it.checker;

import dev.ferry.it.Sites;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one site holds after the run: every table of the test database (rows by primary key, each column as text),
 * its schema, and the channel's conflict records there.
 */
public record SiteState(String site, Map<String, Map<String, Map<String, String>>> tables, List<String> schema,
        List<ConflictRecord> conflicts) {

    /** A row of a modeled table, or null. */
    public Map<String, String> row(String table, long id) {
        return tables.getOrDefault(table, Map.of()).get(Long.toString(id));
    }

    /** Reads a site. */
    public static SiteState read(TestDatabase server, String site, String database, String channel)
            throws SQLException {
        return new SiteState(site, tables(server, database), Sites.schema(server, database),
                conflicts(server, site, channel));
    }

    /** Rows and schema only: for polling until the sites converge. */
    public static SiteState readData(TestDatabase server, String site, String database) throws SQLException {
        return new SiteState(site, tables(server, database), Sites.schema(server, database), List.of());
    }

    /** Same rows and schema as another site. */
    public boolean sameData(SiteState other) {
        return tables.equals(other.tables) && schema.equals(other.schema);
    }

    private static Map<String, Map<String, Map<String, String>>> tables(TestDatabase server, String database)
            throws SQLException {
        Map<String, Map<String, Map<String, String>>> tables = new TreeMap<>();
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String table : names) {
                List<String> key = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getPrimaryKeys(database, null, table)) {
                    while (rs.next()) {
                        key.add(rs.getString("COLUMN_NAME"));
                    }
                }
                Map<String, Map<String, String>> rows = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + Sites.q(table))) {
                    for (Map<String, String> row : ClientTransaction.rows(rs)) {
                        rows.put(String.join("|", key.stream().map(k -> String.valueOf(row.get(k))).toList()), row);
                    }
                } catch (SQLException dropped) {
                    continue; // a table dropped between SHOW TABLES and here (only while polling)
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    private static List<ConflictRecord> conflicts(TestDatabase server, String site, String channel)
            throws SQLException {
        List<ConflictRecord> records = new ArrayList<>();
        try (Connection c = server.connect(); PreparedStatement ps = c.prepareStatement("SELECT id, direction,"
                + " table_name, row_key, conflict_type, resolution, incoming_before, incoming_after, target_row,"
                + " follow_ups, TIMESTAMPDIFF(MICROSECOND, '1970-01-01', detected_at) FROM ferry.ferry_conflict"
                + " WHERE channel = ? ORDER BY id")) { // detected_at is UTC
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(new ConflictRecord(site, rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), ConflictRecord.image(rs.getString(7)),
                            ConflictRecord.image(rs.getString(8)), ConflictRecord.image(rs.getString(9)),
                            rs.getInt(10), Instant.EPOCH.plus(rs.getLong(11), ChronoUnit.MICROS)));
                }
            }
        }
        return records;
    }
}
