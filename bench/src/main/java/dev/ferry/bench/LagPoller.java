package dev.ferry.bench;

import dev.ferry.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls one target every {@link #INTERVAL_MS} ms and notes when each transaction's sequence number
 * was first seen there. Every generator thread has its own range of sequence numbers (base + 1,
 * base + 2, ...); one thread commits its transactions one after another, and both systems apply
 * in source commit order, so within a range sequence numbers become visible in order and the
 * poller only has to ask for those above the highest one seen.
 */
final class LagPoller implements Runnable {
    static final int INTERVAL_MS = 10;
    /** Width of one generator thread's range of sequence numbers. */
    static final long RANGE = 100_000_000L;

    private final String name;
    private final DatabaseServer target;
    private final long[] bases;
    private final int intervalMs;
    private final long[] highest;
    private final long[][] seenAt;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private Thread thread;

    /** @param bases the sequence numbers of range i are bases[i] + 1 ... bases[i] + RANGE - 1 */
    LagPoller(String name, DatabaseServer target, long[] bases) {
        this(name, target, bases, INTERVAL_MS);
    }

    /** The same, polling every {@code intervalMs}. */
    LagPoller(String name, DatabaseServer target, long[] bases, int intervalMs) {
        this.name = name;
        this.intervalMs = intervalMs;
        this.target = target;
        this.bases = bases.clone();
        this.highest = bases.clone();
        this.seenAt = new long[bases.length][];
        for (int i = 0; i < bases.length; i++) {
            seenAt[i] = new long[1 << 15];
            Arrays.fill(seenAt[i], -1);
        }
    }

    void start() {
        thread = new Thread(this, "lag-poller-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes one more poll, stops and waits for the thread. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) {
            throw new IllegalStateException("lag poller for " + name + " failed: " + failure, failure);
        }
    }

    @Override
    public void run() {
        try (Connection c = target.connect(Workload.DATABASE);
                PreparedStatement ps = c.prepareStatement("SELECT seq FROM " + Workload.TABLE
                        + " WHERE seq > ? AND seq < ? GROUP BY seq")) {
            long next = System.nanoTime();
            while (true) {
                boolean last = stopped;
                for (int r = 0; r < bases.length; r++) {
                    poll(ps, r);
                }
                if (last) {
                    return;
                }
                next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void poll(PreparedStatement ps, int r) throws SQLException {
        // A row seen now became visible after the previous poll: resolution one poll interval.
        long now = System.currentTimeMillis();
        ps.setLong(1, highest[r]);
        ps.setLong(2, bases[r] + RANGE);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                int i = (int) (seq - bases[r]);
                if (i >= seenAt[r].length) {
                    int size = seenAt[r].length;
                    while (size <= i) {
                        size *= 2;
                    }
                    long[] bigger = Arrays.copyOf(seenAt[r], size);
                    Arrays.fill(bigger, seenAt[r].length, size, -1);
                    seenAt[r] = bigger;
                }
                if (seenAt[r][i] < 0) {
                    seenAt[r][i] = now;
                }
                highest[r] = Math.max(highest[r], seq);
            }
        }
    }

    /** When transaction {@code index} (seq - base) of range {@code range} was first seen here; -1 if never. */
    long seenAt(int range, int index) {
        return index < seenAt[range].length ? seenAt[range][index] : -1;
    }

    /**
     * Lags in ms (first seen here minus COMMIT acknowledged at the source) of every transaction seen.
     * @param committedAt per range, per index (seq - base), the source's commit time; 0 if none
     */
    long[] lags(long[][] committedAt) {
        int total = 0;
        for (long[] c : committedAt) {
            total += c.length;
        }
        long[] out = new long[total];
        int n = 0;
        for (int r = 0; r < bases.length; r++) {
            for (int i = 1; i < committedAt[r].length && i < seenAt[r].length; i++) {
                if (seenAt[r][i] >= 0 && committedAt[r][i] > 0) {
                    out[n++] = seenAt[r][i] - committedAt[r][i];
                }
            }
        }
        return Arrays.copyOf(out, n);
    }
}
