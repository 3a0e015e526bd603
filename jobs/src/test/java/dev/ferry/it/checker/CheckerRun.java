package dev.ferry.it.checker;

import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One checker run: the clients of every site (two or three) write while schema changes and faults come at seeded
 * moments; then everything stops, the run waits for the sites to converge, watches the directions for a quiet window,
 * reads every site and checks the log against them.
 */
public final class CheckerRun implements AutoCloseable {
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(15);
    private static final Duration STABLE = Duration.ofSeconds(3);
    private static final Duration STALLED = Duration.ofSeconds(90);

    private final CheckerSettings settings;
    private final ChannelSpec spec;
    private final Map<String, TestDatabase> sites;
    private final String kind;
    private final ChannelHosts hosts;
    private final List<Thread> threads = new ArrayList<>();

    /** @param sites in channel order: the first is the home site */
    public CheckerRun(CheckerSettings settings, ChannelSpec spec, Map<String, TestDatabase> sites, String kind) {
        this.settings = settings;
        this.spec = spec;
        this.sites = new LinkedHashMap<>(sites);
        this.kind = kind;
        this.hosts = new ChannelHosts(spec);
    }

    /** The first line of the run's output. */
    public String banner() {
        return settings.siteWord() + " checker on " + kind + ": seed " + settings.seed() + ", writes for "
                + settings.duration().toSeconds() + " s" + (settings.soak() ? " (soak)" : "") + "; replay with " + settings.replay();
    }

    /** Starts the channel in this JVM; wait for its readers before {@link #run}. */
    public void startChannel() throws Exception {
        hosts.start(false);
    }

    public CheckReport run() throws Exception {
        List<String> names = new ArrayList<>(sites.keySet());
        History history = new History(names);
        Columns columns = new Columns();
        AtomicLong clock = new AtomicLong();
        Random master = new Random(settings.seed());
        AtomicBoolean stopClients = new AtomicBoolean();
        AtomicBoolean stopOthers = new AtomicBoolean();

        List<SiteClient> clients = new ArrayList<>();
        for (String site : names) {
            WorkloadGenerator workload = new WorkloadGenerator(new Random(master.nextLong()), site, columns, clock, 0.004,
                    names.indexOf(site), settings.disjoint(), settings.uniqueValues());
            clients.add(new SiteClient(site, sites.get(site), spec.database(), history, workload, settings.rate(),
                    stopClients));
        }
        SchemaChanger ddl = new SchemaChanger(sites, spec.database(), columns, history, new Random(master.nextLong()),
                settings.ddlMinGap(), settings.ddlMaxGap(), Duration.ofMinutes(2), "all".equals(settings.ddl()),
                stopOthers);
        Random faultRandom = new Random(master.nextLong());
        List<FaultInjector.Planned> plan = settings.faults() ? FaultInjector.plan(faultRandom, settings.duration(),
                Duration.ofSeconds(8), settings.faultMinGap(), settings.faultMaxGap(), names) : List.of();
        FaultInjector faults = new FaultInjector(plan, hosts, sites, history, faultRandom, settings.processHosts(),
                stopOthers);
        System.out.println("checker: fault plan " + plan);

        Instant started = Instant.now();
        clients.forEach(c -> startThread(c, "checker client"));
        if (!"none".equals(settings.ddl())) {
            startThread(ddl, "checker schema changes");
        }
        startThread(faults, "checker faults");
        long end = System.nanoTime() + settings.duration().toNanos();
        while (System.nanoTime() < end && failure(clients, ddl, faults) == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        stopOthers.set(true); // the fault in progress and the schema change in progress finish first
        join(threads.subList(clients.size(), threads.size()));
        Instant stopped = Instant.now();
        stopClients.set(true);
        join(threads.subList(0, clients.size()));
        Throwable failure = failure(clients, ddl, faults);
        if (failure != null) {
            throw new IllegalStateException("the checker itself failed (" + banner() + ")", failure);
        }

        Convergence converged = awaitConvergence();
        List<String> health = new ArrayList<>(DirectionHealth.observe(hosts.current(), spec,
                spec.config().directions().stream().map(d -> d.name()).toList(), QUIET_WINDOW));
        health.addAll(heldTables());
        Map<String, SiteState> finals = new LinkedHashMap<>();
        for (String site : names) {
            finals.put(site, SiteState.read(sites.get(site), site, spec.database(), spec.name()));
        }
        CheckReport report = new InvariantChecker(history, finals, health).check();
        describe(report, history, Duration.between(started, stopped), converged);
        write(report);
        RunFiles.write(spec.workDir(), history, finals, report);
        return report;
    }

    /**
     * I4 also for tables: a table whose apply a direction holds until an operator decides (ferry_ddl outcome
     * {@code held}, e.g. a row with a column the target does not have yet) is stuck while its job runs. The
     * three-site runs of session 20 held tables so (docs/checker.md, "Three sites"); the job state did not show it.
     */
    private List<String> heldTables() {
        List<String> held = new ArrayList<>();
        for (Map.Entry<String, TestDatabase> s : sites.entrySet()) {
            try {
                for (List<Object> r : s.getValue().query("SELECT direction, table_name, detail FROM"
                        + " ferry.ferry_ddl WHERE channel = ? AND outcome = 'held'", spec.name())) {
                    held.add(r.get(0) + ": table " + r.get(1) + " is held at " + s.getKey()
                            + " until an operator decides: " + r.get(2));
                }
            } catch (RuntimeException e) {
                held.add("could not read ferry.ferry_ddl at " + s.getKey() + ": " + e.getMessage());
            }
        }
        return held;
    }

    /** How the wait for convergence ended: {@code after} is how long it took (converged or not). */
    private record Convergence(boolean converged, Duration after, String how) {}

    /**
     * Polls every site until they hold the same rows and schema, still the same a few seconds later. Gives up at
     * the time-out, or once neither site has changed for {@link #STALLED} while they differ (longer than Flink's
     * restart backoff, so nothing more is coming).
     */
    private Convergence awaitConvergence() {
        long start = System.nanoTime();
        long deadline = start + settings.convergeTimeout().toNanos();
        SiteState firstEqual = null;
        long equalSince = 0;
        List<SiteState> previous = null;
        long unchangedSince = start;
        while (System.nanoTime() < deadline) {
            try {
                List<SiteState> now = new ArrayList<>();
                for (Map.Entry<String, TestDatabase> s : sites.entrySet()) {
                    now.add(SiteState.readData(s.getValue(), s.getKey(), spec.database()));
                }
                if (previous == null || !sameData(previous, now)) {
                    previous = now;
                    unchangedSince = System.nanoTime();
                }
                boolean equal = now.stream().allMatch(s -> s.sameData(now.get(0)));
                if (!equal) {
                    firstEqual = null;
                    if (System.nanoTime() - unchangedSince >= STALLED.toNanos()) {
                        return new Convergence(false, Duration.ofNanos(System.nanoTime() - start),
                                "the sites differ and neither changed for " + STALLED.toSeconds() + " s");
                    }
                } else if (firstEqual == null || !firstEqual.sameData(now.get(0))) {
                    firstEqual = now.get(0);
                    equalSince = System.nanoTime();
                } else if (System.nanoTime() - equalSince >= STABLE.toNanos()) {
                    return new Convergence(true, Duration.ofNanos(System.nanoTime() - start), "");
                }
            } catch (SQLException e) {
                firstEqual = null; // a server still coming back
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        return new Convergence(false, settings.convergeTimeout(), "time-out");
    }

    private static boolean sameData(List<SiteState> a, List<SiteState> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameData(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void describe(CheckReport report, History history, Duration writing, Convergence converged) {
        report.header(banner());
        report.header(report.violationCount() == 0 ? "result: every invariant held"
                : "result: " + report.violationCount() + " violations (seed " + settings.seed() + ")");
        Map<String, String> checkerFigures = new LinkedHashMap<>(report.figures());
        report.figures().clear();
        report.figure("writing", writing.toSeconds() + " s at " + settings.rate() + " transactions/s per site;"
                + " faults " + (settings.faults() ? "on" : "off") + ", schema changes " + settings.ddl()
                + ", runners " + (settings.processHosts() ? "in-process and ferry run processes" : "in-process")
                + (settings.disjoint() ? ", disjoint keys (control)" : "")
                + (settings.sites() == 2 ? "" : "; " + settings.sites() + " sites " + String.join(", ", history.sites())
                        + ", " + spec.config().directions().size() + " directions"));
        report.figure("files", spec.workDir().toAbsolutePath());
        report.figures().putAll(checkerFigures);
        List<String> aborted = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String site : history.sites()) {
            aborted.add(site + " " + history.aborted(site));
            long resolved = history.txns().stream()
                    .filter(t -> t.resolved() && history.sites().get(t.site()).equals(site)).count();
            unknown.add(site + " " + history.unknownOutcomes(site) + " (" + resolved + " committed)");
        }
        report.figure("transactions rolled back (deadlock, time-out, server gone)", String.join(", ", aborted));
        report.figure("commits with unknown outcome, resolved", String.join(", ", unknown));
        Map<String, Integer> events = history.eventCounts();
        report.figure("faults injected",
                count(events, "runner-restart", "taskmanager-kill", "process-kill9", "server-restart"));
        report.figure("schema changes", count(events, "ddl-add-column", "ddl-temp-table", "ddl-stuck"));
        Map<String, Integer> problems = new LinkedHashMap<>();
        for (String p : hosts.allProblems()) {
            problems.merge(p.length() > 300 ? p.substring(0, 297) + "..." : p, 1, Integer::sum);
        }
        report.figure("direction failures reported during the run", problems.values().stream().mapToInt(i -> i).sum()
                + (problems.isEmpty() ? "" : ", distinct:"));
        int n = 0;
        for (Map.Entry<String, Integer> p : problems.entrySet()) {
            report.figure("  failure " + ++n + " (" + p.getValue() + "x)", p.getKey());
        }
        report.figure("converged", converged.converged() ? "after " + converged.after().toSeconds() + " s"
                : "NOT: gave up " + converged.after().toSeconds() + " s after the writes stopped ("
                        + converged.how() + ")");
        List<History.Event> list = history.events();
        for (int i = 0; i < list.size() && i < 60; i++) {
            History.Event e = list.get(i);
            report.figure("event " + (i + 1), InvariantChecker.time(e.at()) + "Z " + e.kind() + ": " + e.detail());
        }
    }

    private static String count(Map<String, Integer> events, String... kinds) {
        List<String> parts = new ArrayList<>();
        int total = 0;
        for (String k : kinds) {
            int n = events.getOrDefault(k, 0);
            total += n;
            parts.add(k + " " + n);
        }
        return total + " (" + String.join(", ", parts) + ")";
    }

    /** The report into {@code target/checker/}: one file per run and the latest per server kind (soak.sh prints it). */
    private void write(CheckReport report) throws Exception {
        String text = report.text(20);
        System.out.println(text);
        Path dir = Path.of("target", "checker");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(settings.filePrefix(kind) + "-seed-" + settings.seed() + ".txt"), text);
        Files.writeString(dir.resolve(kind.toLowerCase() + "-latest.txt"), text);
    }

    private static Throwable failure(List<SiteClient> clients, SchemaChanger ddl, FaultInjector faults) {
        for (SiteClient c : clients) {
            if (c.failure() != null) {
                return c.failure();
            }
        }
        return ddl.failure() != null ? ddl.failure() : faults.failure();
    }

    private void startThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(10));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within 10 minutes");
            }
        }
    }

    @Override
    public void close() throws Exception {
        hosts.close();
    }
}
