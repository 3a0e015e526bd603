package dev.ferry.bench;

import static dev.ferry.bench.Result.ms;

import dev.ferry.bench.Result.LagStats;
import dev.ferry.bench.Result.Throughput;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.runtime.util.EnvironmentInformation;

/** The benchmark's closing report: the set-up, a table per measurement, the targets met or missed, the problems. */
final class BenchReport {
    private static final double LAG_TARGET_MS = 1500;
    private static final String NL = System.lineSeparator();

    private record Verdict(boolean pass, String detail) {}

    private final ReplicationBenchmark.Options options;
    private final BenchServers servers;

    BenchReport(ReplicationBenchmark.Options options, BenchServers servers) {
        this.options = options;
        this.servers = servers;
    }

    /** Prints the report on the workloads that ran, in their order, with the problems {@code progress} noted. */
    void print(Map<Workload, Result> results, Progress progress) {
        StringBuilder out = new StringBuilder(NL);
        setUp(out);
        summary(out, results.values());
        catchUpDetails(out, results.values());
        lagDetails(out, results.values());
        targets(out, results);
        List<String> problems = progress.problems();
        if (!problems.isEmpty()) {
            out.append(NL).append("problems").append(NL);
            problems.forEach(p -> out.append("  - ").append(p).append(NL));
        }
        out.append(String.format(Locale.ROOT, "%ntotal run time %.0f s%n", progress.elapsedSeconds()));
        System.out.print(out);
        System.out.flush();
    }

    /** What ran where, and what the figures mean. */
    private void setUp(StringBuilder out) {
        out.append("=== Ferry vs native MariaDB replication (one direction, loopback) ===").append(NL);
        out.append("machine : ").append(Machine.describe()).append(NL);
        out.append("          load average at the end: ").append(Machine.loadAverage())
                .append(" (1/5/15 min; other processes on this box compete for the same cores)").append(NL);
        out.append("servers : MariaDB ").append(servers.source().version()).append(" x3 (source, ferry-target,"
                + " native-replica) on 127.0.0.1; binlog ROW/FULL, buffer pool 64M; source innodb_flush_log_at_trx_commit=2,"
                + " sync_binlog=0; both targets ").append(options.durability.describe()).append(NL);
        out.append("native  : ").append(servers.nativeRepl().describe()).append(NL);
        out.append("Ferry   : apply mode ").append(options.parallelism == 0 ? "transactional"
                : "parallel over " + options.parallelism + " writers")
                .append(", batch-size ").append(ReplicationBenchmark.BATCH_SIZE)
                .append(", checkpoint-interval ").append(ReplicationBenchmark.CHECKPOINT_INTERVAL)
                .append(", Flink ").append(EnvironmentInformation.getVersion())
                .append(" MiniCluster (LocalRunner) inside the benchmark JVM").append(NL);
        out.append(String.format(Locale.ROOT, "sizes   : (a) %d x 1000-row tx, (b) %d updates on %d rows,"
                        + " (c) %d tx on %d rows; lag phase %d s at %.0f rows/s (generator threads: a 1, b %d, c %d)%n",
                options.bulkTx, options.updates, options.preloadRows, options.mixedTx, options.preloadRows,
                options.lagSeconds, options.lagRate, options.lagThreadsB, options.lagThreadsC));
        out.append("rows/s, tx/s: catch-up of a backlog written while paused; native from START SLAVE, Ferry from"
                + " LocalRunner.start()").append(NL);
        out.append("         (cluster start + restore from savepoint included) until the target holds every row.").append(NL);
        out.append("lag     : paced phase, both systems live at once; per transaction: first seen at the target"
                + " (polled every " + LagPoller.INTERVAL_MS + " ms)").append(NL);
        out.append("          minus COMMIT acknowledged at the source, same JVM clock.").append(NL).append(NL);
    }

    private static void summary(StringBuilder out, Iterable<Result> results) {
        String fmt = "| %-38s | %13s | %12s | %6s | %11s | %10s | %10s | %9s | %10s | %9s |%n";
        out.append(String.format(Locale.ROOT, fmt, "workload", "native rows/s", "Ferry rows/s", "F/N", "native tx/s",
                "Ferry tx/s", "native p50", "Ferry p50", "native p99", "Ferry p99"));
        out.append(String.format(Locale.ROOT, fmt, "-".repeat(38), "-".repeat(13), "-".repeat(12), "-".repeat(6),
                "-".repeat(11), "-".repeat(10), "-".repeat(10), "-".repeat(9), "-".repeat(10), "-".repeat(9)));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, fmt, r.workload.label(),
                    rate(r.backlogRows, r.nativeTp), rate(r.backlogRows, r.ferryTp), ratio(r),
                    rate(r.backlogTx, r.nativeTp), rate(r.backlogTx, r.ferryTp),
                    lagCell(r.nativeLag, true), lagCell(r.ferryLag, true),
                    lagCell(r.nativeLag, false), lagCell(r.ferryLag, false)));
        }
    }

    private static void catchUpDetails(StringBuilder out, Iterable<Result> results) {
        out.append(NL).append("catch-up details").append(NL);
        String dfmt = "| %-4s | %-6s | %9s | %7s | %8s | %10s | %12s | %8s |%n";
        out.append(String.format(Locale.ROOT, dfmt, "load", "system", "rows", "tx", "seconds", "start-up s",
                "steady rows/s", "data"));
        for (Result r : results) {
            for (boolean ferry : new boolean[] {false, true}) {
                Throughput t = ferry ? r.ferryTp : r.nativeTp;
                if (t == null) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, dfmt, "(" + r.workload.letter + ")", ferry ? "Ferry" : "native",
                        String.format(Locale.ROOT, "%,d", r.backlogRows), String.format(Locale.ROOT, "%,d", r.backlogTx),
                        String.format(Locale.ROOT, "%.2f%s", t.seconds(), t.caughtUp() ? "" : "+"),
                        Double.isNaN(t.startup()) ? "-" : String.format(Locale.ROOT, "%.2f", t.startup()),
                        Double.isNaN(t.steadyRowsPerSec()) ? "-" : String.format(Locale.ROOT, "%,.0f", t.steadyRowsPerSec()),
                        t.data()));
            }
        }
        out.append("  start-up = LocalRunner.start() until the first commit marker is visible; steady = rows after"
                + " that / time after that.").append(NL);
    }

    private static void lagDetails(StringBuilder out, Iterable<Result> results) {
        out.append(NL).append("lag details (ms)").append(NL);
        String lfmt = "| %-4s | %11s | %7s | %3s | %-6s | %13s | %6s | %6s | %6s | %7s | %-7s |%n";
        out.append(String.format(Locale.ROOT, lfmt, "load", "offered r/s", "tx/s", "thr", "system", "samples/tx",
                "p50", "p99", "max", "drained", "data"));
        for (Result r : results) {
            if (r.nativeLag == null) {
                continue;
            }
            for (boolean ferry : new boolean[] {false, true}) {
                LagStats l = ferry ? r.ferryLag : r.nativeLag;
                out.append(String.format(Locale.ROOT, lfmt, "(" + r.workload.letter + ")",
                        String.format(Locale.ROOT, "%,.0f", r.offeredRowsPerSec),
                        String.format(Locale.ROOT, "%,.0f", r.offeredTxPerSec), r.lagThreads, ferry ? "Ferry" : "native",
                        l.samples + "/" + l.transactions, ms(l.p50), ms(l.p99), ms(l.max), l.drained ? "yes" : "NO",
                        ferry ? r.ferryLagData : r.nativeLagData));
            }
        }
    }

    private static void targets(StringBuilder out, Map<Workload, Result> results) {
        out.append(NL).append("targets").append(NL);
        Result a = results.get(Workload.BULK);
        Result b = results.get(Workload.UPDATES);
        Result c = results.get(Workload.MIXED);
        out.append(target("(b) Ferry rows/s >= native rows/s", b == null ? null : () -> {
            double f = b.ferryRate();
            double n = b.nativeRate();
            return new Verdict(f >= n, String.format(Locale.ROOT, "Ferry %,.0f vs native %,.0f rows/s%s", f, n,
                    steadyNote(b)));
        }));
        out.append(target("(a) Ferry rows/s >= 25% of native", a == null ? null : () -> {
            double f = a.ferryRate();
            double n = a.nativeRate();
            return new Verdict(f >= 0.25 * n, String.format(Locale.ROOT, "Ferry %,.0f = %.1f%% of native %,.0f rows/s%s",
                    f, 100 * f / n, n, steadyNote(a)));
        }));
        out.append(target("(c) Ferry p99 lag < 1.5 s at 5000 rows/s", lagVerdict(c)));
        out.append(target("(a) Ferry p99 lag < 1.5 s at 5000 rows/s [extra]", lagVerdict(a)));
        out.append(target("(b) Ferry p99 lag < 1.5 s at 5000 rows/s [extra]", lagVerdict(b)));
    }

    private static String steadyNote(Result r) {
        if (r.ferryTp == null || Double.isNaN(r.ferryTp.steadyRowsPerSec())) {
            return "";
        }
        return String.format(Locale.ROOT, " (Ferry steady, after its start-up: %,.0f rows/s = %.0f%% of native)",
                r.ferryTp.steadyRowsPerSec(), 100 * r.ferryTp.steadyRowsPerSec() / r.nativeRate());
    }

    private static Supplier<Verdict> lagVerdict(Result r) {
        if (r == null || r.ferryLag == null) {
            return null;
        }
        return () -> {
            boolean rateOk = r.offeredRowsPerSec >= 0.95 * ReplicationBenchmark.LAG_TARGET_RATE;
            boolean ok = r.ferryLag.drained && !Double.isNaN(r.ferryLag.p99) && r.ferryLag.p99 < LAG_TARGET_MS;
            return new Verdict(ok && rateOk, String.format(Locale.ROOT, "Ferry p99 %s ms at %,.0f rows/s offered%s",
                    ms(r.ferryLag.p99), r.offeredRowsPerSec,
                    rateOk ? "" : " (the generator did not reach 95% of 5000 rows/s)"));
        };
    }

    private static String target(String name, Supplier<Verdict> check) {
        if (check == null) {
            return String.format(Locale.ROOT, "  %-50s n/a (workload not run)%n", name);
        }
        Verdict v = check.get();
        return String.format(Locale.ROOT, "  %-50s %-4s  %s%n", name, v.pass ? "PASS" : "MISS", v.detail);
    }

    static String rate(long count, Throughput t) {
        if (t == null) {
            return "-";
        }
        if (!t.caughtUp()) {
            return "DNF";
        }
        double v = count / t.seconds();
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(Result r) {
        if (r.nativeTp == null || r.ferryTp == null || !r.nativeTp.caughtUp() || !r.ferryTp.caughtUp()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * r.ferryRate() / r.nativeRate());
    }

    static String lagCell(LagStats l, boolean p50) {
        if (l == null) {
            return "-";
        }
        return ms(p50 ? l.p50 : l.p99) + " ms" + (l.drained ? "" : "+");
    }
}
