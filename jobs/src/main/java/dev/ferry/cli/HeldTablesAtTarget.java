package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.Endpoints;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ferry status} shows of a direction's held tables: the records in its target's {@code ferry.ferry_ddl}
 * that wait for an operator's decision, or for Ferry to carry one out, with the reason and the fix. Read-only.
 */
final class HeldTablesAtTarget {
    /**
     * One held table: its name, the record's outcome and id, its detail (the reason and the fix), and for changes the
     * source reader could not read, how many and where (the record's statement), else null.
     */
    record Held(String table, String outcome, int subtask, long epoch, long seq, String detail, String unreadable) {
        String line() {
            String state = "held".equals(outcome) ? "HELD" : "HELD, decision '" + outcome + "' is carried out at the"
                    + " next commit";
            return table + " " + state + " (ferry.ferry_ddl subtask " + subtask + ", epoch " + epoch + ", seq " + seq
                    + "): " + (unreadable == null ? "" : unreadable + ". ") + detail;
        }
    }

    /** How the record of a hold on changes the source reader could not read begins its statement (UnreadableHold). */
    private static final String UNREADABLE = "UNDECODABLE ";

    private HeldTablesAtTarget() {}

    /** The direction's held tables at its target, oldest first. */
    static List<Held> read(ChannelConfig config, DirectionConfig direction) throws SQLException {
        List<Held> out = new ArrayList<>();
        try (Connection c = Endpoints.of(config.site(direction.to())).connect();
                PreparedStatement ps = c.prepareStatement("SELECT table_schema, table_name, outcome, subtask, epoch,"
                        + " seq, detail, statement FROM ferry.ferry_ddl WHERE channel = ? AND direction = ?"
                        + " AND outcome IN ('held', 'retry', 'skip', 'manual') ORDER BY applied_at")) {
            ps.setString(1, config.channel());
            ps.setString(2, direction.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String statement = rs.getString(8);
                    out.add(new Held(rs.getString(1) + "." + rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getInt(4) == -1 && statement != null
                                    && statement.startsWith(UNREADABLE) ? statement : null));
                }
            }
        }
        return out;
    }

    /** The held tables read from a direction's target, or why they could not be read (then null). */
    record Report(List<Held> held, String unreadable) {
        /** The lines status prints. */
        List<String> lines(DirectionConfig direction) {
            return held == null ? List.of("held tables at '" + direction.to() + "' not read (" + unreadable + "): see"
                    + " its ferry.ferry_ddl rows with outcome 'held'") : held.stream().map(Held::line).toList();
        }

        boolean anyHeld() {
            return held != null && !held.isEmpty();
        }
    }

    static Report report(ChannelConfig config, DirectionConfig direction) {
        try {
            return new Report(read(config, direction), null);
        } catch (SQLException | RuntimeException e) {
            return new Report(null, e.getMessage());
        }
    }
}
