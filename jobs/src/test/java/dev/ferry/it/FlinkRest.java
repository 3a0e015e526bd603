package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.LocalRunner;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;

/** Reads operator metrics of the runner's jobs through Flink's REST API, as the dashboard does. */
final class FlinkRest {
    private FlinkRest() {}

    /** Whether some operator of the runner's jobs now reports the metric with this value. */
    static boolean anyOperatorReports(LocalRunner runner, String metricSuffix, String value) {
        return metrics(runner, id -> id.endsWith(metricSuffix)).values().stream()
                .anyMatch(v -> value.equals(format(v)));
    }

    /** The sum over all operators of the runner's jobs of the metrics whose id passes {@code id}. */
    static long metricSum(LocalRunner runner, Predicate<String> id) {
        return (long) metrics(runner, id).values().stream().mapToDouble(Double::doubleValue).map(v -> (long) v).sum();
    }

    /** Restarts of all the runner's jobs so far (a restart is a pause in replication). */
    static long restarts(LocalRunner runner) {
        long sum = 0;
        for (JobID job : runner.jobs().values()) {
            JsonNode v = get(runner, "/jobs/" + job + "/metrics?get=numRestarts");
            sum += v.size() > 0 ? Long.parseLong(v.get(0).path("value").asText("0")) : 0;
        }
        return sum;
    }

    /** Failed checkpoints of all the runner's jobs so far. */
    static long failedCheckpoints(LocalRunner runner) {
        return checkpoints(runner, "failed");
    }

    /**
     * Completed checkpoints of all the runner's jobs so far (each one commits what its direction read before it),
     * asked of the JobManager itself: the REST API serves checkpoint statistics from a cache that lives 3 s ({@code
     * rest.cache.checkpoint-statistics.timeout}), so through it a wait for the next two checkpoints of each job (every
     * 500 ms) took 3 s, and a count read just before a write could be up to 3 s old.
     */
    static long completedCheckpoints(LocalRunner runner) {
        long sum = 0;
        for (JobID job : runner.jobs().values()) {
            try {
                sum += runner.cluster().getExecutionGraph(job).get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot()
                        .getCounts().getNumberOfCompletedCheckpoints();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the checkpoint statistics of job " + job, e);
            }
        }
        return sum;
    }

    private static long checkpoints(LocalRunner runner, String count) {
        long sum = 0;
        for (JobID job : runner.jobs().values()) {
            sum += get(runner, "/jobs/" + job + "/checkpoints").path("counts").path(count).asLong();
        }
        return sum;
    }

    private static Map<String, Double> metrics(LocalRunner runner, Predicate<String> id) {
        Map<String, Double> all = new java.util.LinkedHashMap<>();
        for (JobID job : runner.jobs().values()) {
            try {
                // keyed by job too: both jobs of a channel name their loop filter metrics alike
                client(runner).operatorMetrics(job.toString(), id).forEach((name, v) -> all.put(job + "/" + name, v));
            } catch (IOException e) {
                // the REST endpoint is briefly gone while a job restarts: nothing to read now
            }
        }
        return all;
    }

    /** A gauge's value as the REST API prints it: integral values without a fraction. */
    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static JsonNode get(LocalRunner runner, String path) {
        try {
            return client(runner).get(path);
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
    }

    private static FlinkRestClient client(LocalRunner runner) {
        try {
            return new FlinkRestClient(runner.dashboardUrl());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
