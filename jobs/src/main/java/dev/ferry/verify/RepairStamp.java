package dev.ferry.verify;

import dev.ferry.dialect.Dialect;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The Ferry commit marker that starts every repair transaction, in the repaired site's
 * {@code ferry.ferry_commit}: every Ferry binlog reader of that site drops the transaction, so the repair is
 * not replicated back (see LoopFilter). One epoch per verify run, one sequence number per transaction.
 */
public final class RepairStamp {
    /** The marker's direction: no real direction has this name, so no reader takes the rows as its echoes. */
    public static final String DIRECTION = "verify-repair";

    private final String channel;
    private final long epoch;
    private long sequence;

    RepairStamp(String channel, long epoch) {
        this.channel = channel;
        this.epoch = epoch;
    }

    /** Inserts the marker through the site's dialect (its names, its current UTC time), in the open transaction. */
    void insert(Connection c, Dialect dialect, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + dialect.quoteTable(FerryTables.COMMIT)
                + " (channel, direction, subtask, epoch, seq, row_count, committed_at) VALUES (?, ?, 0, ?, ?, ?, "
                + dialect.currentUtcTimestamp() + ")")) {
            ps.setString(1, channel);
            ps.setString(2, DIRECTION);
            ps.setLong(3, epoch);
            ps.setLong(4, ++sequence);
            ps.setLong(5, rows);
            ps.executeUpdate();
        }
    }
}
