package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes conflicts into the target's {@code ferry.ferry_conflict}, in the apply transaction. A
 * change that continues a change this direction already lost on the same row (its before image is
 * that change's after image) is the same conflict going on: it is added to that record
 * ({@code follow_ups}, the newest incoming after image) instead of being recorded again.
 */
final class ConflictLog {
    private static final String TABLE = "`" + FerryTables.SCHEMA + "`.`" + FerryTables.CONFLICT.table() + "`";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (channel, direction, table_schema, table_name, row_key, conflict_type, resolution, policy,"
            + " incoming_before, incoming_after, target_row, source_position, source_committed_at, detected_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))";

    private static final String FOLLOW_UP = "UPDATE " + TABLE + " SET follow_ups = follow_ups + 1,"
            + " incoming_after = ?, last_seen_at = UTC_TIMESTAMP(6) WHERE channel = ? AND direction = ?"
            + " AND table_schema = ? AND table_name = ? AND row_key = ? AND resolution = ? AND incoming_after = ?"
            + " ORDER BY id DESC LIMIT 1";

    private static final String RECENT = "SELECT 1 FROM " + TABLE + " WHERE channel = ? AND direction = ?"
            + " AND table_schema = ? AND table_name = ? AND row_key = ?"
            + " AND detected_at > UTC_TIMESTAMP(6) - INTERVAL 1 HOUR LIMIT 1";

    private final Connection connection;
    private final String channel;
    private final String direction;

    ConflictLog(Connection connection, String channel, String direction) {
        this.connection = connection;
        this.channel = channel;
        this.direction = direction;
    }

    /** Whether this direction met a conflict on this row within the last hour. */
    boolean recentlyInConflict(ChangeEvent e) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(RECENT)) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setString(3, e.table().database());
            ps.setString(4, e.table().table());
            ps.setString(5, RowJson.array(e.key()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records each conflict, in order; returns those that got a record of their own (not follow-ups). */
    List<ConflictRecord> write(List<ConflictRecord> conflicts) throws SQLException {
        if (conflicts.isEmpty()) {
            return conflicts;
        }
        List<ConflictRecord> recorded = new ArrayList<>(conflicts.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
                PreparedStatement followUp = connection.prepareStatement(FOLLOW_UP)) {
            for (ConflictRecord c : conflicts) {
                if (!c.isFollowUpCandidate() || !followsUp(followUp, c)) {
                    insert(insert, c);
                    recorded.add(c);
                }
            }
        }
        return recorded;
    }

    private boolean followsUp(PreparedStatement ps, ConflictRecord c) throws SQLException {
        ps.setString(1, c.incomingAfter());
        ps.setString(2, channel);
        ps.setString(3, direction);
        ps.setString(4, c.event().table().database());
        ps.setString(5, c.event().table().table());
        ps.setString(6, c.key());
        ps.setString(7, c.resolution().label());
        ps.setString(8, c.incomingBefore());
        return ps.executeUpdate() == 1;
    }

    private void insert(PreparedStatement ps, ConflictRecord c) throws SQLException {
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setString(3, c.event().table().database());
        ps.setString(4, c.event().table().table());
        ps.setString(5, c.key());
        ps.setString(6, c.type().label());
        ps.setString(7, c.resolution().label());
        ps.setString(8, c.policy().toString());
        ps.setString(9, c.incomingBefore());
        ps.setString(10, c.incomingAfter());
        ps.setString(11, c.targetRow());
        ps.setString(12, c.event().position());
        if (c.event().sourceTsMs() > 0) {
            // the session is in UTC; a Timestamp would be shifted by the JVM's zone, a string is not
            ps.setString(13, new Timestamp(c.event().sourceTsMs()).toInstant().toString()
                    .replace('T', ' ').replace("Z", ""));
        } else {
            ps.setNull(13, Types.TIMESTAMP);
        }
        ps.executeUpdate();
    }
}
