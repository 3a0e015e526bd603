package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.FerryJob;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ferry status}: each direction of a channel as its Flink cluster reports it. */
public final class ChannelStatus {
    /** Ferry's sink metrics, one per subtask: {@code <subtask>.<operator>.<metric>}. */
    private static final Pattern SINK_METRIC = Pattern.compile(
            "\\d+\\.[^.]+\\.(lagMs|appliedRowsPerSecond|appliedRows|conflicts|snapshotRows|streaming|heldTables)");

    /**
     * One direction.
     *
     * @param state Flink's job state, or {@code NOT FOUND} if the cluster has no job of that name
     * @param lagMs how long ago the newest source heartbeat that reached the target was written; -1 if none yet
     * @param lastCheckpointId the last completed checkpoint, or -1
     * @param lastCheckpointAgeMs how long ago it completed, or -1
     * @param failedCheckpoints checkpoints that failed after the last completed one (all of them if none completed)
     * @param streaming whether the job applied a change read from the binlog since it (re)started
     * @param snapshotRows rows of the initial copy applied since the job (re)started
     * @param failures the job's recent failures (a restart loop)
     */
    public record Direction(String name, String jobId, String state, boolean streaming, long snapshotRows,
            long lagMs, double rowsPerSecond, long appliedRows, long conflicts, long heldTables, long lastCheckpointId,
            long lastCheckpointAgeMs, long failedCheckpoints, JobFailures failures) {
        /** Running and not in a restart loop. */
        public boolean running() {
            return "RUNNING".equals(state) && !failures.restartLoop();
        }

        /**
         * Flink's job state, or FAILING for a job in a restart loop: between two failures Flink says RUNNING (while
         * it restores) or RESTARTING (its back-off), and a loop shows as one state whichever moment status reads.
         */
        public String shownState() {
            return LOOP_STATES.contains(state) && failures.restartLoop() ? "FAILING" : state;
        }
    }

    /** Flink's states of a job that is between two attempts of a loop (it has not given up or been stopped). */
    private static final Set<String> LOOP_STATES = Set.of("RUNNING", "RESTARTING", "CREATED", "INITIALIZING");

    private ChannelStatus() {}

    public static List<Direction> read(ChannelConfig config, FlinkRestClient rest) throws IOException {
        JsonNode jobs = rest.get("/jobs/overview").path("jobs");
        List<Direction> out = new ArrayList<>();
        for (DirectionConfig d : config.directions()) {
            JsonNode job = newest(jobs, FerryJob.jobName(config, d));
            out.add(job == null ? new Direction(d.name(), null, "NOT FOUND", false, 0, -1, 0, 0, 0, 0, -1, -1, 0,
                    JobFailures.NONE)
                    : direction(d, job, rest));
        }
        return out;
    }

    /** The most recently started job of that name (a resubmitted direction leaves its old jobs listed). */
    private static JsonNode newest(JsonNode jobs, String name) {
        JsonNode best = null;
        for (JsonNode j : jobs) {
            if (name.equals(j.path("name").asText())
                    && (best == null || j.path("start-time").asLong() > best.path("start-time").asLong())) {
                best = j;
            }
        }
        return best;
    }

    private static Direction direction(DirectionConfig d, JsonNode job, FlinkRestClient rest) throws IOException {
        String id = job.path("jid").asText();
        Map<String, Double> metrics = rest.operatorMetrics(id, name -> SINK_METRIC.matcher(name).matches());
        JsonNode checkpoints = checkpoints(id, rest);
        JsonNode last = checkpoints.path("latest").path("completed");
        long ackedAt = last.path("latest_ack_timestamp").asLong(-1);
        return new Direction(d.name(), id, job.path("state").asText(), max(metrics, "streaming") > 0,
                (long) sum(metrics, "snapshotRows"), (long) max(metrics, "lagMs"), sum(metrics, "appliedRowsPerSecond"),
                (long) sum(metrics, "appliedRows"), (long) sum(metrics, "conflicts"), (long) max(metrics, "heldTables"),
                last.path("id").asLong(-1), ackedAt < 0 ? -1 : System.currentTimeMillis() - ackedAt,
                failedSince(checkpoints, last.path("id").asLong(-1)), JobFailures.read(id, d.name(), d.from(), rest));
    }

    /**
     * Failed checkpoints after the last completed one, from the recent history: the count since the job's start would
     * keep a failure at start-up on screen for ever.
     */
    private static long failedSince(JsonNode checkpoints, long lastCompleted) {
        long failed = 0;
        for (JsonNode c : checkpoints.path("history")) {
            if ("FAILED".equals(c.path("status").asText()) && c.path("id").asLong() > lastCompleted) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * The job's checkpoint statistics; none yet (an empty object) while Flink cannot give them: a job that is
     * still starting answers HTTP 500 for a moment.
     */
    private static JsonNode checkpoints(String jobId, FlinkRestClient rest) {
        try {
            return rest.get("/jobs/" + jobId + "/checkpoints");
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static double sum(Map<String, Double> metrics, String name) {
        return values(metrics, name).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double max(Map<String, Double> metrics, String name) {
        return values(metrics, name).stream().mapToDouble(Double::doubleValue).max().orElse(-1);
    }

    private static List<Double> values(Map<String, Double> metrics, String name) {
        List<Double> out = new ArrayList<>();
        metrics.forEach((id, v) -> {
            Matcher m = SINK_METRIC.matcher(id);
            if (m.matches() && m.group(1).equals(name) && !v.isNaN()) {
                out.add(v);
            }
        });
        return out;
    }
}
