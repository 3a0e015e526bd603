package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.operators.heartbeat.HeartbeatWriter;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * A read barrier on the target's binlog: a row written into the target just before committables are applied, and
 * awaited on the target history input. Once it has arrived, every write the target committed before it is in the
 * history, so the apply decides against what the target really did, not against a history that lags by the binlog
 * reader's delay (docs/conflicts.md, "The read lag"). The row is a heartbeat row of a name of its own (other
 * readers take it for another direction's heartbeat), chosen so that its key reaches this writer subtask.
 */
final class HistoryBarrier implements AutoCloseable {
    private final Endpoint target;
    private final String channel;
    private final String name;
    private Connection connection;
    private long last;

    HistoryBarrier(Endpoint target, String channel, String direction, int subtask, int maxParallelism,
            int parallelism) {
        this.target = target;
        this.channel = channel;
        this.name = nameFor(channel, direction, subtask, maxParallelism, parallelism);
    }

    /** The heartbeat row name of subtask {@code subtask}'s barrier: its row key is routed to that subtask. */
    static String nameFor(String channel, String direction, int subtask, int maxParallelism, int parallelism) {
        for (int n = 0; ; n++) {
            String name = direction + " barrier " + n;
            String key = RowKeys.of(FerryTables.HEARTBEAT, new Object[] {channel, name});
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism) == subtask) {
                return name;
            }
        }
    }

    /** Writes a new barrier (autocommit) and returns its value. */
    long write(long now) throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            close();
            connection = target.connect();
            connection.setAutoCommit(true);
        }
        last = Math.max(now, last + 1); // a row that does not change is not logged
        try {
            HeartbeatWriter.write(connection, channel, name, last);
        } catch (SQLException e) {
            close();
            throw e;
        }
        return last;
    }

    /** The value of this barrier if {@code e} is one, else -1. */
    long valueOf(ChangeEvent e) {
        if (e.op() != Op.HEARTBEAT || !e.table().equals(FerryTables.HEARTBEAT)) {
            return -1;
        }
        int column = e.schema().indexOf("direction");
        int value = e.schema().indexOf("ts_ms");
        if (column < 0 || value < 0 || !name.equals(e.after()[column]) || !channel.equals(e.after()[e.schema()
                .indexOf("channel")])) {
            return -1;
        }
        return ((Number) e.after()[value]).longValue();
    }

    @Override
    public void close() {
        Endpoint.closeQuietly(connection);
        connection = null;
    }
}
