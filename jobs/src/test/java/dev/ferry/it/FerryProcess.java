package dev.ferry.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code ./ferry run} as a separate process, the way a user starts it. */
public final class FerryProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private FerryProcess(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "ferry output");
        reader.setDaemon(true);
        reader.start();
    }

    public static FerryProcess run(Path config, Map<String, String> env, Path log) throws IOException {
        Path script = Path.of("..", "ferry").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is missing");
        }
        ProcessBuilder b = new ProcessBuilder(script.toString(), "run", "--config", config.toString(), "--port", "0")
                .redirectErrorStream(true);
        b.environment().putAll(env);
        b.environment().put("FERRY_JAVA_OPTS", "-Xmx768m -Dferry.log=" + log + " -Duser.timezone=America/Sao_Paulo");
        return new FerryProcess(b.start());
    }

    public List<String> output() {
        return output;
    }

    boolean printed(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    public void awaitOutput(String text, Duration timeout) {
        Sites.await(() -> printed(text) || !process.isAlive(), timeout, "ferry to print '" + text + "'");
        if (!printed(text)) {
            throw new AssertionError("ferry exited without printing '" + text + "':\n" + String.join("\n", output));
        }
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a service manager sends; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of its output pipe
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ferry did not stop within " + timeout + ":\n" + String.join("\n", output));
        }
        reader.join(TimeUnit.SECONDS.toMillis(30)); // the last lines may still be in the pipe
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns the exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("ferry did not exit within " + timeout + ":\n" + String.join("\n", output));
        }
        reader.join(TimeUnit.SECONDS.toMillis(30)); // the last lines may still be in the pipe
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
