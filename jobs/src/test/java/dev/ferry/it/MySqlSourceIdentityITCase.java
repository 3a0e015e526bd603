package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.cli.LocalRunner;
import dev.ferry.common.ChangeEvent;
import dev.ferry.job.Endpoints;
import dev.ferry.job.FerryException;
import dev.ferry.job.RestorePoint;
import dev.ferry.job.identity.SourceIdentityGuard;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySqlSourceIdentityITCase extends SourceIdentityITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }

    @Override
    String identityOf(TestDatabase server) {
        return "MySQL server_uuid " + server.query("SELECT @@server_uuid").get(0).get(0) + " (server_id "
                + server.serverId() + ")";
    }

    /** No replication, and a gtid_executed with none of the source's transactions, as after a fresh install. */
    @Override
    void resetToFresh(TestDatabase other) {
        other.execute("STOP REPLICA", "RESET REPLICA ALL", "RESET BINARY LOGS AND GTIDS");
    }

    /**
     * A failover behind the source's address: the direction is stopped with a savepoint under load, the source
     * goes on writing, its replica catches up and is promoted, and the direction starts again with site 'sh' at the
     * promoted replica, where the load goes on. The saved position is the old primary's binlog file and position,
     * but the replica holds every transaction it covers, so the source resumes by GTID set: the target ends equal to
     * the new primary, and the commit markers count every row change exactly once.
     */
    @Test
    void aPromotedReplicaBehindTheSiteAddressResumesByGtidSetLosingAndRepeatingNothing() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "promote", dir.resolve("state"));
        TestDatabase primary = channel.sh;
        TestDatabase us = channel.us;
        String database = channel.database;
        Workload.createTables(primary, database);
        TestDatabase replicaServer = TestServers.site(kind(), "other");
        MySqlReplica replica = MySqlReplica.start(primary, replicaServer, database);

        List<String> problems = new CopyOnWriteArrayList<>();
        long beforeFailover;
        try (LocalRunner runner = new LocalRunner(channel.config("initial", "transactional"), 0, problems::add)) {
            runner.start();
            Workload.awaitSnapshotDone(primary, us, database, TIMEOUT);
            try (Workload load = new Workload(primary, database, 1)) {
                await(() -> count(us, database, "events") > 200, TIMEOUT, "the load to reach the target");
                runner.stopWithSavepoint();
                long atStop = load.transactions();
                await(() -> load.transactions() > atStop + 200, TIMEOUT, "load while the direction is down");
                beforeFailover = load.stop();
            }
        }
        assertThat(RestorePoint.latest(channel.stateDir, "sh->us")).as("restore point")
                .hasValueSatisfying(p -> assertThat(p.toString()).contains("savepoint"));
        replica.awaitCaughtUp(TIMEOUT);
        replica.promote();

        Channel failedOver = new Channel(channel.name, database, replicaServer, us, channel.stateDir);
        long afterFailover;
        try (LocalRunner runner = new LocalRunner(failedOver.config("initial", "transactional"), 0,
                problems::add)) {
            runner.start();
            try (Workload load = new Workload(replicaServer, database, beforeFailover + 1)) {
                await(() -> load.transactions() > 200 && RunnerWatch.watch(runner), TIMEOUT, "load at the promoted replica");
                afterFailover = load.stop();
            }
            long transactions = beforeFailover + afterFailover;
            long expectedRows = Workload.expectedAppliedRows(transactions);
            await(() -> RunnerWatch.watch(runner) && appliedRows(us, channel.name) >= expectedRows, TIMEOUT,
                    expectedRows + " applied rows");
            awaitSameRows(replicaServer, us, database, "events", TIMEOUT);
            awaitSameRows(replicaServer, us, database, "counters", TIMEOUT);
            assertThat(problems).as("problems reported").isEmpty();
            assertThat(appliedRows(us, channel.name)).as("rows applied (no loss, no duplicates)")
                    .isEqualTo(expectedRows);
            assertThat(count(us, database, "events")).isEqualTo(transactions + 1);
            assertThat(((Number) us.query("SELECT SUM(n) FROM " + q(database) + ".counters").get(0).get(0))
                    .longValue()).isEqualTo(transactions);
        }
    }

    /**
     * The guard alone, on Flink's operator test harness: state restored without an identity (a checkpoint of a Ferry
     * from before the guard) is accepted and the server found is recorded, so that the next restore against another
     * server is refused.
     */
    @Test
    void stateWithoutAnIdentityRestoresAndRecordsTheServerFound() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "oldstate", dir.resolve("state"));
        TestDatabase other = TestServers.site(kind(), "other");
        resetToFresh(other);
        OperatorSubtaskState recorded;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> guard = guard(channel)) {
            guard.initializeState(OperatorSubtaskState.builder().build());
            guard.open();
            recorded = guard.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> guard = guard(channel)) {
            guard.initializeState(recorded);
            guard.open();
        }
        Channel moved = new Channel(channel.name, channel.database, other, channel.us, channel.stateDir);
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> guard = guard(moved)) {
            assertThatThrownBy(() -> guard.initializeState(recorded)).isInstanceOf(FerryException.class)
                    .hasMessageContaining(SourceIdentityGuard.REFUSAL)
                    .hasMessageContaining("it read " + identityOf(channel.sh))
                    .hasMessageContaining("the address now reaches " + identityOf(other));
        }
    }

    private static OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> guard(Channel channel)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new SourceIdentityGuard("sh->us",
                Endpoints.of(channel.config("initial", "transactional").site("sh")))));
    }
}
