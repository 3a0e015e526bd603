package dev.ferry.bench;

import dev.ferry.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends transactions to one server at a fixed rate of rows (not transactions) per second, one after another on one
 * connection, and notes when each one's COMMIT was acknowledged (this JVM's wall clock): the other half of a
 * {@link LagPoller}'s measurement. Transaction i carries sequence number base + i.
 */
final class PacedWriter extends Thread {
    /** The SQL of one transaction (one round trip) with sequence number {@code seq}, sent at {@code srcMs}. */
    @FunctionalInterface
    interface Transactions {
        String next(long seq, long srcMs);
    }

    private final DatabaseServer server;
    private final Transactions transactions;
    private final long base;
    private final double rowsPerSec;
    private final long t0;
    private final long end;
    /** Index seq - base: when the COMMIT came back, 0 for none. */
    long[] committedAt = new long[1 << 15];
    /** Index seq - base: rows the transaction changed. */
    int[] rowsOf = new int[1 << 15];
    long rows;
    long tx;
    volatile Throwable failure;

    /** Paced from {@code t0} until {@code end} ({@link System#nanoTime()}). */
    PacedWriter(DatabaseServer server, Transactions transactions, long base, double rowsPerSec, long t0, long end) {
        super("paced-writer-" + base);
        this.server = server;
        this.transactions = transactions;
        this.base = base;
        this.rowsPerSec = rowsPerSec;
        this.t0 = t0;
        this.end = end;
    }

    @Override
    public void run() {
        try (Connection c = BenchServers.connectBench(server); Statement s = c.createStatement()) {
            int i = 0;
            while (true) {
                long due = t0 + (long) (rows * 1e9 / rowsPerSec);
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                i++;
                if (i >= committedAt.length) {
                    committedAt = Arrays.copyOf(committedAt, committedAt.length * 2);
                    rowsOf = Arrays.copyOf(rowsOf, rowsOf.length * 2);
                }
                long n = Workload.execute(s, transactions.next(base + i, System.currentTimeMillis()));
                committedAt[i] = System.currentTimeMillis();
                rowsOf[i] = (int) n;
                rows += n;
                tx += n > 0 ? 1 : 0;
                if (System.nanoTime() >= end) {
                    break;
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits for the end; rethrows a failure. */
    void finish() throws InterruptedException {
        join();
        if (failure != null) {
            throw new IllegalStateException(getName() + " failed: " + failure, failure);
        }
    }
}
