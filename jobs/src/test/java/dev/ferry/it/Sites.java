package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Await;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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
    public static List<List<String>> rows(TestDatabase server, String database, String table) {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            List<String> key = primaryKey(c, database, table);
            List<List<String>> rows = new ArrayList<>();
            String from = " FROM " + q(database) + "." + q(table);
            try (ResultSet rs = s.executeQuery("SELECT " + exactColumns(s, from) + from + " ORDER BY "
                    + String.join(", ", key.stream().map(Sites::q).toList()))) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        if (isBinary(md.getColumnType(i))) {
                            byte[] b = rs.getBytes(i);
                            row.add(b == null ? null : "0x" + HexFormat.of().formatHex(b));
                        } else {
                            row.add(rs.getString(i));
                        }
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The select list: every column, FLOAT ones widened to DOUBLE, because the text protocol prints a FLOAT to 6
     * digits only and so would show 16777216 and 16777200 as the same value.
     */
    private static String exactColumns(Statement s, String from) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT *" + from + " LIMIT 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String c = q(md.getColumnName(i));
                boolean isFloat = md.getColumnType(i) == Types.REAL || md.getColumnType(i) == Types.FLOAT;
                columns.add(isFloat ? c + " + 0E0 AS " + c : c);
            }
        }
        return String.join(", ", columns);
    }

    private static boolean isBinary(int sqlType) {
        return sqlType == Types.BINARY || sqlType == Types.VARBINARY || sqlType == Types.LONGVARBINARY
                || sqlType == Types.BLOB || sqlType == Types.BIT;
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
    public static void assertSameRows(TestDatabase a, TestDatabase b, String database, String table) {
        List<List<String>> expected = rows(a, database, table);
        List<List<String>> actual = rows(b, database, table);
        List<String> differences = new ArrayList<>();
        for (int r = 0; r < Math.max(expected.size(), actual.size()) && differences.size() < 10; r++) {
            List<String> e = r < expected.size() ? expected.get(r) : null;
            List<String> x = r < actual.size() ? actual.get(r) : null;
            if (e == null || x == null) {
                differences.add("row " + r + ": " + shorten(String.valueOf(e)) + " at " + a.name() + " vs "
                        + shorten(String.valueOf(x)) + " at " + b.name());
                continue;
            }
            for (int c = 0; c < e.size(); c++) {
                if (!java.util.Objects.equals(e.get(c), x.get(c))) {
                    differences.add("row " + r + " (key " + e.get(0) + ") column " + (c + 1) + ": "
                            + shorten(e.get(c)) + " at " + a.name() + " vs " + shorten(x.get(c)) + " at " + b.name());
                }
            }
        }
        assertThat(differences).as("%s.%s: %d rows at %s, %d at %s", database, table, expected.size(), a.name(),
                actual.size(), b.name()).isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    private static String shorten(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Polls until both sites hold the same rows, then asserts it. */
    public static void awaitSameRows(TestDatabase a, TestDatabase b, String database, String table,
            Duration timeout) {
        Throwable failedWait = null;
        try {
            await(() -> rows(a, database, table).equals(rows(b, database, table)), timeout,
                    database + "." + table + " to converge");
        } catch (RuntimeException | AssertionError e) {
            failedWait = e; // a time-out, or a query that failed: shown with the difference below
        }
        try {
            assertSameRows(a, b, database, table); // on a time-out this shows the difference
        } catch (AssertionError difference) {
            if (failedWait != null) {
                difference.addSuppressed(failedWait);
            }
            throw difference;
        }
        if (failedWait instanceof RuntimeException e) {
            throw e;
        }
        if (failedWait instanceof AssertionError e) {
            throw e;
        }
    }

    /** Tables, columns and indexes of a database, as comparable text. */
    public static List<String> schema(TestDatabase server, String db) {
        List<String> out = new ArrayList<>();
        for (List<Object> r : server.query("SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,"
                + " COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " ORDER BY TABLE_NAME, ORDINAL_POSITION", db)) {
            out.add("column " + r);
        }
        for (List<Object> r : server.query("SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE"
                + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
                + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", db)) {
            out.add("index " + r);
        }
        return out;
    }

    /** Sum of row_count over the commit markers of a channel: every applied row, counted once per commit. */
    public static long appliedRows(TestDatabase target, String channel) {
        List<List<Object>> r = target.query("SELECT COALESCE(SUM(row_count), 0) FROM ferry.ferry_commit"
                + " WHERE channel = ?", channel);
        return ((Number) r.get(0).get(0)).longValue();
    }

    public static long count(TestDatabase server, String database, String table) {
        return ((Number) server.query("SELECT COUNT(*) FROM " + q(database) + "." + q(table)).get(0).get(0))
                .longValue();
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        Await.until(condition, timeout, what);
    }

    public static String q(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /**
     * Waits until the direction's binlog reader runs: writes a probe row (negative key) every two
     * seconds until one arrives at the target, then deletes the probes and waits for that to arrive.
     */
    public static void awaitBinlogReader(TestDatabase sh, TestDatabase us, String t, String where) {
        long[] probe = {0, 0}; // last probe key, when it was written
        await(() -> {
            if (probe[1] == 0 || System.nanoTime() - probe[1] > 2_000_000_000L) {
                probe[0]--;
                probe[1] = System.nanoTime();
                sh.execute("INSERT INTO " + t + " VALUES (" + probe[0] + ", 'probe')");
            }
            return !us.query("SELECT id FROM " + t + " WHERE id < 0").isEmpty();
        }, Duration.ofMinutes(3), "a probe row to reach us (" + where + ")");
        sh.execute("DELETE FROM " + t + " WHERE id < 0");
        await(() -> us.query("SELECT id FROM " + t + " WHERE id < 0").isEmpty(), Duration.ofMinutes(3),
                "the probes to be deleted at us");
    }
}
