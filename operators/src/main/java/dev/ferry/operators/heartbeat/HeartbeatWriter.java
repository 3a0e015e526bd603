package dev.ferry.operators.heartbeat;

import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.operators.indexes.IndexWatcher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this direction's heartbeat row into its source every interval, stamped with this JVM's
 * clock. Reading it back from the binlog ends the transaction before it (Flink CDC passes on no
 * COMMIT) and, compared with the same clock at apply time, gives the lag without clock skew.
 * Failures are logged and retried on the next beat: a missing heartbeat delays, never breaks.
 *
 * <p>Across a dead link a write hangs until the socket gives up, and the driver's {@code close()} waits for it:
 * that held the apply task in CANCELING, so its job RESTARTING, for 36 s after a cut link came back (the WAN
 * lab). So the connection gives up after {@link #SOCKET_TIMEOUT}, and {@link #close()} aborts it rather than
 * waiting.
 */
public final class HeartbeatWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatWriter.class);
    private static final String UPDATE = "UPDATE `" + FerryTables.SCHEMA + "`.`ferry_heartbeat`"
            + " SET ts_ms = ? WHERE channel = ? AND direction = ?";
    private static final String INSERT = "INSERT IGNORE INTO `" + FerryTables.SCHEMA + "`.`ferry_heartbeat`"
            + " (channel, direction, ts_ms) VALUES (?, ?, ?)";

    /**
     * A heartbeat takes milliseconds; an index watch reads information_schema, which on a server of many thousand
     * tables may take seconds. One that takes this long is on a dead link.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final Endpoint source;
    private final String channel;
    private final String direction;
    private final Duration interval;
    private final IndexWatcher indexes;
    private long beats;
    private ScheduledExecutorService executor;
    /** Read by {@link #close()} on the task's thread while a beat may hang with it. */
    private volatile Connection connection;
    private boolean warned;

    /** @param indexes watches the source's index definitions every other beat, if not null */
    public HeartbeatWriter(Endpoint source, String channel, String direction, Duration interval,
            IndexWatcher indexes) {
        this.source = source;
        this.channel = channel;
        this.direction = direction;
        this.interval = interval;
        this.indexes = indexes;
    }

    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-heartbeat " + direction);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes one heartbeat now. */
    public void beat() {
        try {
            if (connection == null || !connection.isValid(2)) {
                closeConnection();
                connection = source.connectBriefly(SOCKET_TIMEOUT);
            }
            write(connection, channel, direction, System.currentTimeMillis());
            if (indexes != null && beats++ % 2 == 0) {
                indexes.poll(connection);
            }
            if (warned) {
                LOG.info("{}: heartbeats into {} work again", direction, source);
                warned = false;
            }
        } catch (SQLException e) {
            if (!warned) {
                LOG.warn("{}: cannot write the heartbeat into {}: {}. Until one arrives the lag shown grows, and"
                        + " the last source transaction is applied only when the next one arrives. {}", direction, source,
                        e.getMessage(), fixFor(e));
                warned = true;
            }
            closeConnection();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log it and beat on
            LOG.error("{}: heartbeat or index watch at {} failed", direction, source, e);
            closeConnection();
        }
    }

    /** Sets the heartbeat row of {@code channel} and {@code direction} to {@code value} (autocommit). */
    public static void write(Connection connection, String channel, String direction, long value)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setLong(1, value);
            update.setString(2, channel);
            update.setString(3, direction);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, channel);
                    insert.setString(2, direction);
                    insert.setLong(3, value);
                    insert.executeUpdate();
                }
            }
        }
    }

    private void closeConnection() {
        Endpoint.closeQuietly(connection);
        connection = null;
    }

    /** The fix for a failed heartbeat write: an unreachable site needs no grant. */
    static String fixFor(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) {
            return "The site is unreachable; Ferry tries again every beat, and the lag shown grows meanwhile.";
        }
        if (state.startsWith("28") || e.getErrorCode() == 1142 || e.getErrorCode() == 1044) {
            return "Fix: grant the Ferry user INSERT, UPDATE on ferry.* at that site.";
        }
        return "Ferry tries again every beat.";
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        // abort, not close: close waits for a beat that hangs on a dead link; abort ends its socket at once
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException e) {
                LOG.debug("{}: aborting the heartbeat connection to {}", direction, source, e);
            }
        }
        if (executor != null) {
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnection();
    }
}
