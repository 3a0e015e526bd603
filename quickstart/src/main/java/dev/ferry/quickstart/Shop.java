package dev.ferry.quickstart;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo application at one site: the seed's {@code vingoo_mc} tables and the orders, order lines and payments
 * this site writes. Each site writes only keys of its own range, so the two sites never collide by accident; the
 * one collision of the demo is {@link #updateAtBothSites}.
 */
final class Shop implements AutoCloseable {
    static final String DATABASE = "vingoo_mc";
    /** A demo table and its primary key columns. */
    record Table(String name, String key) {}

    static final List<Table> TABLES = List.of(new Table("vgp_order", "id"),
            new Table("vgp_order_info", "order_id, line"), new Table("vgp_payment", "id"));
    static final int INITIAL_ORDERS = 5;
    /** The seeded order that both sites update at once, and the amounts each one writes. */
    static final long CONFLICT_ORDER = 1;
    static final String SH_AMOUNT = "111.00";
    static final String US_AMOUNT = "222.00";
    private static final String[] SKUS = {"观澜湖新城-B1", "观澜湖新城-C3", "深圳湾一号-A2", "前海壹方城-L5", "茶具套装", "espresso cups"};

    private final DemoServer server;
    private final Random random;
    /** This site's live orders (the other site never touches them; the conflict order is not among them). */
    private final List<Long> orders = new ArrayList<>();
    private long nextId;
    private int ticks;
    private Connection connection;

    /** @param firstId the first order and payment id of this site's key range */
    Shop(DemoServer server, long firstId) {
        this.server = server;
        this.nextId = firstId;
        this.random = new Random(firstId);
    }

    String site() {
        return server.site();
    }

    /** The seed's tables, created at each site as its application would (sh->us would otherwise create them at us). */
    void createSchema() throws SQLException {
        try (Statement s = connection().createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4");
            s.execute("CREATE TABLE " + DATABASE + ".vgp_order (id BIGINT PRIMARY KEY, order_no VARCHAR(32) NOT NULL,"
                    + " amount DECIMAL(12,2), created DATETIME(6))");
            s.execute("CREATE TABLE " + DATABASE + ".vgp_order_info (order_id BIGINT, line INT, sku VARCHAR(40),"
                    + " PRIMARY KEY (order_id, line))");
            s.execute("CREATE TABLE " + DATABASE + ".vgp_payment (id BIGINT PRIMARY KEY, order_id BIGINT,"
                    + " paid DECIMAL(12,2))");
        }
    }

    /** The rows sh has before Ferry starts; its first direction copies them to us. */
    void seed() throws SQLException {
        inTransaction(() -> {
            for (int i = 0; i < INITIAL_ORDERS; i++) {
                long id = newOrder();
                if (i < 3) {
                    pay(id);
                }
            }
        });
        orders.remove(Long.valueOf(CONFLICT_ORDER)); // kept for the dual write only
    }

    /**
     * One second of this site's traffic, in one transaction: a new order with its lines; a change to one of
     * this site's orders; every other second a payment, every third a deleted order.
     */
    void tick() throws SQLException {
        ticks++;
        inTransaction(() -> {
            newOrder();
            long changed = anyOrder();
            exec("UPDATE " + DATABASE + ".vgp_order SET amount = amount + 1.50 WHERE id = ?", changed);
            exec("UPDATE " + DATABASE + ".vgp_order_info SET sku = ? WHERE order_id = ? AND line = 1", sku(), changed);
            if (ticks % 2 == 0) {
                pay(anyOrder());
            }
            if (ticks % 3 == 0 && orders.size() > 3) {
                long gone = orders.remove(0);
                exec("DELETE FROM " + DATABASE + ".vgp_payment WHERE order_id = ?", gone);
                exec("DELETE FROM " + DATABASE + ".vgp_order_info WHERE order_id = ?", gone);
                exec("DELETE FROM " + DATABASE + ".vgp_order WHERE id = ?", gone);
            }
        });
    }

    /**
     * The demo's one deliberate conflict: both sites update {@link #CONFLICT_ORDER}, each to its own amount, in
     * transactions that overlap (both updates run before either commits). Each change therefore meets the other
     * one at the target, whatever the timing: a conflict in each direction, which the channel's rule resolves.
     */
    static void updateAtBothSites(Shop sh, Shop us) throws SQLException {
        Connection a = sh.connection();
        Connection b = us.connection();
        a.setAutoCommit(false);
        b.setAutoCommit(false);
        try {
            sh.exec("UPDATE " + DATABASE + ".vgp_order SET amount = " + SH_AMOUNT + " WHERE id = ?", CONFLICT_ORDER);
            us.exec("UPDATE " + DATABASE + ".vgp_order SET amount = " + US_AMOUNT + " WHERE id = ?", CONFLICT_ORDER);
            a.commit();
            b.commit();
        } catch (SQLException e) {
            rollbackQuietly(a);
            rollbackQuietly(b);
            throw e;
        } finally {
            autoCommitQuietly(a);
            autoCommitQuietly(b);
        }
    }

    private long newOrder() throws SQLException {
        long id = nextId++;
        exec("INSERT INTO " + DATABASE + ".vgp_order VALUES (?, ?, ?, NOW(6))",
                id, site().toUpperCase(java.util.Locale.ROOT) + "-" + id, (100 + random.nextInt(900)) + ".00");
        int lines = 1 + random.nextInt(3);
        for (int line = 1; line <= lines; line++) {
            exec("INSERT INTO " + DATABASE + ".vgp_order_info VALUES (?, ?, ?)", id, line, sku());
        }
        orders.add(id);
        return id;
    }

    /** A payment of an order's amount; payments share the order id range, one id per payment. */
    private void pay(long orderId) throws SQLException {
        exec("INSERT INTO " + DATABASE + ".vgp_payment SELECT ?, id, amount FROM " + DATABASE + ".vgp_order"
                + " WHERE id = ?", nextId++, orderId);
    }

    private long anyOrder() {
        return orders.get(random.nextInt(orders.size()));
    }

    private String sku() {
        return SKUS[random.nextInt(SKUS.length)];
    }

    private void exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** Runs work in one transaction; on failure nothing of it stays, and this site's order list is restored. */
    private void inTransaction(Work work) throws SQLException {
        Connection c = connection();
        List<Long> before = new ArrayList<>(orders);
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            orders.clear();
            orders.addAll(before);
            throw e;
        } finally {
            autoCommitQuietly(c);
        }
    }

    /** This site's connection as the demo's admin user (the application); opened again if it broke. */
    Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = server.connect();
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: nothing was committed
        }
    }

    private static void autoCommitQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; connection() opens a new one next time
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }
}
