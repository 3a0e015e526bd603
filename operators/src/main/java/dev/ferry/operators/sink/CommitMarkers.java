package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import dev.ferry.dialect.Dialect;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The commit-marker rows in the target's {@code ferry.ferry_commit}: one per applied committable,
 * written first in its transaction. It makes a repeated commit a no-op and stamps the transaction
 * for every Ferry binlog reader.
 */
final class CommitMarkers {
    private static final Duration KEEP = Duration.ofDays(7);

    private final Connection connection;
    private final Dialect dialect;
    private final String channel;
    private final String direction;
    private final boolean withPosition;
    private final String insert;
    private final String exists;
    private final String prune;

    CommitMarkers(Connection connection, Dialect dialect, String channel, String direction) {
        this.connection = connection;
        this.dialect = dialect;
        this.channel = channel;
        this.direction = direction;
        String table = dialect.quoteTable(FerryTables.COMMIT);
        // the MySQL-family sites of a two-way channel read each other's markers (see #sourcePosition)
        this.withPosition = dialect.schema() == null;
        this.insert = "INSERT INTO " + table + " (channel, direction, subtask, epoch, seq, row_count, committed_at"
                + (withPosition ? ", source_position" : "") + ") VALUES (?, ?, ?, ?, ?, ?, "
                + dialect.currentUtcTimestamp() + (withPosition ? ", ?" : "") + ")";
        this.exists = "SELECT 1 FROM " + table
                + " WHERE channel = ? AND direction = ? AND subtask = ? AND epoch = ? AND seq = ?";
        this.prune = "DELETE FROM " + table + " WHERE channel = ? AND direction = ? AND subtask = ? AND committed_at < ?";
    }

    /** Inserts the marker of {@code c}; false if it is there already (the committable was applied). */
    boolean insert(CheckpointBatch c, long rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(insert)) {
            bindId(ps, c);
            ps.setLong(6, rows);
            if (withPosition) {
                ps.setString(7, sourcePosition(c));
            }
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (dialect.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The source binlog position up to which a committable applies the source's changes (its last row, heartbeats
     * included), or null (a replay of held changes, DDL). The other direction's binlog reader hands it on as the
     * {@code seen} position of the local changes after it (see LoopFilter).
     */
    static String sourcePosition(CheckpointBatch c) {
        if (c.events().isEmpty()) {
            return null;
        }
        BinlogPosition p = BinlogPosition.parse(c.events().get(c.events().size() - 1).position());
        return p == null ? null : p.toString();
    }

    boolean exists(CheckpointBatch c) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(exists)) {
            bindId(ps, c);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Deletes this subtask's markers older than 7 days. */
    void prune(int subtask) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(prune)) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setInt(3, subtask);
            ps.setObject(4, utcNowMinus(KEEP));
            ps.executeUpdate();
        }
    }

    /** A UTC wall-clock time for comparing with Ferry's UTC timestamp columns, whatever the JVM's zone. */
    static LocalDateTime utcNowMinus(Duration age) {
        return LocalDateTime.now(ZoneOffset.UTC).minus(age);
    }

    /** Binds channel, direction, subtask, epoch and sequence as parameters 1 to 5. */
    void bindId(PreparedStatement ps, CheckpointBatch c) throws SQLException {
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setInt(3, c.subtask());
        ps.setLong(4, c.epoch());
        ps.setLong(5, c.sequence());
    }
}
