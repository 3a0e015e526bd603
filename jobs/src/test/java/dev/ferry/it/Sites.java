package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Reading and comparing sites in tests. */
public final class Sites {
    private Sites() {}

    /**
     * Every row of a table, ordered by primary key, each value as text (binary as hex), read in
     * UTC so that TIMESTAMP columns compare across sites in different time zones.
     */
    public static List<List<String>> rows(DatabaseServer server, String database, String table) {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            List<String> key = primaryKey(c, database, table);
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + q(database) + "." + q(table) + " ORDER BY "
                    + String.join(", ", key.stream().map(Sites::q).toList()))) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        row.add(v == null ? null : v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b)
                                : rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> primaryKey(Connection c, String database, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(database, null, table)) {
            while (rs.next()) {
                key.add(rs.getString("COLUMN_NAME"));
            }
        }
        assertThat(key).as("primary key of %s.%s", database, table).isNotEmpty();
        return key;
    }

    /** Both sites hold exactly the same rows in this table. */
    public static void assertSameRows(DatabaseServer a, DatabaseServer b, String database, String table) {
        assertThat(rows(b, database, table)).as("%s.%s at %s vs %s", database, table, b.name(), a.name())
                .containsExactlyElementsOf(rows(a, database, table));
    }

    /** Polls until both sites hold the same rows, then asserts it. */
    public static void awaitSameRows(DatabaseServer a, DatabaseServer b, String database, String table,
            Duration timeout) {
        await(() -> rows(a, database, table).equals(rows(b, database, table)), timeout,
                database + "." + table + " to converge");
        assertSameRows(a, b, database, table);
    }

    /** Sum of row_count over the commit markers of a channel: every applied row, counted once per commit. */
    public static long appliedRows(DatabaseServer target, String channel) {
        List<List<Object>> r = target.query("SELECT COALESCE(SUM(row_count), 0) FROM ferry.ferry_commit"
                + " WHERE channel = ?", channel);
        return ((Number) r.get(0).get(0)).longValue();
    }

    public static long count(DatabaseServer server, String database, String table) {
        return ((Number) server.query("SELECT COUNT(*) FROM " + q(database) + "." + q(table)).get(0).get(0))
                .longValue();
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(100); // polling interval, not a wait for an outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    public static String q(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
