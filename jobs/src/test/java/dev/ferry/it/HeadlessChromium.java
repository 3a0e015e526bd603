package dev.ferry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.testing.Await;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One headless Chromium driven over its DevTools protocol: open a page, wait in real time until its text
 * says what the caller waits for, then take the screenshot and the DOM. This replaces {@code chromium
 * --screenshot --virtual-time-budget}, whose run never ended in some CI runs (Chromium 156, five attempts
 * in a row), most likely because virtual time does not advance while a page such as Flink's dashboard
 * keeps requests open. Here every step has a deadline of its own, and a step that misses it says which
 * step it was.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path stderr;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path stderr, WebSocket socket) {
        this.process = process;
        this.stderr = stderr;
        this.socket = socket;
    }

    /** Starts Chromium with a profile of its own under {@code dir} and attaches to its blank page. */
    static HeadlessChromium start(String binary, Path dir, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path stderr = Files.createTempFile(dir, "chromium", ".err");
        Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--window-size=" + width + "," + height, "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        try {
            int port = devToolsPort(process, profile.resolve("DevToolsActivePort"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(STEP).build();
            String pageSocket = pageSocket(http, port);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(STEP).buildAsync(URI.create(pageSocket),
                    listener).get(STEP.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, stderr, socket);
            listener.chromium = chromium;
            chromium.call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", false));
            return chromium;
        } catch (Exception | AssertionError e) {
            kill(process);
            throw new IllegalStateException("starting chromium: " + e.getMessage() + "\n" + tail(stderr), e);
        }
    }

    /** Opens {@code url} and waits until the page's visible text passes {@code ready}; returns that text. */
    String open(String url, Predicate<String> ready, Duration deadline) throws Exception {
        call("Page.navigate", Map.of("url", url));
        String[] text = {""};
        try {
            Await.until(() -> {
                text[0] = visibleText();
                return ready.test(text[0]);
            }, deadline, "the page " + url + " to be ready", Duration.ofMillis(250));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its text at the end:\n" + text[0], e);
        }
        return text[0];
    }

    private String visibleText() {
        try {
            return call("Runtime.evaluate", Map.of("expression", "document.body ? document.body.innerText : ''",
                    "returnByValue", true)).path("result").path("value").asText();
        } catch (Exception e) {
            throw new IllegalStateException("reading the page's text: " + e.getMessage(), e);
        }
    }

    byte[] screenshot() throws Exception {
        JsonNode result = call("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    String html() throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", "document.documentElement.outerHTML",
                "returnByValue", true));
        return result.path("result").path("value").asText();
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(message), true).get(STEP.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer;
        try {
            answer = reply.get(STEP.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("chromium did not answer " + method + " within " + STEP + "\n" + tail(stderr));
        } finally {
            replies.remove(id);
        }
        if (answer.has("error")) {
            throw new AssertionError("chromium refused " + method + ": " + answer.get("error"));
        }
        return answer.path("result");
    }

    @Override
    public void close() {
        socket.abort();
        kill(process);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Chromium writes the port it chose (port 0 asks it to choose) into its profile. */
    private static int devToolsPort(Process process, Path activePort) {
        int[] port = {-1};
        Await.until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue());
            }
            try {
                List<String> lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
                if (lines.size() >= 2) { // written whole only once the listener is up
                    port[0] = Integer.parseInt(lines.get(0).trim());
                }
            } catch (IOException e) {
                // being written: read it again
            }
            return port[0] > 0;
        }, STEP, "chromium to write " + activePort, Duration.ofMillis(100));
        return port[0];
    }

    private static String pageSocket(HttpClient http, int port) throws Exception {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/json/list")).timeout(STEP).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(list.body())) {
            if ("page".equals(target.path("type").asText())) {
                return target.path("webSocketDebuggerUrl").asText();
            }
        }
        throw new AssertionError("chromium lists no page: " + list.body());
    }

    private static String tail(Path file) {
        try {
            String[] lines = Files.readString(file).split("\n");
            return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 5), lines.length));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    /** Joins a message's frames and hands each reply to the call waiting for its id; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder frames = new StringBuilder();
        private volatile HeadlessChromium chromium;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            frames.append(data);
            if (last) {
                String message = frames.toString();
                frames.setLength(0);
                try {
                    JsonNode node = JSON.readTree(message);
                    CompletableFuture<JsonNode> reply = node.has("id") && chromium != null
                            ? chromium.replies.get(node.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(node);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("chromium sent a message that is not JSON: " + message, e);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
