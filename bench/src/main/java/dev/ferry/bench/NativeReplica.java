package dev.ferry.bench;

import dev.ferry.testing.DatabaseServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Native MariaDB replication source -> replica: single-threaded, file/position based. */
final class NativeReplica implements AutoCloseable {
    static final String USER = "bench_repl";
    static final String PASSWORD = "bench-repl-pw";

    private final DatabaseServer source;
    private final DatabaseServer replica;
    private final Connection sourceConn;
    private final Connection replicaConn;
    /** Where the replica reaches the source. */
    private final String masterHost;

    NativeReplica(DatabaseServer source, DatabaseServer replica) throws SQLException {
        this(source, replica, "127.0.0.1");
    }

    /** @param masterHost the source's address as the replica sees it */
    NativeReplica(DatabaseServer source, DatabaseServer replica, String masterHost) throws SQLException {
        this.masterHost = masterHost;
        this.source = source;
        this.replica = replica;
        this.sourceConn = source.connect();
        this.replicaConn = replica.connect();
    }

    /** Creates the replication user, points the replica at the source's current end and starts it. */
    void setUp() throws SQLException {
        source.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE ON *.* TO '" + USER + "'@'%'");
        BinlogPos pos = sourceEnd();
        replica.execute("CHANGE MASTER TO MASTER_HOST='" + masterHost + "', MASTER_PORT=" + source.port()
                + ", MASTER_USER='" + USER + "', MASTER_PASSWORD='" + PASSWORD + "', MASTER_LOG_FILE='" + pos.file()
                + "', MASTER_LOG_POS=" + pos.pos() + ", MASTER_USE_GTID=no", "START SLAVE");
    }

    /** The source's binlog end (SHOW MASTER STATUS). */
    BinlogPos sourceEnd() throws SQLException {
        try (Statement s = sourceConn.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new IllegalStateException("SHOW MASTER STATUS returned nothing: binary log off at the source?");
            }
            return new BinlogPos(rs.getString("File"), rs.getLong("Position"));
        }
    }

    void stop() throws SQLException {
        try (Statement s = replicaConn.createStatement()) {
            s.execute("STOP SLAVE");
        }
    }

    void start() throws SQLException {
        try (Statement s = replicaConn.createStatement()) {
            s.execute("START SLAVE");
        }
    }

    /** Where the replica's SQL thread is, in source coordinates, and whether its threads run. */
    Status status() throws SQLException {
        try (Statement s = replicaConn.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                throw new IllegalStateException("the replica has no replication configured");
            }
            return new Status(new BinlogPos(rs.getString("Relay_Master_Log_File"), rs.getLong("Exec_Master_Log_Pos")),
                    "Yes".equalsIgnoreCase(rs.getString("Slave_IO_Running")),
                    "Yes".equalsIgnoreCase(rs.getString("Slave_SQL_Running")),
                    rs.getString("Last_IO_Error"), rs.getString("Last_SQL_Error"));
        }
    }

    /**
     * Polls every 10 ms until the replica has executed up to {@code target}.
     * @return false if the deadline passed first
     * @throws IllegalStateException if the SQL thread stopped with an error
     */
    boolean awaitExecuted(BinlogPos target, long deadlineNanos) throws SQLException, InterruptedException {
        while (true) {
            Status st = status();
            if (st.executed().compareTo(target) >= 0) {
                return true;
            }
            if (st.lastSqlError() != null && !st.lastSqlError().isEmpty() && !st.sqlRunning()) {
                throw new IllegalStateException("native replica SQL thread stopped: " + st.lastSqlError());
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /** Settings that describe this replica, for the report. */
    String describe() {
        List<List<Object>> r = replica.query("SELECT @@slave_parallel_threads, @@slave_parallel_mode,"
                + " @@log_slave_updates, @@replicate_wild_do_table");
        List<Object> row = r.get(0);
        return "slave_parallel_threads=" + row.get(0) + " (single-threaded SQL thread), slave_parallel_mode="
                + row.get(1) + ", log_slave_updates=" + (Integer.parseInt(String.valueOf(row.get(2))) == 1 ? "ON" : "OFF")
                + ", replicate_wild_do_table=" + row.get(3) + ", MASTER_USE_GTID=no";
    }

    @Override
    public void close() {
        try {
            sourceConn.close();
        } catch (SQLException ignored) {
            // exiting anyway
        }
        try {
            replicaConn.close();
        } catch (SQLException ignored) {
            // exiting anyway
        }
    }

    record BinlogPos(String file, long pos) implements Comparable<BinlogPos> {
        @Override
        public int compareTo(BinlogPos o) {
            int byFile = file.compareTo(o.file);
            return byFile != 0 ? byFile : Long.compare(pos, o.pos);
        }

        @Override
        public String toString() {
            return file + ":" + pos;
        }
    }

    record Status(BinlogPos executed, boolean ioRunning, boolean sqlRunning, String lastIoError,
            String lastSqlError) {}
}
