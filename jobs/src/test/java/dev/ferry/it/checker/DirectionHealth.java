package dev.ferry.it.checker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.FlinkRestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * I4, observed: for a quiet window after the writes stopped and the sites were compared, every direction's job must
 * be RUNNING the whole time, must not restart, and the runner must report no failure.
 */
final class DirectionHealth {
    private DirectionHealth() {}

    /** Watches the jobs through Flink's REST API for {@code window}; returns what was wrong, one line each. */
    static List<String> observe(ChannelHost host, ChannelSpec spec, List<String> directions, Duration window) {
        List<String> wrong = new ArrayList<>();
        int problemsBefore = host.problems().size();
        try {
            FlinkRestClient rest = new FlinkRestClient(host.restUrl());
            Map<String, Long> restartsBefore = restarts(rest);
            Map<String, Set<String>> states = new LinkedHashMap<>();
            long end = System.nanoTime() + window.toNanos();
            do {
                for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
                    states.computeIfAbsent(job.path("name").asText(), k -> new TreeSet<>()).add(job.path("state").asText());
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            } while (System.nanoTime() < end);
            Map<String, Long> restartsAfter = restarts(rest);
            for (String d : directions) {
                String name = spec.jobName(d);
                Set<String> seen = states.get(name);
                if (seen == null) {
                    wrong.add(d + ": no job on the " + host.kind() + " runner");
                } else if (!seen.equals(Set.of("RUNNING"))) {
                    wrong.add(d + ": job states " + seen + " during the " + window.toSeconds() + " s quiet window");
                }
                long restarts = restartsAfter.getOrDefault(name, 0L) - restartsBefore.getOrDefault(name, 0L);
                if (restarts > 0) {
                    wrong.add(d + ": restarted " + restarts + " times during the " + window.toSeconds()
                            + " s quiet window");
                }
            }
        } catch (Exception e) {
            wrong.add("cannot read the jobs' states from the " + host.kind() + " runner: " + e);
        }
        List<String> problems = host.problems();
        for (String p : problems.subList(Math.min(problemsBefore, problems.size()), problems.size())) {
            wrong.add("reported during the quiet window: " + p);
        }
        return wrong;
    }

    /**
     * numRestarts per job name. Flink's REST API answers a metric it has not fetched yet with nothing, so each is
     * asked again until it has a value.
     */
    private static Map<String, Long> restarts(FlinkRestClient rest) throws IOException {
        Map<String, Long> restarts = new LinkedHashMap<>();
        for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
            String path = "/jobs/" + job.path("jid").asText() + "/metrics?get=numRestarts";
            JsonNode v = rest.get(path);
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); v.size() == 0
                    && System.nanoTime() < deadline; v = rest.get(path)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            if (v.size() == 0) {
                throw new IOException("no numRestarts for " + job.path("name").asText());
            }
            restarts.merge(job.path("name").asText(), v.get(0).path("value").asLong(0), Long::sum);
        }
        return restarts;
    }
}
