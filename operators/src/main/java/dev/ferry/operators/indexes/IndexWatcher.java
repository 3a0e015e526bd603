package dev.ferry.operators.indexes;

import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates standalone {@code CREATE INDEX} and {@code DROP INDEX}, which Flink CDC 3.5.0 never
 * delivers (its DDL parser gives them no table). Polls the source's index definitions of the
 * channel's tables; when a table's index set has changed, writes the change (an
 * {@link dev.ferry.common.IndexDelta}) into {@code ferry.ferry_index_sync} at the source. That row
 * travels through the binlog like any other and makes the target add and drop the same indexes.
 *
 * <p>No echo: a table's indexes are compared with what they were, which is what the newest DDL a
 * Ferry sink executed on it here since the poll before last left (Ferry records its DDL, with the
 * index set after it, in {@code ferry.ferry_ddl}), or else what the last poll saw. So a Ferry
 * change is never sent back, and a local change made right after one still is. A change is only
 * sent once two polls in a row have seen it, because Ferry records its DDL just after running it.
 */
public final class IndexWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(IndexWatcher.class);
    private static final String SEND = "REPLACE INTO `" + FerryTables.SCHEMA + "`.`ferry_index_sync`"
            + " (channel, direction, table_schema, table_name, index_change, detected_at) VALUES (?, ?, ?, ?, ?, NOW(6))";
    private static final String FERRY_DDL_SINCE = "SELECT table_schema, table_name, index_set_after, channel, direction FROM `"
            + FerryTables.SCHEMA + "`.`ferry_ddl` WHERE applied_at >= ? AND index_set_after IS NOT NULL ORDER BY applied_at";

    private final TableScope scope;
    private final String channel;
    private final String direction;
    /** Directions whose DDL here is relayed on (see LoopFilter): the index sets they leave are sent like local ones. */
    private final Set<String> relayed;
    private Map<TableId, String> known;
    private final Map<TableId, String> pending = new HashMap<>();
    private String previousPoll;
    private String lastPoll;

    public IndexWatcher(TableScope scope, String channel, String direction) {
        this(scope, channel, direction, Set.of());
    }

    /** @param relayed directions of {@code channel} into this source whose index changes are sent on */
    public IndexWatcher(TableScope scope, String channel, String direction, Set<String> relayed) {
        this.scope = scope;
        this.channel = channel;
        this.direction = direction;
        this.relayed = Set.copyOf(relayed);
    }

    /** One poll; the connection is in auto-commit mode. */
    public void poll(Connection c) throws SQLException {
        String now = serverTime(c);
        Map<TableId, String> current = Indexes.read(c, scope);
        if (known == null) {
            known = current;
            previousPoll = now;
            lastPoll = now;
            return;
        }
        Map<TableId, String> leftByFerry = ferryDdlSince(c, previousPoll, channel, relayed);
        Map<TableId, String> next = new HashMap<>(current);
        for (Map.Entry<TableId, String> e : current.entrySet()) {
            TableId t = e.getKey();
            if (!known.containsKey(t)) {
                pending.remove(t);
                continue; // a new table: replicated as CREATE TABLE
            }
            // what the indexes were: as a Ferry sink left them, if it changed them lately, else as last seen
            String was = leftByFerry.getOrDefault(t, known.get(t));
            if (was.equals(e.getValue())) {
                pending.remove(t);
                continue;
            }
            if (!e.getValue().equals(pending.get(t))) {
                LOG.debug("{}: indexes of {} changed from [{}] to [{}]; confirming", direction, t, was, e.getValue());
                pending.put(t, e.getValue()); // confirm on the next poll: Ferry may not have recorded it yet
                next.put(t, was);
                continue;
            }
            pending.remove(t);
            send(c, t, Indexes.delta(was, e.getValue()));
        }
        known = next;
        previousPoll = lastPoll;
        lastPoll = now;
    }

    private void send(Connection c, TableId table, String delta) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SEND)) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setString(3, table.database());
            ps.setString(4, table.table());
            ps.setString(5, delta);
            ps.executeUpdate();
        }
        LOG.info("{}: indexes of {} changed at the source; sending:\n{}", direction, table, delta);
    }

    /** Per table, the index set that the newest DDL a Ferry sink (not a relayed direction) executed here since left. */
    private static Map<TableId, String> ferryDdlSince(Connection c, String since, String channel, Set<String> relayed)
            throws SQLException {
        Map<TableId, String> left = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(FERRY_DDL_SINCE)) {
            ps.setString(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (channel.equals(rs.getString(4)) && relayed.contains(rs.getString(5))) {
                        continue;
                    }
                    left.put(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
        }
        return left;
    }

    private static String serverTime(Connection c) throws SQLException {
        // UTC, as ferry_ddl.applied_at: the sink's session and this one may have different time zones
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(UTC_TIMESTAMP(6) AS CHAR)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
