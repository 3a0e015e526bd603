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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tables whose apply stopped at a change that waits for an operator: a DDL that cannot be translated
 * (PostgreSQL and Oracle targets), a row change the target refuses (see {@link TargetRefusal}), or changes the
 * source reader could not read (see {@link UnreadableHold}). The
 * change's {@code ferry_ddl} record says {@code held}, and the table's later changes wait in
 * {@code ferry_held}, written in the same transactions as the commit markers, so nothing is lost or
 * applied twice. The operator decides by setting that record's outcome to {@code retry} (after fixing
 * the target), {@code skip} (the change is not wanted, or was made by hand) or {@code manual} with
 * {@code manual_sql} (Ferry runs it); then the waiting changes are applied in order and the record says
 * {@code released} (or {@code skipped}).
 *
 * <p>A refused row change is itself the first of its table's waiting changes that it concerns: its record
 * is {@code (subtask -1, epoch 0, seq = its ferry_held id)}, so a {@code skip} knows which change to drop.
 */
final class HeldTables {
    /**
     * An operator's decision on a held DDL or change.
     *
     * @param unreadable whether it holds changes the source reader could not read (see {@link UnreadableHold})
     */
    record Decision(TableId table, String outcome, String manualSql, int subtask, long epoch, long seq,
            boolean unreadable) {}

    /** The decisions an operator can make, as {@code ferry_ddl.outcome}. */
    static final String DECISIONS = "'retry', 'skip', 'manual'";
    /** MySQL's {@code ferry_ddl.detail} is the shortest. */
    private static final int DETAIL_LIMIT = 1000;

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
        for (Decision d : records("'held', " + DECISIONS)) {
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

    /** Decisions an operator made on held tables, oldest first. */
    List<Decision> decisions() throws SQLException {
        return held.isEmpty() ? List.of() : records(DECISIONS);
    }

    private List<Decision> records(String outcomes) throws SQLException {
        List<Decision> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_schema, table_name, outcome, manual_sql,"
                + " subtask, epoch, seq, statement FROM " + ddlTable + " WHERE channel = ? AND direction = ? AND outcome IN ("
                + outcomes + ") ORDER BY applied_at")) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableId table = new TableId(rs.getString(1), rs.getString(2));
                    out.add(new Decision(table, rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6),
                            rs.getLong(7), rs.getInt(5) == -1 && UnreadableHold.parse(rs.getLong(7), table,
                                    rs.getString(8)) != null));
                }
            }
        }
        return out;
    }

    /** Keeps a change of a held table for later, in the caller's transaction; returns its id. */
    long keep(ChangeEvent e) throws SQLException {
        String sql = "INSERT INTO " + heldTable + " (channel, direction, table_schema, table_name, event, held_at)"
                + " VALUES (?, ?, ?, ?, ?, " + dialect.currentUtcTimestamp() + ")";
        try (PreparedStatement ps = dialect.schema() == null
                ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : connection.prepareStatement(sql, new String[] {"id"})) {
            bindTable(ps, e.table());
            ps.setBytes(5, encode(e));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the target returned no id for the row kept in " + heldTable);
                }
                return keys.getLong(1);
            }
        }
    }

    /**
     * Records a hold on changes the source reader could not read (the first kept as {@code hold.seq()}), in the
     * current transaction; returns the ERROR line to log once that commits.
     */
    String recordUnreadable(UnreadableHold hold, ChangeEvent first) throws SQLException {
        String detail = UnreadableHold.detail(first);
        holdUnreadable(hold, first, detail);
        return direction + ": " + detail + " Its later changes wait in ferry.ferry_held, other tables go on (the row of"
                + " ferry.ferry_ddl with channel '" + channel + "', direction '" + direction + "', subtask -1, epoch 0,"
                + " seq " + hold.seq() + ").";
    }

    /**
     * Records the refused change (kept as {@code heldId}) and holds its table, in the current transaction; returns
     * the ERROR line to log once that commits.
     */
    String recordRefusal(long heldId, RefusedChange r) throws SQLException {
        TargetRefusal refusal = r.refusal();
        String detail = refusal.describe(r.table()) + ". Fix: " + refusal.fix() + ".";
        holdRefused(heldId, r.event(), describe(r.event()), detail);
        return direction + ": " + r.table() + " is HELD: the target refused " + r.event() + ": " + refusal.error()
                + ". Reason: " + refusal.reason().cause + ". Its changes wait in ferry.ferry_held; other tables go on."
                + " Fix: " + refusal.fix() + " (the row of ferry.ferry_ddl with channel '" + channel + "', direction '"
                + direction + "', subtask -1, epoch 0, seq " + heldId + ").";
    }

    /**
     * Records the change with id {@code heldId} as refused and its table as held, in the caller's transaction: a new
     * record, or the earlier record of the same change again (it failed again after a {@code retry}).
     */
    void holdRefused(long heldId, ChangeEvent e, String statement, String detail) throws SQLException {
        String cut = detail.substring(0, Math.min(detail.length(), DETAIL_LIMIT));
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ddlTable + " SET outcome = 'held',"
                + " detail = ?, applied_at = " + dialect.currentUtcTimestamp()
                + " WHERE channel = ? AND direction = ? AND subtask = -1 AND epoch = 0 AND seq = ?")) {
            ps.setString(1, cut);
            ps.setString(2, channel);
            ps.setString(3, direction);
            ps.setLong(4, heldId);
            if (ps.executeUpdate() == 0) {
                record(-1, 0, heldId, e, statement, "held", cut);
            }
        }
        markHeld(e.table());
    }

    /**
     * The open hold of {@code table} on changes the source reader could not read, locked (the caller's transaction),
     * or null if the table is not held so (not held, or held by a refused change or a DDL).
     */
    UnreadableHold unreadableHold(TableId table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT seq, statement FROM " + ddlTable
                + " WHERE channel = ? AND direction = ? AND table_schema = ? AND table_name = ? AND subtask = -1"
                + " AND epoch = 0 AND outcome IN ('held', " + DECISIONS + ") FOR UPDATE")) {
            bindTable(ps, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UnreadableHold hold = UnreadableHold.parse(rs.getLong(1), table, rs.getString(2));
                    if (hold != null) {
                        return hold;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Records a hold on undecodable changes, {@code first} kept in ferry_held as {@code hold.seq()}, in the caller's
     * transaction: a new record, or the earlier record of the same change again.
     */
    void holdUnreadable(UnreadableHold hold, ChangeEvent first, String detail) throws SQLException {
        String cut = detail.substring(0, Math.min(detail.length(), DETAIL_LIMIT));
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ddlTable + " SET outcome = 'held',"
                + " statement = ?, detail = ?, applied_at = " + dialect.currentUtcTimestamp()
                + " WHERE channel = ? AND direction = ? AND subtask = -1 AND epoch = 0 AND seq = ?")) {
            ps.setString(1, hold.statement(first.table()));
            ps.setString(2, cut);
            ps.setString(3, channel);
            ps.setString(4, direction);
            ps.setLong(5, hold.seq());
            if (ps.executeUpdate() == 0) {
                record(-1, 0, hold.seq(), first, hold.statement(first.table()), "held", cut);
            }
        }
        markHeld(first.table());
    }

    /** Writes the count and last position of a hold on undecodable changes into its record (caller's transaction). */
    void countUnreadable(UnreadableHold hold, TableId table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ddlTable + " SET statement = ?"
                + " WHERE channel = ? AND direction = ? AND subtask = -1 AND epoch = 0 AND seq = ?")) {
            ps.setString(1, hold.statement(table));
            ps.setString(2, channel);
            ps.setString(3, direction);
            ps.setLong(4, hold.seq());
            ps.executeUpdate();
        }
    }

    /** Writes a {@code ferry_ddl} record, in the caller's transaction. */
    void record(int subtask, long epoch, long seq, ChangeEvent change, String statement, String outcome,
            String detail) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + ddlTable
                + " (channel, direction, subtask, epoch, seq, table_schema, table_name, statement, source_position,"
                + " outcome, detail, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + dialect.currentUtcTimestamp() + ")")) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setInt(3, subtask);
            ps.setLong(4, epoch);
            ps.setLong(5, seq);
            ps.setString(6, change.table().database());
            ps.setString(7, change.table().table());
            ps.setString(8, statement.isEmpty() ? "-- nothing to do" : statement);
            ps.setString(9, change.position() == null ? "" : change.position());
            ps.setString(10, outcome);
            ps.setString(11, detail);
            ps.executeUpdate();
        }
    }

    /** The record of a held change goes back to {@code held}, with why (the operator's SQL failed, ...). */
    void holdAgain(Decision d, String detail) throws SQLException {
        setOutcome(d, "held", detail.substring(0, Math.min(detail.length(), DETAIL_LIMIT)), null);
    }

    /**
     * Whether the table is still held, read under a lock on its hold records (the caller's transaction): a subtask
     * that keeps changes of the table for later so waits for, or keeps out, another that releases it.
     */
    boolean confirm(TableId table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT outcome FROM " + ddlTable + " WHERE channel = ?"
                + " AND direction = ? AND table_schema = ? AND table_name = ? AND outcome IN ('held', " + DECISIONS
                + ") FOR UPDATE")) {
            bindTable(ps, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        Set<TableId> now = new HashSet<>(held);
        now.remove(table);
        held = now;
        return false;
    }

    /**
     * Locks a decision's record (the caller's transaction); false if it no longer holds that decision: another
     * subtask carried it out.
     */
    boolean lock(Decision d) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT outcome FROM " + ddlTable + " WHERE channel = ?"
                + " AND direction = ? AND subtask = ? AND epoch = ? AND seq = ? FOR UPDATE")) {
            ps.setString(1, channel);
            ps.setString(2, direction);
            ps.setInt(3, d.subtask());
            ps.setLong(4, d.epoch());
            ps.setLong(5, d.seq());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && d.outcome().equals(rs.getString(1));
            }
        }
    }

    /** The changes waiting for a table, in arrival order, locked (a current read, not the transaction's snapshot). */
    Map<Long, ChangeEvent> waiting(TableId table) throws SQLException {
        Map<Long, ChangeEvent> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, event FROM " + heldTable
                + " WHERE channel = ? AND direction = ? AND table_schema = ? AND table_name = ? ORDER BY id FOR UPDATE")) {
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
        forget(table, "id <= ?", lastId);
    }

    /** Forgets one waiting change: the change a {@code skip} dropped. */
    void forget(TableId table, long id) throws SQLException {
        forget(table, "id = ?", id);
    }

    private void forget(TableId table, String idCondition, long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + heldTable
                + " WHERE channel = ? AND direction = ? AND table_schema = ? AND table_name = ? AND " + idCondition)) {
            bindTable(ps, table);
            ps.setLong(5, id);
            ps.executeUpdate();
        }
    }

    /** A refused change as its record's {@code statement}: what it does, with its row images as JSON. */
    static String describe(ChangeEvent e) {
        return e.op() + " " + e.table() + " key " + RowJson.array(e.key())
                + (e.before() == null ? "" : " before " + RowJson.object(e.schema(), e.before()))
                + (e.after() == null ? "" : " after " + RowJson.object(e.schema(), e.after()));
    }

    /** Binds channel, direction, schema and table as parameters 1 to 4. */
    private void bindTable(PreparedStatement ps, TableId table) throws SQLException {
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setString(3, table.database());
        ps.setString(4, table.table());
    }

    /**
     * Marks an operator's decision as carried out ({@code released}, or {@code skipped} for the change a skip
     * dropped), in the caller's transaction; false if another subtask carried it out meanwhile (the update waits
     * for that subtask's transaction, and then finds the decision gone).
     */
    boolean released(Decision d, String outcome) throws SQLException {
        if (!setOutcome(d, outcome, null, d.outcome())) {
            return false;
        }
        Set<TableId> now = new HashSet<>(held);
        now.remove(d.table());
        held = now;
        return true;
    }

    /**
     * {@code manual} becomes {@code next} ({@code retry}, or {@code skip} for undecodable changes) once its SQL ran:
     * after a crash, the SQL does not run twice.
     */
    void manualSqlDone(Decision d, String next) throws SQLException {
        setOutcome(d, next, null, "manual");
    }

    /** Sets the outcome (and the detail, if given) of a decision's record, if it still says {@code expected}. */
    private boolean setOutcome(Decision d, String outcome, String detail, String expected) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + ddlTable + " SET outcome = ?,"
                + (detail == null ? "" : " detail = ?,") + " applied_at = " + dialect.currentUtcTimestamp()
                + " WHERE channel = ? AND direction = ? AND subtask = ? AND epoch = ? AND seq = ?"
                + (expected == null ? "" : " AND outcome = ?"))) {
            int i = 1;
            ps.setString(i++, outcome);
            if (detail != null) {
                ps.setString(i++, detail);
            }
            ps.setString(i++, channel);
            ps.setString(i++, direction);
            ps.setInt(i++, d.subtask());
            ps.setLong(i++, d.epoch());
            ps.setLong(i++, d.seq());
            if (expected != null) {
                ps.setString(i, expected);
            }
            return ps.executeUpdate() == 1;
        }
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
