package dev.ferry.operators.sink;

import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/**
 * The commit-marker rows in the target's {@code ferry.ferry_commit}: one per applied committable,
 * written first in its transaction. It makes a repeated commit a no-op and stamps the transaction
 * for every Ferry binlog reader.
 */
final class CommitMarkers {
    private static final String TABLE = "`" + FerryTables.SCHEMA + "`.`ferry_commit`";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (channel, direction, subtask, epoch, seq, row_count, committed_at) VALUES (?, ?, ?, ?, ?, ?, NOW(6))";
    private static final String EXISTS = "SELECT 1 FROM " + TABLE
            + " WHERE channel = ? AND direction = ? AND subtask = ? AND epoch = ? AND seq = ?";
    private static final String PRUNE = "DELETE FROM " + TABLE
            + " WHERE channel = ? AND direction = ? AND subtask = ? AND committed_at < NOW(6) - INTERVAL 7 DAY LIMIT 1000";

    private final Connection connection;
    private final String channel;
    private final String direction;

    CommitMarkers(Connection connection, String channel, String direction) {
        this.connection = connection;
        this.channel = channel;
        this.direction = direction;
    }

    /** Inserts the marker of {@code c}; false if it is there already (the committable was applied). */
    boolean insert(FerryCommittable c, long rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            bindId(ps, c);
            ps.setLong(6, rows);
            ps.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException duplicate) {
            return false;
        }
    }

    boolean exists(FerryCommittable c) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(EXISTS)) {
            bindId(ps, c);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Deletes up to 1000 of this subtask's markers older than 7 days. */
    void prune(int subtask) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(PRUNE)) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setInt(3, subtask);
            ps.executeUpdate();
        }
    }

    /** Binds channel, direction, subtask, epoch and sequence as parameters 1 to 5. */
    void bindId(PreparedStatement ps, FerryCommittable c) throws SQLException {
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setInt(3, c.subtask());
        ps.setLong(4, c.epoch());
        ps.setLong(5, c.sequence());
    }
}
