package dev.ferry.it;

import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Source load for failover tests. Each transaction inserts one row into {@code events} and adds
 * one to a counter in {@code counters}: two row changes per transaction, so the number of rows
 * the target must apply is known exactly.
 */
public final class Workload implements AutoCloseable {
    public static final int COUNTERS = 20;

    private final TestDatabase server;
    private final String database;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong transactions = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;
    private final LongSupplier appliedRows;
    private static final int PACE_EVERY = 200;
    private static final long MAX_BACKLOG = 10_000;

    public static void createTables(TestDatabase server, String database) {
        server.execute(
                "CREATE TABLE " + Sites.q(database) + ".counters (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                "CREATE TABLE " + Sites.q(database) + ".events (id BIGINT PRIMARY KEY, counter INT NOT NULL,"
                        + " note VARCHAR(64) NOT NULL)");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < COUNTERS; i++) {
            rows.append(i == 0 ? "" : ", ").append("(").append(i).append(", 0)");
        }
        server.execute("INSERT INTO " + Sites.q(database) + ".counters VALUES " + rows);
    }

    /**
     * Waits until the initial snapshot is over: a probe row (events id 0) written after the job
     * started has arrived, so from now on every change comes from the binlog, exactly once each.
     */
    public static void awaitSnapshotDone(TestDatabase sh, TestDatabase us, String database, Duration timeout) {
        sh.execute("INSERT INTO " + Sites.q(database) + ".events VALUES (0, 0, 'probe')");
        Sites.await(() -> Sites.count(us, database, "events") == 1 && Sites.count(us, database, "counters") == COUNTERS,
                timeout, "the snapshot and a probe row to arrive");
    }

    /** Rows the target applies: the counters' snapshot, the probe, and two per transaction. */
    public static long expectedAppliedRows(long transactions) {
        return COUNTERS + 1 + 2 * transactions;
    }

    public Workload(TestDatabase server, String database, long firstEventId) {
        this(server, database, firstEventId, () -> Long.MAX_VALUE);
    }

    /**
     * A load that waits, every {@value #PACE_EVERY} transactions, until the target has applied all but
     * {@value #MAX_BACKLOG} of the rows it wrote: on a slow machine a runaway load would only grow the backlog
     * that the test then waits for.
     *
     * @param appliedRows how many of this load's rows (see {@link #expectedAppliedRows}) the target applied
     */
    public Workload(TestDatabase server, String database, long firstEventId, LongSupplier appliedRows) {
        this.server = server;
        this.database = database;
        this.appliedRows = appliedRows;
        this.thread = new Thread(() -> run(firstEventId), "workload " + database);
        thread.start();
    }

    private void run(long firstEventId) {
        try (Connection c = server.connect(database)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?)");
                    PreparedStatement bump = c.prepareStatement("UPDATE counters SET n = n + 1 WHERE id = ?")) {
                long id = firstEventId;
                while (running.get()) {
                    int counter = ThreadLocalRandom.current().nextInt(COUNTERS);
                    insert.setLong(1, id++);
                    insert.setInt(2, counter);
                    insert.setString(3, "tx " + id);
                    insert.executeUpdate();
                    bump.setInt(1, counter);
                    bump.executeUpdate();
                    c.commit();
                    if (transactions.incrementAndGet() % PACE_EVERY == 0) {
                        long written = expectedAppliedRows(transactions.get());
                        Sites.await(() -> !running.get() || appliedRows.getAsLong() >= written - MAX_BACKLOG,
                                Duration.ofMinutes(2), "the target to keep up with the load");
                    }
                }
            }
        } catch (SQLException | RuntimeException | AssertionError e) {
            failure = e;
        }
    }

    public long transactions() {
        return transactions.get();
    }

    /** Stops the load and returns how many transactions it committed. */
    public long stop() throws InterruptedException {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new AssertionError("the workload failed", failure);
        }
        return transactions.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
