package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.job.RestorePoint;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

/**
 * The one-direction tests plus failover under load (a TaskManager killed, a restore from the retained checkpoint)
 * and parallel apply: what each server kind runs, but a pair of server versions need not (MySqlVersionPairITBase).
 */
abstract class ReplicationFailoverITBase extends ReplicationITBase {
    @Test
    void taskManagerKilledUnderLoadLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster flink) throws Exception {
        underLoad("transactional", 200, load -> {
            flink.terminateTaskManager(0).get();
            flink.startTaskManager();
            long before = load.transactions();
            await(() -> load.transactions() > before + 500, TIMEOUT, "more load after the restart");
        });
    }

    @Test
    void cancelThenRestoreFromTheRetainedCheckpoint() throws Exception {
        stopUnderLoadThenResume(config -> {
            job.cancel().get();
            await(() -> status(job).isGloballyTerminalState(), TIMEOUT, "the job to be cancelled");
            Optional<Path> checkpoint = RestorePoint.latest(stateDir, direction(config).name());
            assertThat(checkpoint).as("a retained checkpoint").isPresent();
            assertThat(checkpoint.get().getFileName().toString()).startsWith("chk-");
            return checkpoint.get();
        });
    }

    @Test
    void parallelApplyConverges() throws Exception {
        underLoad("parallel", 500, load -> { });
    }

    /**
     * Runs the workload against a fresh job, does {@code duringLoad} once {@code arrived} events
     * reached the target, then stops the load and checks convergence.
     */
    private void underLoad(String applyMode, long arrived, DuringLoad duringLoad) throws Exception {
        Workload.createTables(channel.sh, channel.database);
        job = start(channel.config("initial", applyMode), Optional.empty());
        Workload.awaitSnapshotDone(channel.sh, channel.us, channel.database, TIMEOUT);
        long transactions;
        try (Workload load = new Workload(channel.sh, channel.database, 1)) {
            await(() -> count(channel.us, channel.database, "events") > arrived, TIMEOUT,
                    "the load to reach the target");
            duringLoad.run(load);
            transactions = load.stop();
        }
        assertConverged(transactions);
    }

    private interface DuringLoad {
        void run(Workload load) throws Exception;
    }
}
