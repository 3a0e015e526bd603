package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.q;

import dev.ferry.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/**
 * A MySQL replica of one database of a source server, by GTID auto-position, and its promotion. The replica is
 * provisioned as from a dump (the source's binlogs may have been purged by other tests): the database is copied,
 * gtid_purged set to the source's gtid_executed, and replication filtered to that database, so that the other tests'
 * databases on the shared source are skipped (their GTIDs still reach the replica, as empty transactions).
 */
final class MySqlReplica {
    private final TestDatabase source;
    private final TestDatabase replica;

    private MySqlReplica(TestDatabase source, TestDatabase replica) {
        this.source = source;
        this.replica = replica;
    }

    /** Makes {@code replica} a replica of {@code database} at {@code source}, which must not change meanwhile. */
    static MySqlReplica start(TestDatabase source, TestDatabase replica, String database) {
        replica.execute("STOP REPLICA", "RESET REPLICA ALL");
        ServerCopy.copyDatabase(source, replica, database);
        String executed = gtidExecuted(source);
        replica.execute("RESET BINARY LOGS AND GTIDS");
        replica.query("SET GLOBAL gtid_purged = ?", executed);
        replica.execute("CHANGE REPLICATION FILTER REPLICATE_DO_DB = (" + q(database) + ")");
        replica.query("CHANGE REPLICATION SOURCE TO SOURCE_HOST = ?, SOURCE_PORT = ?, SOURCE_USER = ?,"
                + " SOURCE_PASSWORD = ?, SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1", source.host(),
                source.port(), source.adminUser(), source.adminPassword());
        replica.execute("START REPLICA");
        return new MySqlReplica(source, replica);
    }

    /** Waits until the replica applied every transaction the source has now; fails at a replication error. */
    void awaitCaughtUp(Duration timeout) {
        String executed = gtidExecuted(source);
        await(() -> {
            List<List<Object>> errors = replica.query("SELECT LAST_ERROR_MESSAGE FROM"
                    + " performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0"
                    + " UNION ALL SELECT LAST_ERROR_MESSAGE FROM performance_schema.replication_connection_status"
                    + " WHERE LAST_ERROR_NUMBER <> 0");
            if (!errors.isEmpty()) {
                throw new AssertionError("replication from " + source.name() + " to " + replica.name()
                        + " failed: " + errors);
            }
            return "1".equals(String.valueOf(replica.query("SELECT GTID_SUBSET(?, @@global.gtid_executed)", executed)
                    .get(0).get(0)));
        }, timeout, replica.name() + " to apply " + executed);
    }

    /** The replica becomes a primary: replication stopped and forgotten. */
    void promote() {
        replica.execute("STOP REPLICA", "RESET REPLICA ALL");
    }

    static String gtidExecuted(TestDatabase server) {
        return String.valueOf(server.query("SELECT @@global.gtid_executed").get(0).get(0)).replace("\n", "");
    }
}
