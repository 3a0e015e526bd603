package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ferry run} process: killed with SIGKILL under load it resumes from its last
 * checkpoint; stopped with SIGTERM it takes a savepoint and resumes from it with no new snapshot.
 */
abstract class FerryRunITBase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    abstract ServerKind kind();

    @Test
    void killNineUnderLoadThenCleanStopAndResume() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "run", dir.resolve("state"));
        TestDatabase sh = channel.sh;
        TestDatabase us = channel.us;
        String database = channel.database;
        Path config = dir.resolve("channel.yaml");
        Files.writeString(config, channel.yaml("initial", "transactional"));
        Map<String, String> env = Map.of(Channel.PASSWORD_VARIABLE, sh.adminPassword());
        Workload.createTables(sh, database);

        long transactions;
        try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-0.log"))) {
            ferry.awaitOutput("dashboard at http://127.0.0.1:", TIMEOUT);
            Workload.awaitSnapshotDone(sh, us, database, TIMEOUT);
            assertThat(ferry.terminate(TIMEOUT)).isZero();
        }
        try (Workload load = new Workload(sh, database, 1)) {
            try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-1.log"))) {
                ferry.awaitOutput("resumes from", TIMEOUT);
                await(() -> count(us, database, "events") > 300, TIMEOUT, "the load to reach the target");
                ferry.kill9();
            }
            long before = load.transactions();
            await(() -> load.transactions() > before + 300, TIMEOUT, "load while ferry is down");
            try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-2.log"))) {
                ferry.awaitOutput("resumes from", TIMEOUT);
                assertThat(ferry.output()).anyMatch(l -> l.contains("resumes from") && l.contains("chk-"));
                long after = load.transactions();
                await(() -> load.transactions() > after + 300, TIMEOUT, "load after the restart");
                transactions = load.stop();
                await(() -> appliedRows(us, channel.name) >= Workload.expectedAppliedRows(transactions), TIMEOUT,
                        "every change to arrive");
                assertThat(ferry.terminate(TIMEOUT)).as("exit code after SIGTERM").isZero();
                assertThat(ferry.output()).anyMatch(l -> l.contains("stopped with savepoint"));
            }
        }
        assertApplied(channel, transactions);

        // a clean restart resumes from the savepoint: no new snapshot, nothing applied twice
        sh.execute("UPDATE `" + database + "`.counters SET n = n + 1 WHERE id = 0");
        try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-3.log"))) {
            ferry.awaitOutput("resumes from", TIMEOUT);
            assertThat(ferry.output()).anyMatch(l -> l.contains("resumes from") && l.contains("savepoint"));
            await(() -> appliedRows(us, channel.name) >= Workload.expectedAppliedRows(transactions) + 1, TIMEOUT,
                    "the change made while ferry was stopped");
            assertThat(ferry.terminate(TIMEOUT)).isZero();
        }
        assertThat(appliedRows(us, channel.name)).isEqualTo(Workload.expectedAppliedRows(transactions) + 1);
        awaitSameRows(sh, us, database, "counters", TIMEOUT);
        awaitSameRows(sh, us, database, "events", TIMEOUT);
    }

    private static void assertApplied(Channel channel, long transactions) {
        awaitSameRows(channel.sh, channel.us, channel.database, "events", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "counters", TIMEOUT);
        assertThat(appliedRows(channel.us, channel.name)).as("rows applied (no loss, no duplicates)")
                .isEqualTo(Workload.expectedAppliedRows(transactions));
    }
}
