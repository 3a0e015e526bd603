package dev.ferry.bench;

import dev.ferry.bench.NativeReplica.BinlogPos;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.ServerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's three MariaDB servers (the source, Ferry's target and the native replica) and what is done to
 * their data between the measurements: resetting, planting conflicts, comparing checksums.
 */
final class BenchServers implements AutoCloseable {
    private final Progress progress;
    private DatabaseServer source;
    private DatabaseServer ferryTarget;
    private DatabaseServer replica;
    private NativeReplica nativeRepl;

    BenchServers(Progress progress) {
        this.progress = progress;
    }

    DatabaseServer source() {
        return source;
    }

    DatabaseServer ferryTarget() {
        return ferryTarget;
    }

    DatabaseServer replica() {
        return replica;
    }

    NativeReplica nativeRepl() {
        return nativeRepl;
    }

    /** Starts the three servers and native replication, both targets with {@code durability}. */
    void start(ReplicationBenchmark.Durability durability) throws Exception {
        source = DatabaseServer.start(ServerKind.MARIADB, "source", Map.of());
        ferryTarget = DatabaseServer.start(ServerKind.MARIADB, "ferry-target", durability.settings());
        Map<String, String> replicaCnf = new LinkedHashMap<>(durability.settings());
        replicaCnf.put("replicate-wild-do-table", Workload.DATABASE + ".%"); // Ferry's own tables stay out
        replicaCnf.put("log-slave-updates", "ON"); // it writes a binlog of what it applies, as Ferry's target does
        replicaCnf.put("slave-parallel-threads", "0"); // the baseline: one SQL thread
        replica = DatabaseServer.start(ServerKind.MARIADB, "native-replica", replicaCnf);
        nativeRepl = new NativeReplica(source, replica);
        nativeRepl.setUp();
        awaitNativeCaughtUp(60);
    }

    /** A fresh benchmark database at all three servers, each with the same {@code preloadRows}. */
    void resetDatabases(long preloadRows) throws SQLException {
        resetDatabase(source, true, preloadRows);
        resetDatabase(ferryTarget, false, preloadRows);
        resetDatabase(replica, false, preloadRows);
    }

    /** Drops and recreates the benchmark database; at the source without writing the binlog. */
    static void resetDatabase(DatabaseServer server, boolean isSource, long preloadRows) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            if (isSource) {
                s.execute("SET SESSION sql_log_bin = 0");
            }
            for (String sql : Workload.DDL) {
                s.execute(sql);
            }
            if (preloadRows > 0) {
                s.execute("USE " + Workload.DATABASE);
                for (String sql : Workload.preloadStatements(preloadRows)) {
                    s.execute(sql);
                }
            }
        }
    }

    /**
     * Writes every {@code 100 / percent}-th key of the bulk backlog (ids 1..rows) into Ferry's target with values the
     * source will not have, so that Ferry meets that share of its inserts as conflicts. The native replica gets none:
     * a duplicate key stops native replication.
     */
    long plantConflicts(long rows, int percent) throws SQLException {
        long step = Math.max(1, Math.round(100.0 / percent));
        long planted = 0;
        try (Connection c = connectBench(ferryTarget); Statement s = c.createStatement()) {
            StringBuilder sql = null;
            for (long id = step; id <= rows; id += step) {
                sql = (sql == null ? new StringBuilder("INSERT INTO " + Workload.TABLE
                        + " (id, k, c, pad, v, seq, src_ms) VALUES ") : sql.append(','))
                        .append('(').append(id).append(", 0, 'planted', 'planted', -1, 0, 0)");
                if (++planted % 1000 == 0) {
                    s.execute(sql.toString());
                    sql = null;
                }
            }
            if (sql != null) {
                s.execute(sql.toString());
            }
        }
        return planted;
    }

    long conflictsRecorded(String channel) throws SQLException {
        try (Connection c = ferryTarget.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ferry.ferry_conflict WHERE channel = '" + channel + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void awaitNativeCaughtUp(int timeoutSeconds) throws Exception {
        BinlogPos end = nativeRepl.sourceEnd();
        if (!nativeRepl.awaitExecuted(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds))) {
            throw new IllegalStateException("native replica did not reach " + end + " within " + timeoutSeconds
                    + " s: " + nativeRepl.status());
        }
    }

    static Connection connectBench(DatabaseServer server) throws SQLException {
        return java.sql.DriverManager.getConnection(server.jdbcUrl() + "/" + Workload.DATABASE
                        + "?allowMultiQueries=true&" + DatabaseServer.CONNECTION_OPTIONS + "&useLocalSessionState=true",
                server.adminUser(), server.adminPassword());
    }

    static String checksumOf(DatabaseServer server) throws SQLException {
        try (Connection c = server.connect()) {
            return Workload.checksum(c);
        }
    }

    /** "ok" if {@code target} holds the source's rows, else "DIFFERS" and a problem for the report. */
    String sameData(String sourceSum, DatabaseServer target, String who, String tag) throws SQLException {
        String t = checksumOf(target);
        if (t.equals(sourceSum)) {
            return "ok";
        }
        progress.problem(tag + " " + who + ": target table differs from the source (count/crc source " + sourceSum
                + ", target " + t + ")");
        return "DIFFERS";
    }

    /** Stops native replication and the servers; reports, but survives, a server that will not close. */
    @Override
    public void close() {
        if (nativeRepl != null) {
            nativeRepl.close();
        }
        for (DatabaseServer s : new DatabaseServer[] {source, ferryTarget, replica}) {
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    System.err.println("could not close " + s + ": " + e);
                }
            }
        }
    }
}
