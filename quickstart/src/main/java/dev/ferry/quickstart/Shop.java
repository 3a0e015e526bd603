package dev.ferry.quickstart;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * The demo application: the table {@code shop.orders} at site {@code sh}, a little traffic on it, and the
 * comparison of the table at both sites.
 */
final class Shop implements AutoCloseable {
    static final int INITIAL_ROWS = 5;
    private static final String[] ITEMS = {"teapot", "espresso cups", "bamboo whisk", "kettle", "tea tin",
        "milk jug", "coffee grinder", "tea towel", "cake stand", "sugar bowl"};
    /**
     * One row per table: row count and the sum of a CRC32 over every row's columns. Equal at both sites means
     * the same rows with the same values (NULLs are written as \N so they differ from the text 'NULL').
     */
    private static final String FINGERPRINT = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id,"
            + " IFNULL(item, '\\\\N'), IFNULL(qty, '\\\\N'), IFNULL(updated_at, '\\\\N')))), 0) FROM shop.orders";

    private final DemoServer sh;
    private final DemoServer us;
    private final Random random = new Random();
    private Connection shConnection;
    private Connection usConnection;
    private long nextId = INITIAL_ROWS + 1;
    /** sh's table after each of the last changes, newest last. */
    private final Deque<Fingerprint> history = new ArrayDeque<>();
    private static final int HISTORY = 120;

    Shop(DemoServer sh, DemoServer us) {
        this.sh = sh;
        this.us = us;
    }

    /** Creates {@code shop.orders} at sh with a few rows. At us, Ferry creates the table from sh's definition. */
    void create() throws SQLException {
        try (Statement s = sh().createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, item VARCHAR(100), qty INT,"
                    + " updated_at DATETIME(6))");
        }
        try (PreparedStatement ps = sh().prepareStatement(
                "INSERT INTO shop.orders (id, item, qty, updated_at) VALUES (?, ?, ?, NOW(6))")) {
            for (int id = 1; id <= INITIAL_ROWS; id++) {
                ps.setLong(1, id);
                ps.setString(2, ITEMS[(id - 1) % ITEMS.length]);
                ps.setInt(3, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        remember();
    }

    /** One second of traffic at sh, in one transaction: a new order, and an older one changed. */
    void tick() throws SQLException {
        Connection c = sh();
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO shop.orders (id, item, qty, updated_at) VALUES (?, ?, ?, NOW(6))");
                PreparedStatement update = c.prepareStatement(
                        "UPDATE shop.orders SET qty = qty + 1, updated_at = NOW(6) WHERE id = ?")) {
            insert.setLong(1, nextId);
            insert.setString(2, ITEMS[random.nextInt(ITEMS.length)]);
            insert.setInt(3, 1 + random.nextInt(9));
            insert.executeUpdate();
            update.setLong(1, 1 + (long) random.nextInt((int) Math.min(Integer.MAX_VALUE, nextId - 1)));
            update.executeUpdate();
            c.commit();
            nextId++;
            remember();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken; sh() opens a new one next time
            }
        }
    }

    /**
     * Compares {@code shop.orders} at both sites. If us differs from sh, also says whether us equals what sh
     * was one, two, ... ticks ago, which is how far replication lags.
     */
    Status compare() {
        Fingerprint a = fingerprint(true);
        Fingerprint b = fingerprint(false);
        boolean inSync = a.ok && a.equals(b);
        int ticksBehind = -1;
        if (!inSync && b.ok) {
            int k = 0;
            for (var it = history.descendingIterator(); it.hasNext(); k++) {
                if (it.next().equals(b)) {
                    ticksBehind = k;
                    break;
                }
            }
        }
        return new Status(a.rows, b.rows, inSync, ticksBehind);
    }

    /** Remembers sh's table after a change, for {@link #compare()}. */
    private void remember() {
        Fingerprint a = fingerprint(true);
        if (a.ok) {
            history.addLast(a);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    private record Fingerprint(boolean ok, long rows, long sum) {}

    private Fingerprint fingerprint(boolean atSh) {
        try (Statement s = (atSh ? sh() : us()).createStatement(); ResultSet rs = s.executeQuery(FINGERPRINT)) {
            rs.next();
            return new Fingerprint(true, rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            // e.g. the table is not yet created at us, or a connection broke: count it as not equal
            if (atSh) {
                shConnection = closeQuietly(shConnection);
            } else {
                usConnection = closeQuietly(usConnection);
            }
            return new Fingerprint(false, -1, 0);
        }
    }

    private Connection sh() throws SQLException {
        if (shConnection == null || shConnection.isClosed()) {
            shConnection = sh.connect();
        }
        return shConnection;
    }

    private Connection us() throws SQLException {
        if (usConnection == null || usConnection.isClosed()) {
            usConnection = us.connect();
        }
        return usConnection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }

    private static Connection closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
        return null;
    }

    @Override
    public void close() {
        shConnection = closeQuietly(shConnection);
        usConnection = closeQuietly(usConnection);
    }
}
