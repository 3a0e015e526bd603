package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Reads jobs, checkpoints and operator metrics through a Flink cluster's REST API, as the dashboard does. */
public final class FlinkRestClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    /** @param baseUrl such as {@code http://127.0.0.1:8081} */
    public FlinkRestClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The JSON at {@code path}; an empty array if the path does not exist (any other failure throws). */
    public JsonNode get(String path) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return JSON.createArrayNode();
            }
            if (r.statusCode() != 200) {
                throw new IOException("Flink REST " + baseUrl + path + " answered HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + baseUrl + path, e);
        }
    }

    /**
     * The current values of the operator metrics of a job whose ids (such as
     * {@code 0.apply_to_us.lagMs}, one per subtask) pass {@code id}.
     */
    public Map<String, Double> operatorMetrics(String jobId, Predicate<String> id) throws IOException {
        Map<String, Double> values = new LinkedHashMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/metrics";
            for (JsonNode m : get(metrics)) {
                String name = m.path("id").asText();
                if (id.test(name)) {
                    JsonNode v = get(metrics + "?get=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                            .replace("+", "%20"));
                    if (v.size() > 0) {
                        values.put(name, parse(v.get(0).path("value").asText()));
                    }
                }
            }
        }
        return values;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
