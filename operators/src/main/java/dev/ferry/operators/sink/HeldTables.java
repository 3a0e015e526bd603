package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.common.ValueCodec;
import dev.ferry.dialect.Dialect;
import dev.ferry.loop.FerryTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables whose apply stopped at a DDL that waits for an operator (PostgreSQL and Oracle targets):
 * the DDL's {@code ferry_ddl} record says {@code held}, and the table's later changes wait in
 * {@code ferry_held}, written in the same transactions as the commit markers, so nothing is lost or
 * applied twice. The operator decides by setting that record's outcome to {@code skip} (the change is
 * not wanted, or was made by hand) or {@code manual} with {@code manual_sql} (Ferry runs it); then the
 * waiting changes are applied in order and the record says {@code released}.
 */
final class HeldTables {
    /** An operator's decision on a held DDL. */
    record Decision(TableId table, String outcome, String manualSql, int subtask, long epoch, long seq) {}

    /** One waiting change. */
    record Waiting(long id, ChangeEvent event) {}

    private final Connection connection;
    private final Dialect dialect;
    private final String channel;
    private final String direction;
    private final String ddlTable;
    private final String heldTable;
    private Set<TableId> held = Set.of();

    HeldTables(Connection connection, Dialect dialect, String channel, String direction) {
        this.connection = connection;
        this.dialect = dialect;
        this.channel = channel;
        this.direction = direction;
        this.ddlTable = dialect.quoteTable(FerryTables.DDL);
        this.heldTable = dialect.quoteTable(FerryTables.HELD);
    }

    /**
     * Reads which tables are held now (another subtask, or a restart, may have held one): also those with
     * an operator's decision that is not carried out yet.
     */
    Set<TableId> refresh() throws SQLException {
        Set<TableId> now = new HashSet<>();
        for (Decision d : records("'held', 'skip', 'manual'")) {
            now.add(d.table());
        }
        held = now;
        return held;
    }

    int count() {
        return held.size();
    }

    boolean isHeld(TableId table) {
        return held.contains(table);
    }

    void markHeld(TableId table) {
        Set<TableId> now = new HashSet<>(held);
        now.add(table);
        held = now;
    }

    /** Decisions an operator made on held DDL, oldest first. */
    List<Decision> decisions() throws SQLException {
        return held.isEmpty() ? List.of() : records("'skip', 'manual'");
    }

    private List<Decision> records(String outcomes) throws SQLException {
        List<Decision> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_schema, table_name, outcome, manual_sql,"
                + " subtask, epoch, seq FROM " + ddlTable + " WHERE channel = ? AND direction = ? AND outcome IN ("
                + outcomes + ") ORDER BY applied_at")) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Decision(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    /** Keeps a change of a held table for later, in the caller's transaction. */
    void keep(ChangeEvent e) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + heldTable
                + " (channel, direction, table_schema, table_name, event, held_at) VALUES (?, ?, ?, ?, ?, "
                + dialect.currentUtcTimestamp() + ")")) {
            bindTable(ps, e.table());
            ps.setBytes(5, encode(e));
            ps.executeUpdate();
        }
    }

    /** The changes waiting for a table, in arrival order. */
    Map<Long, ChangeEvent> waiting(TableId table) throws SQLException {
        Map<Long, ChangeEvent> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, event FROM " + heldTable
                + " WHERE channel = ? AND direction = ? AND table_schema = ? AND table_name = ? ORDER BY id")) {
            bindTable(ps, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), decode(rs.getBytes(2)));
                }
            }
        }
        return out;
    }

    /** Forgets waiting changes up to and including {@code lastId}, once applied. */
    void release(TableId table, long lastId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + heldTable
                + " WHERE channel = ? AND direction = ? AND table_schema = ? AND table_name = ? AND id <= ?")) {
            bindTable(ps, table);
            ps.setLong(5, lastId);
            ps.executeUpdate();
        }
    }

    /** Binds channel, direction, schema and table as parameters 1 to 4. */
    private void bindTable(PreparedStatement ps, TableId table) throws SQLException {
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setString(3, table.database());
        ps.setString(4, table.table());
    }

    /** Marks an operator's decision as carried out. */
    void released(Decision d) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ddlTable + " SET outcome = 'released',"
                + " applied_at = " + dialect.currentUtcTimestamp()
                + " WHERE channel = ? AND direction = ? AND subtask = ? AND epoch = ? AND seq = ?")) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setInt(3, d.subtask());
            ps.setLong(4, d.epoch());
            ps.setLong(5, d.seq());
            ps.executeUpdate();
        }
        Set<TableId> now = new HashSet<>(held);
        now.remove(d.table());
        held = now;
    }

    private static byte[] encode(ChangeEvent e) throws SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ValueCodec.writeEvent(out, e);
        } catch (IOException ex) {
            throw new SQLException("cannot keep " + e + " for later: " + ex.getMessage(), ex);
        }
        return bytes.toByteArray();
    }

    private static ChangeEvent decode(byte[] bytes) throws SQLException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return ValueCodec.readEvent(in);
        } catch (IOException ex) {
            throw new SQLException("unreadable held change in ferry_held: " + ex.getMessage(), ex);
        }
    }
}
