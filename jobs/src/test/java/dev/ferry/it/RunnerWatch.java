package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/** {@code ferry run}'s watch loop, for tests of a direction that must stop at a failure restarting cannot cure. */
final class RunnerWatch {
    private RunnerWatch() {}

    /** One round of the watch loop: whether any direction still runs. */
    static boolean watch(LocalRunner runner) {
        try {
            return runner.watch();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the runner reported the failure of its only direction and stopped that direction (cancelled, not
     * left restarting), and returns the explanation it reported; {@code problems} receives the runner's reports.
     */
    static String awaitStoppedByFailure(LocalRunner runner, List<String> problems, Duration timeout)
            throws Exception {
        JobID job = runner.jobs().values().iterator().next();
        String direction = runner.jobs().keySet().iterator().next().name();
        await(() -> {
            watch(runner);
            return !problems.isEmpty();
        }, timeout, "the direction's failure to be reported");
        // reported and stopped in the same round; left restarting, it would never end by itself
        await(() -> !watch(runner), Duration.ofSeconds(30), "the direction to stop after " + problems.get(0));
        assertThat(runner.cluster().getJobStatus(job).get()).as("the direction was stopped, not left restarting")
                .isEqualTo(JobStatus.CANCELED);
        assertThat(problems).as("problems reported").hasSize(2);
        assertThat(problems.get(1)).isEqualTo("stopping " + direction + "; the other directions keep running.");
        return problems.get(0);
    }
}
