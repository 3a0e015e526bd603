package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.cli.LocalRunner;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.JobID;

/** Reads operator metrics of the runner's jobs through Flink's REST API, as the dashboard does. */
final class FlinkRest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkRest() {}

    /** Whether some operator of the runner's jobs now reports the metric with this value. */
    static boolean anyOperatorReports(LocalRunner runner, String metricSuffix, String value) {
        for (JobID job : runner.jobs().values()) {
            for (JsonNode vertex : get(runner, "/jobs/" + job + "/").path("vertices")) {
                String metrics = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
                for (JsonNode m : get(runner, metrics)) {
                    String id = m.path("id").asText();
                    if (id.endsWith(metricSuffix)) {
                        JsonNode v = get(runner, metrics + "?get="
                                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
                        if (v.size() > 0 && value.equals(v.get(0).path("value").asText())) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The sum over all operators of the runner's jobs of the metrics whose id passes {@code id}. */
    static long metricSum(LocalRunner runner, java.util.function.Predicate<String> id) {
        long sum = 0;
        for (JobID job : runner.jobs().values()) {
            for (JsonNode vertex : get(runner, "/jobs/" + job + "/").path("vertices")) {
                String metrics = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
                for (JsonNode m : get(runner, metrics)) {
                    if (id.test(m.path("id").asText())) {
                        JsonNode v = get(runner, metrics + "?get="
                                + URLEncoder.encode(m.path("id").asText(), StandardCharsets.UTF_8).replace("+", "%20"));
                        sum += v.size() > 0 ? (long) Double.parseDouble(v.get(0).path("value").asText("0")) : 0;
                    }
                }
            }
        }
        return sum;
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
        long sum = 0;
        for (JobID job : runner.jobs().values()) {
            sum += get(runner, "/jobs/" + job + "/checkpoints").path("counts").path("failed").asLong();
        }
        return sum;
    }

    private static JsonNode get(LocalRunner runner, String path) {
        try {
            String base = runner.dashboardUrl().replaceAll("/$", "");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createArrayNode();
        } catch (IOException e) {
            return JSON.createArrayNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
