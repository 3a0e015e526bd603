package dev.ferry.it;

import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes at one site into {@code events (id BIGINT PRIMARY KEY, origin VARCHAR(8), n INT)}, only
 * on keys that site owns ({@code base + i}), so that sites writing at the same time never touch
 * the same row (conflicts are another matter). Counts every row change it makes, so a test can
 * check that each other site applied exactly that many from this one.
 */
final class SiteLoad {
    static final String TABLE_DDL = "CREATE TABLE events (id BIGINT PRIMARY KEY, origin VARCHAR(8) NOT NULL,"
            + " n INT NOT NULL, note VARCHAR(40))";

    private final TestDatabase server;
    private final String database;
    private final String origin;
    private final long base;
    private final AtomicLong rowChanges = new AtomicLong();
    private long next;

    SiteLoad(TestDatabase server, String database, String origin, long base) {
        this.server = server;
        this.database = database;
        this.origin = origin;
        this.base = base;
        this.next = base;
    }

    /** The site this load writes at. */
    String origin() {
        return origin;
    }

    /** Row changes made so far. */
    long rowChanges() {
        return rowChanges.get();
    }

    /** One small transaction: a new row, the previous row's counter bumped, every tenth an older row deleted. */
    void transactions(int count) {
        run(count, 1);
    }

    /** Transactions of {@code rows} inserts each: big enough to span several of the reader's fetch batches. */
    void bulk(int count, int rows) {
        run(count, rows);
    }

    private void run(int transactions, int insertsPerTransaction) {
        try (Connection c = server.connect(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, 0, ?)");
                    PreparedStatement bump = c.prepareStatement("UPDATE events SET n = n + 1 WHERE id = ?");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM events WHERE id = ?")) {
                for (int t = 0; t < transactions; t++) {
                    long changes = 0;
                    for (int i = 0; i < insertsPerTransaction; i++) {
                        insert.setLong(1, next);
                        insert.setString(2, origin);
                        insert.setString(3, "row " + next + " 观澜湖");
                        insert.addBatch();
                        next++;
                    }
                    changes += sum(insert.executeBatch());
                    if (next - 2 >= base) {
                        bump.setLong(1, next - 2);
                        changes += bump.executeUpdate();
                    }
                    if (insertsPerTransaction == 1 && t % 10 == 9) {
                        delete.setLong(1, next - 5);
                        changes += delete.executeUpdate();
                    }
                    c.commit();
                    rowChanges.addAndGet(changes);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(origin + " load failed", e);
        }
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }
}
