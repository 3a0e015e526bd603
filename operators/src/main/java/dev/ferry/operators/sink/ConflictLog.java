package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.loop.FerryTables;
import dev.ferry.conflict.Resolution;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes conflicts into the target's {@code ferry.ferry_conflict}, in the apply transaction. A
 * change that continues a change this direction already lost on the same row (its before image is
 * that change's after image) is the same conflict going on: it is added to that record
 * ({@code follow_ups}, the newest incoming after image) instead of being recorded again.
 */
final class ConflictLog {
    private final Connection connection;
    private final String channel;
    private final String direction;
    private final String insert;
    private final String followUp;
    private final String recent;

    ConflictLog(Connection connection, Dialect dialect, String channel, String direction) {
        this.connection = connection;
        this.channel = channel;
        this.direction = direction;
        String table = dialect.quoteTable(FerryTables.CONFLICT);
        String now = dialect.currentUtcTimestamp();
        this.insert = "INSERT INTO " + table
                + " (channel, direction, table_schema, table_name, row_key, conflict_type, resolution, policy,"
                + " incoming_before, incoming_after, target_row, source_position, source_committed_at, detected_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + now + ")";
        String sameRow = "channel = ? AND direction = ? AND table_schema = ? AND table_name = ? AND row_key = ?";
        String lastLost = sameRow + " AND resolution = ? AND " + dialect.storedTextEquals("incoming_after");
        // MySQL cannot read the updated table in a subquery; the others have no UPDATE ... LIMIT
        this.followUp = "UPDATE " + table + " SET follow_ups = follow_ups + 1, incoming_after = ?, last_seen_at = "
                + now + " WHERE " + (dialect.schema() == null ? lastLost + " ORDER BY id DESC LIMIT 1"
                        : "id = (SELECT MAX(id) FROM " + table + " WHERE " + lastLost + ")");
        this.recent = "SELECT table_schema, table_name, row_key, resolution, incoming_before, incoming_after,"
                + " detected_at, last_seen_at FROM " + table + " WHERE channel = ? AND direction = ?"
                + " AND (detected_at > ? OR last_seen_at > ?) ORDER BY id";
    }

    /**
     * The memory this direction's records of the last {@code span} give, row by row (the newest record of a row
     * wins): for an operator that finds its memory behind the target (see ChangeApplier#reloadMemory).
     */
    Map<String, RowMemory> recent(Duration span) throws SQLException {
        Map<String, RowMemory> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(recent)) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setObject(3, CommitMarkers.utcNowMinus(span));
            ps.setObject(4, CommitMarkers.utcNowMinus(span));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = RowKeys.of(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3));
                    String resolution = rs.getString(4);
                    boolean lost = rs.getString(5) != null && (Resolution.TARGET_KEPT.label().equals(resolution)
                            || Resolution.KEPT_FOR_OPERATOR.label().equals(resolution));
                    LocalDateTime at = rs.getObject(8, LocalDateTime.class);
                    if (at == null) {
                        at = rs.getObject(7, LocalDateTime.class);
                    }
                    rows.put(key, new RowMemory(resolution, lost ? rs.getString(6) : null,
                            at.toInstant(ZoneOffset.UTC).toEpochMilli()));
                }
            }
        }
        return rows;
    }

    /**
     * Records each conflict, in order; returns those that got a record of their own (not follow-ups). New records
     * go in as one batch; it is sent before a follow-up check that could continue one of them (same row).
     */
    List<ConflictRecord> write(List<ConflictRecord> conflicts, PendingMemory memory) throws SQLException {
        if (conflicts.isEmpty()) {
            return conflicts;
        }
        List<ConflictRecord> recorded = new ArrayList<>(conflicts.size());
        Set<String> pendingRows = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(this.insert);
                PreparedStatement followUp = connection.prepareStatement(this.followUp)) {
            for (ConflictRecord c : conflicts) {
                String row = c.memoryKey();
                RowMemory last = c.isFollowUpCandidate() ? memory.recall(row) : null;
                boolean followedUp = false;
                if (last != null && last.continuedBy(c)) {
                    if (pendingRows.contains(row)) {
                        insert.executeBatch();
                        pendingRows.clear();
                    }
                    // no record (an operator deleted it): the change is recorded anew
                    followedUp = followsUp(followUp, c);
                }
                memory.remember(c);
                if (followedUp) {
                    continue;
                }
                bindInsert(insert, c);
                insert.addBatch();
                pendingRows.add(row);
                recorded.add(c);
            }
            if (!pendingRows.isEmpty()) {
                insert.executeBatch();
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

    private void bindInsert(PreparedStatement ps, ConflictRecord c) throws SQLException {
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
            // a zone-less UTC wall-clock time: a Timestamp would be shifted by the JVM's zone
            ps.setObject(13, LocalDateTime.ofInstant(Instant.ofEpochMilli(c.event().sourceTsMs()), ZoneOffset.UTC));
        } else {
            ps.setNull(13, Types.TIMESTAMP);
        }
    }
}
