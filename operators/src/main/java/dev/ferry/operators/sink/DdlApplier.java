package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.IndexDelta;
import dev.ferry.operators.indexes.Indexes;
import dev.ferry.loop.DdlTag;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a replicated DDL statement at the target, tagged so that no Ferry reader replicates it
 * again, then records it with its commit marker in one transaction. DDL commits implicitly, so the
 * two cannot be atomic: if Ferry stops in between, the statement runs again after the restore and
 * the target answers that its effect is already there (the column exists, the table is gone, ...).
 * Such errors are recorded as {@code already-satisfied} and replication goes on.
 */
final class DdlApplier {
    private static final Logger LOG = LoggerFactory.getLogger(DdlApplier.class);
    private static final String ANNOUNCE = "INSERT INTO `" + FerryTables.SCHEMA + "`.`ferry_ddl` (channel, direction,"
            + " subtask, epoch, seq, table_schema, table_name, statement, source_position, outcome, applied_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', UTC_TIMESTAMP(6))"
            + " ON DUPLICATE KEY UPDATE outcome = 'pending', applied_at = UTC_TIMESTAMP(6)";
    private static final String RECORD = "UPDATE `" + FerryTables.SCHEMA + "`.`ferry_ddl` SET outcome = ?,"
            + " detail = ?, index_set_after = ?, applied_at = UTC_TIMESTAMP(6)"
            + " WHERE channel = ? AND direction = ? AND subtask = ? AND epoch = ? AND seq = ?";
    /**
     * MySQL/MariaDB errors that mean "already done": table exists (1050), unknown table (1051),
     * unknown column (1054), duplicate column (1060), duplicate key name (1061), can't drop a missing
     * column or key (1091), no such table (1146).
     */
    private static final Set<Integer> ALREADY_SATISFIED = Set.of(1050, 1051, 1054, 1060, 1061, 1091, 1146);

    private final Connection connection;
    private final CommitMarkers markers;
    private final String channel;
    private final String direction;

    DdlApplier(Connection connection, CommitMarkers markers, String channel, String direction) {
        this.connection = connection;
        this.markers = markers;
        this.channel = channel;
        this.direction = direction;
    }

    /**
     * Commits a 'pending' record before the statement runs. The server rewrites some DDL in its
     * binlog (DROP TABLE loses its comments, so its tag), so every binlog reader of this site also
     * learns from this record that the next DDL on the table is Ferry's (see LoopFilter).
     */
    private void announce(CheckpointBatch c, ChangeEvent ddl, String statement) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(ANNOUNCE)) {
            markers.bindId(ps, c);
            ps.setString(6, ddl.table().database());
            ps.setString(7, ddl.table().table());
            ps.setString(8, statement);
            ps.setString(9, ddl.position());
            ps.executeUpdate();
        }
        connection.commit();
    }

    ApplyOutcome apply(CheckpointBatch c, ChangeEvent ddl) throws SQLException {
        if (markers.exists(c)) {
            connection.rollback();
            return ApplyOutcome.ALREADY_APPLIED;
        }
        String sql = ddl.ddl();
        if (IndexDelta.isIndexDelta(sql)) {
            sql = Indexes.alter(ddl.table(), Indexes.read(connection, ddl.table()), IndexDelta.of(sql));
            if (sql == null) { // the target has this change already
                markers.insert(c, 0);
                connection.commit();
                return ApplyOutcome.EMPTY;
            }
        }
        String statement = DdlTag.tag(sql, channel, direction);
        announce(c, ddl, statement);
        String detail = null;
        try (Statement s = connection.createStatement()) {
            s.execute("USE `" + ddl.table().database().replace("`", "``") + "`");
            s.execute(statement);
        } catch (SQLException e) {
            if (!ALREADY_SATISFIED.contains(e.getErrorCode())) {
                throw new ApplyException("DDL on " + ddl.table() + " from " + ddl.position()
                        + " failed at the target: " + e.getMessage() + ". Statement: " + statement, e);
            }
            detail = "error " + e.getErrorCode() + ": " + e.getMessage();
            LOG.warn("{}: DDL on {} from {} is already satisfied at the target ({}); recorded, replication goes on."
                    + " Statement: {}", direction, ddl.table(), ddl.position(), detail, statement);
        }
        if (!markers.insert(c, 0)) {
            connection.rollback();
            return ApplyOutcome.ALREADY_APPLIED;
        }
        try (PreparedStatement ps = connection.prepareStatement(RECORD)) {
            ps.setString(1, detail == null ? "applied" : "already-satisfied");
            ps.setString(2, detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)));
            // lets this site's IndexWatcher tell this change from a local one
            ps.setString(3, Indexes.read(connection, ddl.table()));
            ps.setString(4, channel);
            ps.setString(5, direction);
            ps.setInt(6, c.subtask());
            ps.setLong(7, c.epoch());
            ps.setLong(8, c.sequence());
            ps.executeUpdate();
        }
        connection.commit();
        return detail == null ? ApplyOutcome.DDL_APPLIED : ApplyOutcome.DDL_ALREADY_SATISFIED;
    }
}
