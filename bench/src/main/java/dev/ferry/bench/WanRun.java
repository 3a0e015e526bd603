package dev.ferry.bench;

import static dev.ferry.bench.Result.ms;

import dev.ferry.bench.FerrySide.Site;
import dev.ferry.bench.Result.LagStats;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.DatabaseServer.Placement;
import dev.ferry.testing.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * One system's part of the WAN lab: a MariaDB server in each site, the system replicating both ways between them,
 * and a measured phase per rate: a paced writer at each site, a {@link LagPoller} at each site for the other's rows.
 */
final class WanRun {
    /** The systems the lab compares. */
    enum Replicator {
        NATIVE, FERRY;

        String label() {
            return this == NATIVE ? "native" : "Ferry";
        }
    }

    /** A direction's figures in one phase: its series and the phase's window, on the lab JVM's clock. */
    record Result(Replicator system, String direction, double rate, LagSeries series, long windowFromMs, long windowToMs,
            long cutFromMs, long cutToMs, long observedUntilMs, String notes, MetricAgreement metric,
            double cpuSecondsPer1000Rows) {
        /** The lag figures of the window (lower bounds if some transaction never arrived). */
        LagStats stats() {
            return series.stats(windowFromMs, windowToMs, observedUntilMs);
        }
    }

    private final WanLab.Options options;
    private final WanNetwork net;
    private final Progress progress;
    /** Ferry's runner per direction while Ferry replicates (for its lag metric); empty for native. */
    private final Map<String, FerrySide> ferry = new java.util.LinkedHashMap<>();

    WanRun(WanLab.Options options, WanNetwork net, Progress progress) {
        this.options = options;
        this.net = net;
        this.progress = progress;
    }

    List<Result> run(Replicator system) throws Exception {
        progress.say("starting " + system.label() + ": a MariaDB server in sh and one in us");
        List<Result> results = new ArrayList<>();
        // Ferry's state; wan.sh deletes it also when this JVM is killed
        Path state = options.out.resolve("state");
        ReplicationBenchmark.deleteTree(state);
        Files.createDirectories(state);
        try (DatabaseServer sh = start(net.sh(), system); DatabaseServer us = start(net.us(), system);
                AutoCloseable replication = replicate(system, sh, us, state)) {
            awaitLive(system, sh, us, 1_000_000);
            awaitLive(system, us, sh, 2_000_000);
            int phase = 0;
            for (double rate : options.phaseRates()) {
                List<Result> r = measure(system, sh, us, rate, phase++);
                results.addAll(r);
                if (options.cell == WanLab.Cell.MAX_RATE && r.stream().anyMatch(WanRun::fellBehind)) {
                    progress.say(system.label() + " fell behind at " + rate + " rows/s per site: the last phase");
                    break;
                }
            }
        } finally {
            ReplicationBenchmark.deleteTree(state);
        }
        return results;
    }

    /** max-rate's criterion: a row of the phase never arrived, or the p99 passed 10 s. */
    static boolean fellBehind(Result r) {
        LagStats s = r.stats();
        return !s.drained || s.p99 > 10_000;
    }

    private DatabaseServer start(WanNetwork.Site site, Replicator system) throws SQLException {
        DatabaseServer server = DatabaseServer.start(ServerKind.MARIADB, "wan-" + system.name().toLowerCase(Locale.ROOT)
                + "-" + site.name(), Map.of(), new Placement(List.of("ip", "netns", "exec", site.namespace()), "0.0.0.0",
                site.mgmtAddress()));
        BenchServers.resetDatabase(server, true, 0); // the same empty table at both, outside the binlog
        return server;
    }

    /** Starts the system both ways; closing it stops it. */
    private AutoCloseable replicate(Replicator system, DatabaseServer sh, DatabaseServer us, Path state) throws Exception {
        if (system == Replicator.NATIVE) {
            // each server's replica thread reaches the other across the link
            NativeReplica toUs = new NativeReplica(sh, us, net.sh().wanAddress());
            NativeReplica toSh = new NativeReplica(us, sh, net.us().wanAddress());
            toUs.setUp();
            toSh.setUp();
            progress.say("native: master-master, " + toUs.describe());
            return () -> {
                toUs.close();
                toSh.close();
            };
        }
        // Each direction's job next to its target, as two `ferry run --direction` in the two data centres: the same
        // two-way channel file in both, but each data centre's copy names the other site by its WAN address and its
        // own on the management link (docs/benchmark.md, "WAN lab"; docs/two-way.md, "Two data centres").
        FerrySide toUs = new FerrySide("wan", List.of(
                new Site("sh", url(net.sh().wanAddress(), sh), "5401-5402"),
                new Site("us", url(net.us().mgmtAddress(), us), "5411-5412")),
                "sh", "us", true, us, state.resolve("at-us"), options.checkpointInterval,
                ReplicationBenchmark.BATCH_SIZE, 0);
        FerrySide toSh = new FerrySide("wan", List.of(
                new Site("sh", url(net.sh().mgmtAddress(), sh), "5401-5402"),
                new Site("us", url(net.us().wanAddress(), us), "5411-5412")),
                "us", "sh", true, sh, state.resolve("at-sh"), options.checkpointInterval,
                ReplicationBenchmark.BATCH_SIZE, 0);
        try {
            toUs.start();
            toSh.start();
        } catch (Exception | Error e) {
            toUs.close();
            toSh.close();
            throw e;
        }
        ferry.put("sh->us", toUs);
        ferry.put("us->sh", toSh);
        progress.say("Ferry: a runner per direction in this JVM, checkpoint interval " + options.checkpointInterval);
        return () -> {
            ferry.clear();
            try {
                toUs.close();
            } finally {
                toSh.close();
            }
        };
    }

    /**
     * Writes a probe row at {@code from} every second until one arrives at {@code to}: a reader that starts at the
     * binlog's end (Ferry's {@code startup: latest}) skips what was written before it connected, and the
     * measurement must not start before.
     */
    private void awaitLive(Replicator system, DatabaseServer from, DatabaseServer to, int firstId) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
        for (int id = firstId; System.nanoTime() < deadline; id++) {
            from.execute("INSERT INTO " + Workload.DATABASE + ".probe (id, ts) VALUES (" + id + ", 0)");
            long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < next) {
                // any probe row: one may take longer than a second to arrive
                if (!to.query("SELECT id FROM " + Workload.DATABASE + ".probe WHERE id >= " + firstId).isEmpty()) {
                    progress.say(String.format(Locale.ROOT, "%s: %s -> %s live after %.1f s", system.label(),
                            from.name(), to.name(), Progress.seconds(System.nanoTime() - t0)));
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(system.label() + ": nothing written at " + from.name() + " arrived at "
                + to.name() + " within 180 s");
    }

    private static String url(String host, DatabaseServer server) {
        return "jdbc:mysql://" + host + ":" + server.port();
    }

    /** One phase: both sites write at {@code rate} rows/s; each site's rows are looked for at the other. */
    private List<Result> measure(Replicator system, DatabaseServer sh, DatabaseServer us, double rate, int phase)
            throws Exception {
        int writers = options.writersFor(rate);
        long[] shBases = bases(0, phase, writers);
        long[] usBases = bases(1, phase, writers);
        LagPoller atUs = new LagPoller("sh->us", us, shBases, options.pollMs);
        LagPoller atSh = new LagPoller("us->sh", sh, usBases, options.pollMs);
        atUs.start();
        atSh.start();
        Map<String, LagMetricSampler> metrics = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, FerrySide> f : ferry.entrySet()) {
            metrics.put(f.getKey(), f.getValue().lagMetric());
        }
        metrics.values().forEach(LagMetricSampler::start);
        progress.say(String.format(Locale.ROOT, "%s: %.0f rows/s at each site from %d writer(s) each, %d s warm-up"
                + " + %d s measured", system.label(), rate, writers, options.warmup, options.seconds));
        long t0 = System.nanoTime();
        long t0Ms = System.currentTimeMillis();
        long end = t0 + TimeUnit.SECONDS.toNanos(options.warmup + options.seconds);
        List<PacedWriter> atShWriters = writers(sh, shBases, rate / writers, t0, end);
        List<PacedWriter> atUsWriters = writers(us, usBases, rate / writers, t0, end);
        long windowFrom = t0Ms + TimeUnit.SECONDS.toMillis(options.warmup);
        ProcessCpu.AtWindowStart cpuAtStart = new ProcessCpu.AtWindowStart(windowFrom);
        long cutFrom = options.cutSeconds > 0 ? windowFrom + TimeUnit.SECONDS.toMillis(options.cutAt) : 0;
        long cutTo = cutFrom > 0 ? cutFrom + TimeUnit.SECONDS.toMillis(options.cutSeconds) : 0;
        if (cutFrom > 0) {
            Thread.sleep(Math.max(0, cutFrom - System.currentTimeMillis()));
            net.router("cut " + options.cutSeconds);
            progress.say("link cut for " + options.cutSeconds + " s");
        }
        for (PacedWriter w : atShWriters) {
            w.finish();
        }
        for (PacedWriter w : atUsWriters) {
            w.finish();
        }
        long windowTo = System.currentTimeMillis();
        java.time.Duration cpu = ProcessCpu.ofThisJvmAndItsChildren().minus(cpuAtStart.reading());
        String drained = drain(atShWriters, us, shBases) + "; " + drain(atUsWriters, sh, usBases);
        Thread.sleep(2L * options.pollMs);
        atUs.stop();
        atSh.stop();
        long observedUntil = System.currentTimeMillis();
        progress.say(system.label() + ": " + drained);
        LagSeries toUsSeries = series(atShWriters, atUs);
        LagSeries toShSeries = series(atUsWriters, atSh);
        double rowsApplied = (toUsSeries.appliedRowsPerSec(windowFrom, windowTo)
                + toShSeries.appliedRowsPerSec(windowFrom, windowTo)) * (windowTo - windowFrom) / 1000.0;
        double cpuPer1000 = rowsApplied > 0 ? cpu.toMillis() / rowsApplied : Double.NaN; // s per 1000 rows
        List<Result> out = List.of(
                new Result(system, "sh->us", rate, toUsSeries, windowFrom, windowTo, cutFrom, cutTo, observedUntil,
                        drained, agreement(metrics.get("sh->us"), toUsSeries, windowFrom, observedUntil), cpuPer1000),
                new Result(system, "us->sh", rate, toShSeries, windowFrom, windowTo, cutFrom, cutTo, observedUntil,
                        drained, agreement(metrics.get("us->sh"), toShSeries, windowFrom, observedUntil), cpuPer1000));
        progress.say(String.format(Locale.ROOT, "%s: %.1f CPU s in the window (the lab JVM with its writers and"
                + " pollers, and both servers): %.3f CPU s per 1000 rows applied", system.label(),
                cpu.toMillis() / 1000.0, cpuPer1000));
        for (Result r : out) {
            LagStats s = r.stats();
            String bound = s.drained ? "" : ">=";
            progress.say(String.format(Locale.ROOT, "%s %s: p50 %s ms, p99 %s ms, max %s ms, applied %.0f rows/s",
                    system.label(), r.direction(), bound + ms(s.p50), bound + ms(s.p99), bound + ms(s.max),
                    r.series().appliedRowsPerSec(windowFrom, windowTo)));
            if (r.metric() != null) {
                progress.say(system.label() + " " + r.direction() + " lagMs beside the sampler: "
                        + r.metric().describe());
            }
        }
        return out;
    }

    /** The metric's readings from the window on beside the sampler's; null without a sampler (native). */
    private static MetricAgreement agreement(LagMetricSampler sampler, LagSeries series, long fromMs, long toMs)
            throws InterruptedException {
        return sampler == null ? null : MetricAgreement.of(sampler.stop(), series, fromMs, toMs);
    }

    /** Disjoint sequence ranges per site, phase and writer: a poller asks only for seq above the last it saw. */
    private static long[] bases(int site, int phase, int writers) {
        return LongStream.range(0, writers).map(k -> (1 + site * 1000L + phase * 32L + k) * LagPoller.RANGE).toArray();
    }

    private List<PacedWriter> writers(DatabaseServer server, long[] bases, double rowsPerSec, long t0, long end) {
        List<PacedWriter> out = new ArrayList<>();
        for (long base : bases) {
            PacedWriter w = new PacedWriter(server, inserts(new SplittableRandom(base)), base, rowsPerSec, t0, end);
            w.start();
            out.add(w);
        }
        return out;
    }

    /** Transactions of 1 to 5 inserted rows; ids from the sequence number, so the sites' rows never conflict. */
    private static PacedWriter.Transactions inserts(SplittableRandom rnd) {
        return (seq, srcMs) -> {
            int n = 1 + rnd.nextInt(5);
            StringBuilder sql = new StringBuilder(256 * n).append("INSERT INTO ").append(Workload.TABLE)
                    .append(" (id, k, c, pad, v, seq, src_ms) VALUES ");
            for (int i = 0; i < n; i++) {
                Workload.appendRow(sql.append(i > 0 ? "," : ""), rnd, seq * 8 + i, seq, srcMs);
            }
            return sql.toString();
        };
    }

    /** Waits up to --drain seconds until {@code target} holds every row the writers wrote; says how that went. */
    private String drain(List<PacedWriter> writers, DatabaseServer target, long[] bases) throws Exception {
        long written = writers.stream().mapToLong(w -> w.rows).sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drain);
        long t0 = System.nanoTime();
        try (Connection c = target.connect(Workload.DATABASE); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM " + Workload.TABLE + " WHERE seq > ? AND seq < ?")) {
            ps.setLong(1, bases[0]);
            ps.setLong(2, bases[bases.length - 1] + LagPoller.RANGE);
            long there = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    there = rs.getLong(1);
                }
                if (there >= written) {
                    return String.format(Locale.ROOT, "%,d rows at %s %.1f s after the writes", written,
                            target.name(), Progress.seconds(System.nanoTime() - t0));
                }
                Thread.sleep(100);
            }
            return String.format(Locale.ROOT, "only %,d of %,d rows at %s %d s after the writes", there, written,
                    target.name(), options.drain);
        }
    }

    /** The writers' transactions and when the poller saw each, in one series. */
    private static LagSeries series(List<PacedWriter> writers, LagPoller poller) {
        int total = writers.stream().mapToInt(w -> w.committedAt.length).sum();
        long[] committed = new long[total];
        long[] seen = new long[total];
        int[] rows = new int[total];
        int n = 0;
        for (int r = 0; r < writers.size(); r++) {
            PacedWriter w = writers.get(r);
            for (int i = 0; i < w.committedAt.length; i++, n++) {
                committed[n] = w.committedAt[i];
                seen[n] = poller.seenAt(r, i);
                rows[n] = w.rowsOf[i];
            }
        }
        return new LagSeries(committed, seen, rows);
    }
}
