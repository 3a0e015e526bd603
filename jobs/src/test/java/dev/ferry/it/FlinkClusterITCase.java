package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.TwoWayITBase.appliedRows;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real standalone Flink 1.20 session cluster, run the way a user runs it: {@code
 * deploy/flink-cluster.sh start}, both directions of a two-way channel between two MariaDB servers
 * submitted as the job jar with {@code deploy/flink run -d}, load at both sites, then: Ferry's metrics
 * at the Prometheus endpoint; the dashboard (a headless Chromium screenshot kept under {@code
 * target/flink-cluster-e2e/}, its DOM and the REST API); stop-with-savepoint of one direction and a
 * resubmitted (renamed) jar resuming from it; {@code kill -9} of the TaskManager and a new one started
 * by the script; and at the end both sites equal row by row, with the commit markers proving every
 * row change was applied exactly once in each direction.
 */
class FlinkClusterITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path ARTIFACTS = Path.of("target", "flink-cluster-e2e").toAbsolutePath();
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    @TempDir
    Path dir;

    private Map<String, String> clusterEnv;
    private int metricsPortLow;
    private String dashboard;
    private boolean clusterStarted;

    @AfterEach
    void stopCluster() throws Exception {
        if (clusterStarted) {
            Run stop = script("flink-cluster.sh", "stop");
            // the cluster's logs stay with the test's other artifacts
            Path logs = Files.createDirectories(ARTIFACTS.resolve("cluster-log"));
            try (var files = Files.list(dir.resolve("cluster/log"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            assertThat(stop.exit).as("flink-cluster.sh stop:\n%s", stop.output).isZero();
        }
    }

    @Test
    void twoWayChannelOnStandaloneCluster() throws Exception {
        Path jar = jobJar();
        Optional<String> chromium = chromium();
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");

        startCluster();

        // the channel: one database at both sites, passwords in files that only the channel file names
        String db = sh.createDatabase("cluster");
        us.execute("CREATE DATABASE " + Sites.q(db));
        for (TestDatabase site : List.of(sh, us)) {
            exec(site, db, SiteLoad.TABLE_DDL, SiteLoad.TABLE_DDL.replace("TABLE events", "TABLE probes"));
        }
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        for (TestDatabase site : List.of(sh, us)) {
            Path file = secrets.resolve(site.name() + ".pw");
            Files.writeString(file, site.adminPassword() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Map<String, TestDatabase> sites = new LinkedHashMap<>();
        sites.put("sh", sh);
        sites.put("us", us);
        LinkedSites mesh = new LinkedSites("cluster" + ProcessHandle.current().pid(), db, sites, dir.resolve("state"), false);
        mesh.passwordDir = secrets;
        Path config = dir.resolve("channel.yaml");
        Files.writeString(config, mesh.yaml());
        assertThat(Files.readString(config)).doesNotContain(sh.adminPassword());

        Map<String, String> jobs = new LinkedHashMap<>();
        for (String direction : mesh.directions()) {
            jobs.put(direction, submit(jar, config, direction, null));
        }
        awaitRunning(jobs);
        Map<String, Long> baseline = awaitReaders(mesh);

        List<SiteLoad> loads = List.of(new SiteLoad(sh, db, "sh", 1), new SiteLoad(us, db, "us", 100_000_000L));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (SiteLoad load : loads) {
            String direction = load.origin() + "->" + (load.origin().equals("sh") ? "us" : "sh");
            TestDatabase target = mesh.site(direction.split("->")[1]);
            writers.add(CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    load.transactions(10);
                    // at most 5,000 rows behind: a runaway load only grows what the test waits for at the end
                    await(() -> !writing.get() || appliedRows(target, mesh.name, direction) - baseline.get(direction)
                            >= load.rowChanges() - 5_000, TIMEOUT, direction + " to keep up with the load");
                }
            }));
        }
        try {
            awaitProgress(mesh, baseline, 200, "the load to reach both sites");

            // (a) Ferry's sink metrics at the Prometheus endpoint of the TaskManager
            List<String> jobNames = mesh.directions().stream().map(d -> "ferry " + mesh.name + " " + d).toList();
            await(() -> prometheusHas(jobNames, "appliedRows", "lagMs"), TIMEOUT,
                    "Ferry's appliedRows and lagMs at a Prometheus endpoint (ports " + metricsPortLow + "-"
                            + (metricsPortLow + 4) + ")");

            // (b) the dashboard: REST says both jobs run; the rendered overview names them; a screenshot
            dashboardShows(mesh, jobs, chromium);

            // (c) stop sh->us with a savepoint under load, resume it from there with a "rebuilt" jar
            Run stop = flink("stop", "--savepointPath", dir.resolve("savepoints").toUri().toString(),
                    jobs.get("sh->us"));
            assertThat(stop.exit).as("flink stop:\n%s", stop.output).isZero();
            String savepoint = match(SAVEPOINT, stop.output, "the savepoint path in the output of flink stop");
            awaitState(jobs.get("sh->us"), "FINISHED");
            Path rebuilt = dir.resolve("ferry-jobs-rebuilt-job.jar");
            Files.copy(jar, rebuilt, StandardCopyOption.REPLACE_EXISTING);
            jobs.put("sh->us", submit(rebuilt, config, "sh->us", savepoint));
            awaitRunning(jobs);
            await(() -> restoredFromSavepoint(jobs.get("sh->us")), TIMEOUT, "sh->us to report its savepoint restore");
            Map<String, Long> beforeKill = applied(mesh);
            await(() -> applied(mesh).get("sh->us") > beforeKill.get("sh->us") + 200, TIMEOUT,
                    "sh->us to apply more after the savepoint restore");

            // (d) kill -9 of the TaskManager, a new one from the script, both directions recover
            long taskManager = Long.parseLong(Files.readString(dir.resolve("cluster/taskmanager-1.pid")).trim());
            ProcessHandle tm = ProcessHandle.of(taskManager).orElseThrow(() -> new AssertionError(
                    "the TaskManager (pid " + taskManager + ") does not run"));
            tm.destroyForcibly(); // SIGKILL
            tm.onExit().get(30, TimeUnit.SECONDS);
            Run started = script("flink-cluster.sh", "start-taskmanager");
            assertThat(started.exit).as("flink-cluster.sh start-taskmanager:\n%s", started.output).isZero();
            // the JobManager notices the lost TaskManager (at the latest after heartbeat.timeout, 50 s) and
            // restarts both jobs from their last checkpoints in the new TaskManager's slots
            jobs.forEach((direction, id) -> await(() -> restarts(id) > 0, TIMEOUT, direction + " to restart"));
            awaitRunning(jobs);
            Map<String, Long> afterKill = applied(mesh);
            awaitProgress(mesh, afterKill, 200, "both directions to apply more after the TaskManager was killed");
        } finally {
            writing.set(false);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        }

        // (e) every row change arrived exactly once in each direction, and the sites are the same
        for (SiteLoad load : loads) {
            String direction = load.origin() + "->" + (load.origin().equals("sh") ? "us" : "sh");
            long expected = baseline.get(direction) + load.rowChanges();
            await(() -> applied(mesh).get(direction) >= expected, TIMEOUT, direction + " to apply " + expected + " rows");
        }
        awaitSameRows(sh, us, db, "events", TIMEOUT);
        for (SiteLoad load : loads) {
            String direction = load.origin() + "->" + (load.origin().equals("sh") ? "us" : "sh");
            assertThat(applied(mesh).get(direction) - baseline.get(direction))
                    .as("%s: row changes applied (no loss, no duplicates)", direction).isEqualTo(load.rowChanges());
        }
        assertThat(jobState(jobs.get("sh->us"))).isEqualTo("RUNNING");
        assertThat(jobState(jobs.get("us->sh"))).isEqualTo("RUNNING");

        // no password in any log of the cluster or of the CLI, nor in the outputs of the scripts (read as
        // bytes: the password is ASCII)
        List<Path> logs = new ArrayList<>();
        try (var clusterLogs = Files.list(dir.resolve("cluster/log")); var outputs = Files.list(dir)) {
            logs.addAll(clusterLogs.toList());
            logs.addAll(outputs.filter(f -> f.toString().endsWith(".out")).toList());
        }
        for (Path f : logs) {
            String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (TestDatabase site : List.of(sh, us)) {
                assertThat(text).as("%s", f).doesNotContain(site.adminPassword());
            }
        }
        assertThat(logs).as("logs checked for passwords").hasSizeGreaterThan(5);
    }

    // ---- the cluster, through the scripts a user runs

    private final Set<Integer> pickedPorts = new HashSet<>();

    private void startCluster() throws Exception {
        if (Files.isDirectory(ARTIFACTS)) { // the artifacts of an earlier run
            try (var files = Files.walk(ARTIFACTS)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        int rest = freePortRange(1);
        int rpc = freePortRange(1);
        metricsPortLow = freePortRange(5);
        dashboard = "http://127.0.0.1:" + rest;
        clusterEnv = Map.of("FERRY_CLUSTER_DIR", dir.resolve("cluster").toString(),
                "FERRY_FLINK_REST_PORT", Integer.toString(rest),
                "FERRY_FLINK_RPC_PORT", Integer.toString(rpc),
                "FERRY_FLINK_METRICS_PORTS", metricsPortLow + "-" + (metricsPortLow + 4));
        clusterStarted = true;
        Run start = script("flink-cluster.sh", "start");
        assertThat(start.exit).as("flink-cluster.sh start:\n%s", start.output).isZero();
        assertThat(start.output).contains("dashboard: " + dashboard);
        JsonNode overview = rest().get("/overview");
        assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
        assertThat(overview.path("flink-version").asText()).isEqualTo("1.20.3");
    }

    private String submit(Path jar, Path config, String direction, String savepoint) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.addAll(List.of(jar.toString(), "--config", config.toString(), "--direction", direction));
        Run run = flink(args.toArray(String[]::new));
        assertThat(run.exit).as("flink run %s:\n%s", direction, run.output).isZero();
        return match(JOB_ID, run.output, "the job id in the output of flink run");
    }

    private Run flink(String... args) throws Exception {
        return script("flink", args);
    }

    private record Run(int exit, String output) {}

    private Run script(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("deploy").resolve(name).toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, name, ".out");
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        b.environment().putAll(clusterEnv);
        Process p = b.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 3 minutes:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    private FlinkRestClient rest() {
        return new FlinkRestClient(dashboard);
    }

    private String jobState(String jobId) {
        try {
            return rest().get("/jobs/" + jobId).path("state").asText();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private void awaitState(String jobId, String state) {
        await(() -> state.equals(jobState(jobId)), TIMEOUT, "job " + jobId + " to be " + state);
    }

    /** Both jobs RUNNING, and every task of each RUNNING too (not merely scheduled). */
    private void awaitRunning(Map<String, String> jobs) {
        jobs.forEach((direction, id) -> await(() -> {
            try {
                JsonNode job = rest().get("/jobs/" + id);
                if (!"RUNNING".equals(job.path("state").asText())) {
                    return false;
                }
                for (JsonNode vertex : job.path("vertices")) {
                    if (!"RUNNING".equals(vertex.path("status").asText())) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }, TIMEOUT, direction + " (" + id + ") and its tasks to run"));
    }

    private long restarts(String jobId) {
        try {
            JsonNode v = rest().get("/jobs/" + jobId + "/metrics?get=numRestarts");
            return v.size() > 0 ? Long.parseLong(v.get(0).path("value").asText("0")) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private boolean restoredFromSavepoint(String jobId) {
        try {
            JsonNode restored = rest().get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
            return restored.path("is_savepoint").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    // ---- what the test checks

    private static Map<String, Long> applied(LinkedSites mesh) {
        Map<String, Long> applied = new LinkedHashMap<>();
        for (String direction : mesh.directions()) {
            applied.put(direction, appliedRows(mesh.site(direction.split("->")[1]), mesh.name, direction));
        }
        return applied;
    }

    private static void awaitProgress(LinkedSites mesh, Map<String, Long> from, long rows, String what) {
        await(() -> {
            Map<String, Long> now = applied(mesh);
            return now.entrySet().stream().allMatch(e -> e.getValue() >= from.get(e.getKey()) + rows);
        }, TIMEOUT, what);
    }

    /**
     * Waits until both binlog readers run: each site writes a probe row into {@code probes} every two
     * seconds until its latest has reached the other site. (A direction starting at 'latest' never sees
     * rows written before its reader started, so such early probes stay where they were written; the
     * table is not compared.)
     *
     * @return per direction, the row changes applied so far
     */
    private static Map<String, Long> awaitReaders(LinkedSites mesh) {
        long base = 0;
        for (String direction : mesh.directions()) {
            TestDatabase from = mesh.site(direction.split("->")[0]);
            TestDatabase to = mesh.site(direction.split("->")[1]);
            long[] probe = {base, 0}; // last probe key, when it was written
            base -= 1_000_000;
            await(() -> {
                if (probe[1] == 0 || System.nanoTime() - probe[1] > 2_000_000_000L) {
                    probe[0]--;
                    probe[1] = System.nanoTime();
                    exec(from, mesh.database, "INSERT INTO probes VALUES (" + probe[0] + ", 'probe', 0, NULL)");
                }
                return !to.query("SELECT 1 FROM " + Sites.q(mesh.database) + ".probes WHERE id = ?", probe[0]).isEmpty();
            }, TIMEOUT, "a probe row to travel " + direction);
        }
        return applied(mesh);
    }

    /**
     * Some port of the reporter's range serves each metric for each job. The reporter writes label
     * values with every character but letters, digits, ':' and '_' replaced by '_' ("ferry c sh->us"
     * becomes "ferry_c_sh__us").
     */
    private boolean prometheusHas(Collection<String> jobNames, String... metrics) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int port = metricsPortLow; port <= metricsPortLow + 4; port++) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Files.createDirectories(ARTIFACTS);
                Files.writeString(ARTIFACTS.resolve("prometheus-" + port + ".txt"), body);
                Set<String> missing = new HashSet<>();
                for (String job : jobNames) {
                    for (String metric : metrics) {
                        missing.add(metric + " " + job.replaceAll("[^a-zA-Z0-9:_]", "_"));
                    }
                }
                for (String line : body.split("\n")) {
                    missing.removeIf(m -> {
                        String[] metricAndJob = m.split(" ");
                        return !line.startsWith("#") && line.contains("_" + metricAndJob[0] + "{")
                                && line.contains("job_name=\"" + metricAndJob[1] + "\"");
                    });
                }
                if (missing.isEmpty()) {
                    return true;
                }
            } catch (IOException e) {
                // nothing on this port of the range
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void dashboardShows(LinkedSites mesh, Map<String, String> jobs, Optional<String> chromium) throws Exception {
        JsonNode overview = rest().get("/jobs/overview");
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode job : overview.path("jobs")) {
            states.put(job.path("name").asText(), job.path("state").asText());
        }
        for (String direction : jobs.keySet()) {
            assertThat(states).as("/jobs/overview").containsEntry("ferry " + mesh.name + " " + direction, "RUNNING");
        }
        if (chromium.isEmpty()) {
            return; // chromium() already failed under CI
        }
        Files.createDirectories(ARTIFACTS);
        Path png = ARTIFACTS.resolve("dashboard-overview.png");
        Files.deleteIfExists(png);
        String html = rendered(chromium.get(), dashboard + "/#/overview", png, text -> text.contains("Running Job List")
                && jobs.keySet().stream().allMatch(direction -> text.contains("ferry " + mesh.name + " " + direction)));
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG at %s", png).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(900);
        assertThat(colours(image)).as("distinct colours in the screenshot (a blank page has one)").isGreaterThan(50);
        Files.writeString(ARTIFACTS.resolve("dashboard-overview.html"), html);
        html = html.replace("&gt;", ">");
        assertThat(html).contains("Running Job List");
        for (String direction : jobs.keySet()) {
            assertThat(html).as("the rendered overview names the job").contains("ferry " + mesh.name + " " + direction);
        }
    }

    /**
     * The page as headless Chromium renders it once its text passes {@code ready}: the screenshot into
     * {@code png}, the DOM returned. A Chromium that stops answering is killed and a new one tried, up to
     * three times, each failure kept for the message.
     */
    private String rendered(String binary, String url, Path png, java.util.function.Predicate<String> ready)
            throws Exception {
        String failures = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (HeadlessChromium chromium = HeadlessChromium.start(binary, dir, 1280, 900)) {
                chromium.open(url, ready, Duration.ofSeconds(60));
                Files.write(png, chromium.screenshot());
                return chromium.html();
            } catch (Exception | AssertionError e) { // a step's time-out, or chromium gone
                failures += "attempt " + attempt + ": " + e.getMessage() + "\n";
            }
        }
        throw new AssertionError("headless chromium could not render " + url + ":\n" + failures);
    }

    private static int colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    // ---- set-up

    private static Path jobJar() throws IOException {
        try (var files = Files.list(REPO.resolve("jobs/target"))) {
            return files.filter(f -> f.getFileName().toString().matches("ferry-jobs-.*-job\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no jobs/target/ferry-jobs-*-job.jar: this test runs after"
                            + " the package phase (mvn verify), or build it with mvn -DskipTests package"));
        }
    }

    /** Headless Chromium, or under CI a failure saying how to install it; locally the screenshot is skipped. */
    private static Optional<String> chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        String missing = "chromium is not installed (as root: apt-get install -y chromium); needed for the dashboard"
                + " screenshot";
        if ("true".equals(System.getenv(TestServers.CI_VARIABLE))) {
            throw new AssertionError(missing);
        }
        Assumptions.abort(missing);
        return Optional.empty();
    }

    private static String match(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new AssertionError("no " + what + ":\n" + output);
        }
        return m.group(1);
    }

    /**
     * The first port of {@code n} consecutive ports that are free on every interface now and were not picked before.
     * They lie below Linux's ephemeral range (32768 and up), from which outgoing connections take local ports at
     * random: a port found free there could be gone before the cluster binds it (a red CI run saw "Could not start
     * rest endpoint on any port in port range 43403").
     */
    private int freePortRange(int n) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int low = ThreadLocalRandom.current().nextInt(20_000, 32_000 - n);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int port = low; port < low + n; port++) {
                    if (pickedPorts.contains(port)) {
                        throw new IOException("picked already");
                    }
                    ServerSocket s = new ServerSocket();
                    held.add(s);
                    s.bind(new InetSocketAddress(port));
                }
                for (int port = low; port < low + n; port++) {
                    pickedPorts.add(port);
                }
                return low;
            } catch (IOException taken) {
                // try another range
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        throw new AssertionError("no " + n + " consecutive free ports found");
    }
}
