package dev.ferry.it;

import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.DirectionConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs every direction of a {@link LinkedSites} through {@code ferry run}'s in-process runner, on servers of one kind. */
abstract class MeshITBase {
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @TempDir
    Path stateDir;

    LocalRunner runner;
    /** What the runner reported as failing, e.g. a direction that stopped. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    abstract ServerKind kind();

    @AfterEach
    void stopRunner() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    void start(LinkedSites mesh) throws Exception {
        runner = new LocalRunner(mesh.config(), 0, problems::add);
        runner.start();
    }

    /**
     * No direction failed: every job is RUNNING and never restarted, and the runner, asked now, reports no
     * failure (a failure that a restart may fix shows as a restart, one it cannot fix as a stopped job).
     */
    void assertEveryDirectionRunsWithoutRestart() throws Exception {
        runner.watch(); // passes the jobs' failures, if any, to problems
        for (Map.Entry<DirectionConfig, JobID> job : runner.jobs().entrySet()) {
            assertThat(runner.cluster().getJobStatus(job.getValue()).get()).as("status of %s", job.getKey().name())
                    .isEqualTo(JobStatus.RUNNING);
        }
        assertThat(FlinkRest.restarts(runner)).as("job restarts").isZero();
        assertThat(problems).isEmpty();
    }

    /** Sites sh and us, each with a new database holding the table {@code tableDdl} creates. */
    LinkedSites mesh2(String prefix, String tableDdl, boolean snapshotFromSh) {
        TestDatabase sh = TestServers.site(kind(), "sh");
        TestDatabase us = TestServers.site(kind(), "us");
        String db = sh.createDatabase(prefix);
        us.execute("CREATE DATABASE " + q(db));
        for (TestDatabase site : List.of(sh, us)) {
            TwoWayITBase.exec(site, db, tableDdl);
        }
        return new LinkedSites(channelName(), db, twoSites(sh, us), stateDir, snapshotFromSh);
    }

    static Map<String, TestDatabase> twoSites(TestDatabase sh, TestDatabase us) {
        Map<String, TestDatabase> sites = new LinkedHashMap<>();
        sites.put("sh", sh);
        sites.put("us", us);
        return sites;
    }

    static String channelName() {
        return "tw" + ProcessHandle.current().pid() + "_" + CHANNELS.incrementAndGet();
    }
}
