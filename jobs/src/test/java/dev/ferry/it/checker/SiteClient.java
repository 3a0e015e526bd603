package dev.ferry.it.checker;

import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The client of one site: one thread committing the workload's transactions one after the other, at a steady pace,
 * and logging each one whose COMMIT returned OK. A transaction that fails before COMMIT (a deadlock with Ferry's
 * apply, a lock wait time-out, the server going away) is rolled back and not logged. A COMMIT that fails has an
 * unknown outcome: the client reconnects, waiting for the server if it is being restarted, and looks for the
 * transaction's row in {@code <db>_x.txlog}, which only a committed transaction leaves.
 */
public final class SiteClient extends CheckerTask {
    private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(3);

    private final String site;
    private final int siteIndex;
    private final TestDatabase server;
    private final String database;
    private final History history;
    private final WorkloadGenerator workload;
    private final long intervalNanos;
    private final AtomicBoolean stop;
    private final AtomicLong counter = new AtomicLong();

    public SiteClient(String site, TestDatabase server, String database, History history, WorkloadGenerator workload,
            double transactionsPerSecond, AtomicBoolean stop) {
        this.site = site;
        this.siteIndex = history.siteIndex(site);
        this.server = server;
        this.database = database;
        this.history = history;
        this.workload = workload;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / transactionsPerSecond);
        this.stop = stop;
    }

    @Override
    void work() {
        Connection c = null;
        long next = System.nanoTime();
        try {
            while (!stop.get()) {
                next = Math.max(next + intervalNanos, System.nanoTime() - intervalNanos);
                LockSupport.parkNanos(next - System.nanoTime()); // pacing between this client's own transactions
                if (c == null) {
                    c = connect();
                    if (c == null) {
                        continue; // the server is down: try again on the next turn
                    }
                }
                c = transaction(c);
            }
        } finally {
            closeQuietly(c);
        }
    }

    private long token() {
        return Tokens.of(siteIndex, counter.incrementAndGet());
    }

    /** Runs one transaction; returns the connection to go on with, or null if it is gone. */
    private Connection transaction(Connection c) {
        long txId = token();
        ClientTransaction tx = new ClientTransaction(c, site, this::token);
        List<History.Write> writes;
        try {
            workload.next(tx);
            writes = tx.finish();
            tx.exec("INSERT INTO `" + CheckerSchema.outsideDatabase(database) + "`.txlog (tx) VALUES (?)", txId);
        } catch (SQLException e) {
            history.aborted(siteIndex);
            return rollback(c);
        }
        try {
            c.commit();
        } catch (SQLException e) {
            history.unknownOutcome(siteIndex);
            closeQuietly(c);
            if (committed(txId)) {
                history.commit(txId, siteIndex, Instant.now(), tx.ops(), tx.reads(), writes, tx.issued(), true, tx.uniquesHeld());
            }
            return null;
        }
        history.commit(txId, siteIndex, Instant.now(), tx.ops(), tx.reads(), writes, tx.issued(), false, tx.uniquesHeld());
        return c;
    }

    /** Whether the transaction committed: its txlog row exists. Waits for the server to be back. */
    private boolean committed(long txId) {
        long deadline = System.nanoTime() + RESOLVE_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection r = server.connect(); PreparedStatement ps = r.prepareStatement("SELECT 1 FROM `"
                    + CheckerSchema.outsideDatabase(database) + "`.txlog WHERE tx = ?")) {
                ps.setLong(1, txId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
        throw new IllegalStateException(site + ": could not resolve the outcome of transaction "
                + Tokens.format(txId, history.sites()) + " within " + RESOLVE_TIMEOUT, last);
    }

    private Connection connect() {
        Connection c = null;
        try {
            c = server.connect(database);
            c.setNetworkTimeout(Runnable::run, 60_000);
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION innodb_lock_wait_timeout = 5");
                s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            return null;
        }
    }

    private static Connection rollback(Connection c) {
        try {
            c.rollback();
            if (c.isValid(2)) {
                return c;
            }
        } catch (SQLException e) {
            // the connection is gone
        }
        closeQuietly(c);
        return null;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already closed
            }
        }
    }
}
