package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.job.FailureMessages;
import java.io.IOException;
import java.time.Duration;

/**
 * A direction job's recent failures, from Flink's exception history and its {@code numRestarts} metric. A job that
 * fails, restarts and fails again is RUNNING most of the time (between a restore and the next failure); this is what
 * lets {@code ferry status} call it FAILING instead.
 *
 * @param recent failures in the last {@link #WINDOW}
 * @param restarts restarts since the job was submitted ({@code numRestarts}), -1 if unknown
 * @param lastReason the newest failure in plain words, or null if there is none in the history
 * @param lastAgeMs how long ago that failure happened, or -1
 */
public record JobFailures(int recent, long restarts, String lastReason, long lastAgeMs) {
    /** Failures older than this no longer count: the direction has run on since. */
    public static final Duration WINDOW = Duration.ofMinutes(10);
    public static final JobFailures NONE = new JobFailures(0, -1, null, -1);

    /**
     * A job that has run this long since its last failure is out of its loop (a site back after an outage): a
     * loop fails again sooner, as the restart back-off stops at 10 s (flink-conf/config.yaml, LocalRunner).
     */
    public static final Duration STABLE = Duration.ofMinutes(1);

    /**
     * Whether the job keeps failing: two or more failures in the last {@link #WINDOW}, the newest less than {@link
     * #STABLE} ago. The failures stay listed under the direction for the whole window either way.
     */
    public boolean restartLoop() {
        return recent >= 2 && lastAgeMs < STABLE.toMillis();
    }

    /** None known while Flink cannot tell yet (a job that is still starting may answer HTTP 500 for a moment). */
    static JobFailures read(String jobId, String direction, String source, FlinkRestClient rest) {
        try {
            JsonNode restarts = rest.get("/jobs/" + jobId + "/metrics?get=numRestarts");
            long count = restarts.size() > 0 ? restarts.get(0).path("value").asLong(-1) : -1;
            return of(rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries"), count,
                    direction, source, System.currentTimeMillis());
        } catch (IOException e) {
            return NONE;
        }
    }

    /** @param entries Flink's exception history entries (any order) */
    static JobFailures of(JsonNode entries, long restarts, String direction, String source, long nowMs) {
        int recent = 0;
        JsonNode newest = null;
        for (JsonNode e : entries) {
            long at = e.path("timestamp").asLong();
            if (nowMs - at <= WINDOW.toMillis()) {
                recent++;
            }
            if (newest == null || at > newest.path("timestamp").asLong()) {
                newest = e;
            }
        }
        if (newest == null) {
            return new JobFailures(0, restarts, null, -1);
        }
        String trace = newest.path("stacktrace").asText(newest.path("exceptionName").asText());
        String reason = FailureMessages.explain(direction, source, trace).orElse(FailureMessages.rootCause(trace));
        return new JobFailures(recent, restarts, reason, nowMs - newest.path("timestamp").asLong());
    }
}
