package dev.ferry.bench;

import dev.ferry.bench.NativeReplica.BinlogPos;
import dev.ferry.cli.CommandLines;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.WholeNumbers;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.ServerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Benchmark (not a test): Ferry's one-direction replication against native MariaDB replication on
 * loopback, on three workloads. Three MariaDB servers: a source, a Ferry target and a native
 * replica (single-threaded, file/position).
 *
 * <p>Throughput ("catch-up"): with both systems paused, the workload is written into the source's
 * binlog; then each system is resumed in turn (native: START SLAVE; Ferry: a new LocalRunner that
 * resumes from its savepoint) and timed until it has caught up (native: executed up to the
 * source's binlog end; Ferry: the commit markers at the target count every generated row).
 *
 * <p>Lag: a paced phase (~5000 rows/s, both systems live at the same time) where every row carries
 * its transaction's sequence number; a poller per target notes when each transaction becomes
 * visible there. Lag = first seen at the target - COMMIT acknowledged at the source (same JVM clock).
 *
 * <p>Usage: {@code bench/run.sh [--quick] [--only=a,b,c] [--lag-seconds=N] [--lag-rate=ROWS_PER_S]
 * [--lag-threads=N]}; {@code --help} lists all options.
 */
public final class ReplicationBenchmark {
    /** java.util.logging users that would print INFO lines to the console: the test servers, the binlog client. */
    private static final java.util.logging.Logger[] QUIET_JUL = {
            java.util.logging.Logger.getLogger("dev.ferry.testing"),
            java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog")};
    private static final long LAG_SEQ_BASE = 1_000_000_000L;
    private static final String CHECKPOINT_INTERVAL = "500ms";
    private static final int BATCH_SIZE = 1000;
    private static final double LAG_TARGET_MS = 1500;
    private static final double LAG_TARGET_RATE = 5000;

    private final Options options;
    private final long startNanos = System.nanoTime();
    private final Path workDir;
    private DatabaseServer source;
    private DatabaseServer ferryTarget;
    private DatabaseServer replica;
    private NativeReplica nativeRepl;
    private final Map<Workload, Result> results = new EnumMap<>(Workload.class);
    private final List<String> problems = new ArrayList<>();

    private ReplicationBenchmark(Options options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        String log = System.getProperty("ferry.bench.log");
        if (log == null) {
            log = "/tmp/ferry-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log";
            System.setProperty("ferry.bench.log", log);
        }
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-bench.properties");
        }
        for (java.util.logging.Logger l : QUIET_JUL) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        Options options = new Options();
        CommandLine line = Options.commandLine(options);
        OptionalInt usage = CommandLines.parse(line, args);
        if (usage.isPresent()) {
            System.exit(usage.getAsInt()); // --help, or a usage error: printed already
        }
        options.quickDefaults(line.getParseResult());
        Path work = Files.createTempDirectory("ferry-bench-");
        ReplicationBenchmark bench = new ReplicationBenchmark(options, work);
        int exit = 0;
        try {
            bench.run(log);
        } catch (Exception | Error e) {
            System.out.flush();
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(exit);
    }

    private void run(String logFile) throws Exception {
        say("Ferry vs native MariaDB replication benchmark (" + (options.quick ? "--quick" : "full") + " mode)");
        say("Flink/Ferry log: " + logFile);
        say("machine: " + Machine.describe() + "; load average now " + Machine.loadAverage());
        say("starting 3 MariaDB servers (source, ferry-target, native-replica)");
        source = DatabaseServer.start(ServerKind.MARIADB, "source", Map.of());
        ferryTarget = DatabaseServer.start(ServerKind.MARIADB, "ferry-target", options.durability.settings());
        Map<String, String> replicaCnf = new LinkedHashMap<>(options.durability.settings());
        replicaCnf.put("replicate-wild-do-table", Workload.DATABASE + ".%"); // Ferry's own tables stay out
        replicaCnf.put("log-slave-updates", "ON"); // it writes a binlog of what it applies, as Ferry's target does
        replicaCnf.put("slave-parallel-threads", "0"); // the baseline: one SQL thread
        replica = DatabaseServer.start(ServerKind.MARIADB, "native-replica", replicaCnf);
        nativeRepl = new NativeReplica(source, replica);
        nativeRepl.setUp();
        awaitNativeCaughtUp(60);

        for (Workload w : Workload.values()) {
            if (options.only.contains(w)) {
                results.put(w, runWorkload(w));
            }
        }
        report();
    }

    // -----------------------------------------------------------------------------------------------------
    // one workload

    private Result runWorkload(Workload w) throws Exception {
        Result r = new Result(w);
        String tag = "(" + w.letter + ")";
        long preload = w.needsPreload() ? options.preloadRows : 0;
        say(tag + " " + w.title + ": fresh database '" + Workload.DATABASE + "' at all three servers"
                + (preload > 0 ? ", " + preload + " identical rows loaded outside the binlog" : ""));
        resetDatabase(source, true, preload);
        resetDatabase(ferryTarget, false, preload);
        resetDatabase(replica, false, preload);
        if (w == Workload.BULK && options.conflictPercent > 0) {
            long planted = plantConflicts((long) options.bulkTx * Workload.BULK_ROWS, options.conflictPercent);
            say(String.format(Locale.ROOT, "%s %,d of the backlog's keys planted at Ferry's target with other values"
                    + " (--conflicts=%d): each is an insert-exists conflict the source wins", tag, planted,
                    options.conflictPercent));
        }

        try (FerrySide ferry = new FerrySide("bench-" + w.letter, source, ferryTarget,
                workDir.resolve("state-" + w.letter), CHECKPOINT_INTERVAL, BATCH_SIZE, options.parallelism)) {
            // --- Ferry: first start (startup latest), probe, stop with a savepoint
            say(tag + " Ferry: first start (startup: latest), waiting for probe rows to arrive");
            ferry.start();
            awaitProbe(ferry);
            ferry.stopWithSavepoint();
            ferry.stop();
            // --- native: pause
            awaitNativeCaughtUp(60);
            nativeRepl.stop();
            long ferryBase = ferry.appliedRows();

            // --- backlog
            int txCount = switch (w) {
                case BULK -> options.bulkTx;
                case UPDATES -> options.updates;
                case MIXED -> options.mixedTx;
            };
            say(tag + " both paused; writing the backlog: " + txCount + " transactions into the source");
            Workload.Generator gen = new Workload.Generator(w, preload, 1000 + w.ordinal());
            long g0 = System.nanoTime();
            long rows = 0;
            long tx = 0;
            try (Connection c = connectBench(source); Statement s = c.createStatement()) {
                for (int i = 1; i <= txCount; i++) {
                    long n = Workload.execute(s, gen.next(i, System.currentTimeMillis()));
                    rows += n;
                    tx += n > 0 ? 1 : 0;
                }
            }
            double genSeconds = seconds(System.nanoTime() - g0);
            BinlogPos end = nativeRepl.sourceEnd();
            r.backlogRows = rows;
            r.backlogTx = tx;
            String sourceSum = checksumOf(source);
            say(String.format(Locale.ROOT, "%s backlog: %,d row changes in %,d transactions, written in %.1f s"
                    + " (%,.0f rows/s at the source)", tag, rows, tx, genSeconds, rows / genSeconds));

            // --- native catch-up
            long n0 = System.nanoTime();
            nativeRepl.start();
            boolean nativeDone = nativeRepl.awaitExecuted(end, n0 + TimeUnit.SECONDS.toNanos(options.catchUpTimeout));
            long n1 = System.nanoTime();
            r.nativeTp = new Throughput(nativeDone, seconds(n1 - n0), Double.NaN, Double.NaN,
                    sameData(sourceSum, replica, "native", tag));
            say(String.format(Locale.ROOT, "%s native: caught up in %.2f s (%,.0f rows/s, %,.0f tx/s)%s", tag,
                    r.nativeTp.seconds, rows / r.nativeTp.seconds, tx / r.nativeTp.seconds,
                    nativeDone ? "" : " -- DID NOT CATCH UP within " + options.catchUpTimeout + " s"));

            // --- Ferry catch-up
            long f0 = System.nanoTime();
            ferry.start();
            long fStarted = System.nanoTime();
            long expected = ferryBase + rows;
            long firstAt = -1;
            long firstRows = 0;
            long lastWatch = 0;
            long deadline = f0 + TimeUnit.SECONDS.toNanos(options.catchUpTimeout);
            boolean ferryDone = false;
            while (true) {
                long applied = ferry.appliedRows();
                long now = System.nanoTime();
                if (firstAt < 0 && applied > ferryBase) {
                    firstAt = now;
                    firstRows = applied - ferryBase;
                }
                if (applied >= expected) {
                    ferryDone = true;
                    break;
                }
                if (now > deadline) {
                    problems.add(tag + " Ferry did not catch up within " + options.catchUpTimeout + " s: applied "
                            + (applied - ferryBase) + " of " + rows + " rows; job status " + ferry.watch());
                    break;
                }
                if (now - lastWatch > TimeUnit.SECONDS.toNanos(1)) {
                    lastWatch = now;
                    ferry.watch();
                }
                Thread.sleep(10);
            }
            long f1 = System.nanoTime();
            double startup = firstAt < 0 ? Double.NaN : seconds(firstAt - f0);
            double steady = firstAt < 0 || f1 <= firstAt ? Double.NaN : (rows - firstRows) / seconds(f1 - firstAt);
            r.ferryTp = new Throughput(ferryDone, seconds(f1 - f0), startup, steady,
                    ferryDone ? sameData(sourceSum, ferryTarget, "Ferry", tag) : "not caught up");
            if (w == Workload.BULK && options.conflictPercent > 0) {
                say(String.format(Locale.ROOT, "%s Ferry recorded %,d conflicts", tag, conflictsRecorded("bench-" + w.letter)));
            }
            say(String.format(Locale.ROOT, "%s Ferry: caught up in %.2f s after LocalRunner.start() (%,.0f rows/s,"
                    + " %,.0f tx/s); start() itself took %.2f s, first commit after %.2f s, steady %,.0f rows/s%s", tag,
                    r.ferryTp.seconds, rows / r.ferryTp.seconds, tx / r.ferryTp.seconds, seconds(fStarted - f0),
                    startup, steady, ferryDone ? "" : " -- DID NOT CATCH UP"));

            // --- lag: paced load, both live
            if (ferryDone && nativeDone && options.lagSeconds > 0) {
                runLagPhase(w, r, ferry, gen, expected);
            } else if (options.lagSeconds > 0) {
                problems.add(tag + " lag phase skipped: a system did not catch up");
            }
            if (ferryDone) {
                ferry.stopWithSavepoint(); // a clean stop, so that closing the cluster does not fail the job
            }
        }
        return r;
    }

    private void runLagPhase(Workload w, Result r, FerrySide ferry, Workload.Generator backlogGen, long ferryApplied)
            throws Exception {
        String tag = "(" + w.letter + ")";
        int threads = switch (w) {
            case BULK -> 1;
            case UPDATES -> options.lagThreadsB;
            case MIXED -> options.lagThreadsC;
        };
        say(String.format(Locale.ROOT, "%s lag phase: ~%,.0f rows/s for %d s from %d generator thread(s), both"
                + " systems live at the same time", tag, options.lagRate, options.lagSeconds, threads));
        long[] bases = new long[threads];
        for (int k = 0; k < threads; k++) {
            bases[k] = LAG_SEQ_BASE + k * LagPoller.RANGE;
        }
        LagPoller nativePoller = new LagPoller("native", replica, bases);
        LagPoller ferryPoller = new LagPoller("ferry", ferryTarget, bases);
        nativePoller.start();
        ferryPoller.start();
        long preload = w.needsPreload() ? options.preloadRows : 0;
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(options.lagSeconds);
        List<PacedThread> paced = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            Workload.Generator g = new Workload.Generator(w, preload, 2000 + 10L * w.ordinal() + k, k, threads,
                    backlogGen.nextFreeId());
            paced.add(new PacedThread(g, bases[k], options.lagRate / threads, t0, end));
        }
        paced.forEach(Thread::start);
        long rows = 0;
        long tx = 0;
        long[][] committedAt = new long[threads][];
        for (int k = 0; k < threads; k++) {
            PacedThread p = paced.get(k);
            p.join();
            if (p.failure != null) {
                throw new IllegalStateException("lag-phase generator failed: " + p.failure, p.failure);
            }
            rows += p.rows;
            tx += p.tx;
            committedAt[k] = p.committedAt;
        }
        double elapsed = seconds(System.nanoTime() - t0);
        BinlogPos endPos = nativeRepl.sourceEnd();
        long expected = ferryApplied + rows;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeout);
        boolean nativeDrained = nativeRepl.awaitExecuted(endPos, drainDeadline);
        boolean ferryDrained = false;
        while (System.nanoTime() < drainDeadline) {
            if (ferry.appliedRows() >= expected) {
                ferryDrained = true;
                break;
            }
            Thread.sleep(10);
        }
        Thread.sleep(2 * LagPoller.INTERVAL_MS);
        nativePoller.stop();
        ferryPoller.stop();
        JobStatus status = ferry.watch();
        r.offeredRowsPerSec = rows / elapsed;
        r.offeredTxPerSec = tx / elapsed;
        r.lagSeconds = elapsed;
        r.lagThreads = threads;
        r.nativeLag = new LagStats(nativePoller.lags(committedAt), tx, nativeDrained);
        r.ferryLag = new LagStats(ferryPoller.lags(committedAt), tx, ferryDrained);
        String sourceSum = checksumOf(source);
        r.nativeLagData = sameData(sourceSum, replica, "native (after lag phase)", tag);
        r.ferryLagData = ferryDrained ? sameData(sourceSum, ferryTarget, "Ferry (after lag phase)", tag)
                : "not drained";
        if (!ferryDrained) {
            problems.add(tag + " Ferry did not apply all lag-phase rows within " + options.drainTimeout
                    + " s after the load stopped; job status " + status);
        }
        say(String.format(Locale.ROOT, "%s lag: offered %,.0f rows/s (%,.0f tx/s); native p50/p99 %s/%s ms,"
                        + " Ferry p50/p99 %s/%s ms", tag, r.offeredRowsPerSec, r.offeredTxPerSec,
                ms(r.nativeLag.p50), ms(r.nativeLag.p99), ms(r.ferryLag.p50), ms(r.ferryLag.p99)));
    }

    /** Sends one generator's transactions at a fixed rate of rows (not transactions) per second. */
    private final class PacedThread extends Thread {
        private final Workload.Generator gen;
        private final long base;
        private final double rowsPerSec;
        private final long t0;
        private final long end;
        long[] committedAt = new long[1 << 15];
        long rows;
        long tx;
        volatile Throwable failure;

        PacedThread(Workload.Generator gen, long base, double rowsPerSec, long t0, long end) {
            super("lag-generator-" + base);
            this.gen = gen;
            this.base = base;
            this.rowsPerSec = rowsPerSec;
            this.t0 = t0;
            this.end = end;
        }

        @Override
        public void run() {
            try (Connection c = connectBench(source); Statement s = c.createStatement()) {
                int i = 0;
                while (true) {
                    long due = t0 + (long) (rows * 1e9 / rowsPerSec);
                    if (due >= end) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    i++;
                    if (i >= committedAt.length) {
                        committedAt = Arrays.copyOf(committedAt, committedAt.length * 2);
                    }
                    long n = Workload.execute(s, gen.next(base + i, System.currentTimeMillis()));
                    committedAt[i] = System.currentTimeMillis();
                    rows += n;
                    tx += n > 0 ? 1 : 0;
                    if (System.nanoTime() >= end) {
                        break;
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // helpers

    /** Drops and recreates the benchmark database; at the source without writing the binlog. */
    private void resetDatabase(DatabaseServer server, boolean isSource, long preloadRows) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            if (isSource) {
                s.execute("SET SESSION sql_log_bin = 0");
            }
            for (String sql : Workload.DDL) {
                s.execute(sql);
            }
            if (preloadRows > 0) {
                s.execute("USE " + Workload.DATABASE);
                for (String sql : Workload.preloadStatements(preloadRows)) {
                    s.execute(sql);
                }
            }
        }
    }

    /**
     * Writes every {@code 100 / percent}-th key of the bulk backlog (ids 1..rows) into Ferry's target with values the
     * source will not have, so that Ferry meets that share of its inserts as conflicts. The native replica gets none:
     * a duplicate key stops native replication.
     */
    private long plantConflicts(long rows, int percent) throws SQLException {
        long step = Math.max(1, Math.round(100.0 / percent));
        long planted = 0;
        try (Connection c = connectBench(ferryTarget); Statement s = c.createStatement()) {
            StringBuilder sql = null;
            for (long id = step; id <= rows; id += step) {
                sql = (sql == null ? new StringBuilder("INSERT INTO " + Workload.TABLE
                        + " (id, k, c, pad, v, seq, src_ms) VALUES ") : sql.append(','))
                        .append('(').append(id).append(", 0, 'planted', 'planted', -1, 0, 0)");
                if (++planted % 1000 == 0) {
                    s.execute(sql.toString());
                    sql = null;
                }
            }
            if (sql != null) {
                s.execute(sql.toString());
            }
        }
        return planted;
    }

    private long conflictsRecorded(String channel) throws SQLException {
        try (Connection c = ferryTarget.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ferry.ferry_conflict WHERE channel = '" + channel + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts probe rows at the source until Ferry applies one, then one more and waits for it (a barrier). */
    private void awaitProbe(FerrySide ferry) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int id = 0;
        long lastWatch = 0;
        try (Connection src = source.connect(Workload.DATABASE); Statement ss = src.createStatement();
                Connection tgt = ferryTarget.connect(Workload.DATABASE); Statement ts = tgt.createStatement()) {
            boolean arrived = false;
            long nextProbe = 0;
            while (!arrived) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new IllegalStateException("no probe row reached the Ferry target within 180 s; job status "
                            + ferry.watch() + " (see the log)");
                }
                if (now >= nextProbe) {
                    ss.execute("INSERT INTO probe VALUES (" + (++id) + ", " + System.currentTimeMillis() + ")");
                    nextProbe = now + TimeUnit.MILLISECONDS.toNanos(500);
                }
                if (now - lastWatch > TimeUnit.SECONDS.toNanos(1)) {
                    lastWatch = now;
                    ferry.watch();
                }
                try (ResultSet rs = ts.executeQuery("SELECT COUNT(*) FROM probe")) {
                    rs.next();
                    arrived = rs.getLong(1) > 0;
                }
                Thread.sleep(20);
            }
            int barrier = ++id;
            ss.execute("INSERT INTO probe VALUES (" + barrier + ", " + System.currentTimeMillis() + ")");
            while (true) {
                try (ResultSet rs = ts.executeQuery("SELECT COUNT(*) FROM probe WHERE id = " + barrier)) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the barrier probe row did not reach the Ferry target");
                }
                Thread.sleep(20);
            }
        }
    }

    private void awaitNativeCaughtUp(int timeoutSeconds) throws Exception {
        BinlogPos end = nativeRepl.sourceEnd();
        if (!nativeRepl.awaitExecuted(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds))) {
            throw new IllegalStateException("native replica did not reach " + end + " within " + timeoutSeconds
                    + " s: " + nativeRepl.status());
        }
    }

    private static Connection connectBench(DatabaseServer server) throws SQLException {
        return java.sql.DriverManager.getConnection(server.jdbcUrl() + "/" + Workload.DATABASE
                        + "?allowMultiQueries=true&" + DatabaseServer.CONNECTION_OPTIONS + "&useLocalSessionState=true",
                server.adminUser(), server.adminPassword());
    }

    private static String checksumOf(DatabaseServer server) throws SQLException {
        try (Connection c = server.connect()) {
            return Workload.checksum(c);
        }
    }

    private String sameData(String sourceSum, DatabaseServer target, String who, String tag) throws SQLException {
        String t = checksumOf(target);
        if (t.equals(sourceSum)) {
            return "ok";
        }
        problems.add(tag + " " + who + ": target table differs from the source (count/crc source " + sourceSum
                + ", target " + t + ")");
        return "DIFFERS";
    }

    private void say(String line) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds(System.nanoTime() - startNanos), line);
        System.out.flush();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private void cleanUp() {
        if (nativeRepl != null) {
            nativeRepl.close();
        }
        for (DatabaseServer s : new DatabaseServer[] {source, ferryTarget, replica}) {
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    System.err.println("could not close " + s + ": " + e);
                }
            }
        }
        if (!options.keepState) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + workDir + ": " + e);
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------
    // report

    private void report() throws Exception {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder(nl);
        out.append("=== Ferry vs native MariaDB replication (one direction, loopback) ===").append(nl);
        out.append("machine : ").append(Machine.describe()).append(nl);
        out.append("          load average at the end: ").append(Machine.loadAverage())
                .append(" (1/5/15 min; other processes on this box compete for the same cores)").append(nl);
        out.append("servers : MariaDB ").append(source.version()).append(" x3 (source, ferry-target,"
                + " native-replica) on 127.0.0.1; binlog ROW/FULL, buffer pool 64M; source innodb_flush_log_at_trx_commit=2,"
                + " sync_binlog=0; both targets ").append(options.durability.describe()).append(nl);
        out.append("native  : ").append(nativeRepl.describe()).append(nl);
        out.append("Ferry   : apply mode ").append(options.parallelism == 0 ? "transactional"
                : "parallel over " + options.parallelism + " writers").append(", batch-size ").append(BATCH_SIZE).append(", checkpoint-interval ")
                .append(CHECKPOINT_INTERVAL).append(", Flink ").append(org.apache.flink.runtime.util.EnvironmentInformation
                        .getVersion()).append(" MiniCluster (LocalRunner) inside the benchmark JVM").append(nl);
        out.append(String.format(Locale.ROOT, "sizes   : (a) %d x 1000-row tx, (b) %d updates on %d rows,"
                        + " (c) %d tx on %d rows; lag phase %d s at %.0f rows/s (generator threads: a 1, b %d, c %d)%n",
                options.bulkTx, options.updates, options.preloadRows, options.mixedTx, options.preloadRows,
                options.lagSeconds, options.lagRate, options.lagThreadsB, options.lagThreadsC));
        out.append("rows/s, tx/s: catch-up of a backlog written while paused; native from START SLAVE, Ferry from"
                + " LocalRunner.start()").append(nl);
        out.append("         (cluster start + restore from savepoint included) until the target holds every row.").append(nl);
        out.append("lag     : paced phase, both systems live at once; per transaction: first seen at the target"
                + " (polled every " + LagPoller.INTERVAL_MS + " ms)").append(nl);
        out.append("          minus COMMIT acknowledged at the source, same JVM clock.").append(nl).append(nl);

        String fmt = "| %-38s | %13s | %12s | %6s | %11s | %10s | %10s | %9s | %10s | %9s |%n";
        out.append(String.format(Locale.ROOT, fmt, "workload", "native rows/s", "Ferry rows/s", "F/N", "native tx/s",
                "Ferry tx/s", "native p50", "Ferry p50", "native p99", "Ferry p99"));
        out.append(String.format(Locale.ROOT, fmt, "-".repeat(38), "-".repeat(13), "-".repeat(12), "-".repeat(6),
                "-".repeat(11), "-".repeat(10), "-".repeat(10), "-".repeat(9), "-".repeat(10), "-".repeat(9)));
        for (Result r : results.values()) {
            out.append(String.format(Locale.ROOT, fmt, r.workload.label(),
                    rate(r.backlogRows, r.nativeTp), rate(r.backlogRows, r.ferryTp), ratio(r),
                    rate(r.backlogTx, r.nativeTp), rate(r.backlogTx, r.ferryTp),
                    lagCell(r.nativeLag, true), lagCell(r.ferryLag, true),
                    lagCell(r.nativeLag, false), lagCell(r.ferryLag, false)));
        }

        out.append(nl).append("catch-up details").append(nl);
        String dfmt = "| %-4s | %-6s | %9s | %7s | %8s | %10s | %12s | %8s |%n";
        out.append(String.format(Locale.ROOT, dfmt, "load", "system", "rows", "tx", "seconds", "start-up s",
                "steady rows/s", "data"));
        for (Result r : results.values()) {
            for (boolean ferry : new boolean[] {false, true}) {
                Throughput t = ferry ? r.ferryTp : r.nativeTp;
                if (t == null) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, dfmt, "(" + r.workload.letter + ")", ferry ? "Ferry" : "native",
                        String.format(Locale.ROOT, "%,d", r.backlogRows), String.format(Locale.ROOT, "%,d", r.backlogTx),
                        String.format(Locale.ROOT, "%.2f%s", t.seconds, t.caughtUp ? "" : "+"),
                        Double.isNaN(t.startup) ? "-" : String.format(Locale.ROOT, "%.2f", t.startup),
                        Double.isNaN(t.steadyRowsPerSec) ? "-" : String.format(Locale.ROOT, "%,.0f", t.steadyRowsPerSec),
                        t.data));
            }
        }
        out.append("  start-up = LocalRunner.start() until the first commit marker is visible; steady = rows after"
                + " that / time after that.").append(nl);

        out.append(nl).append("lag details (ms)").append(nl);
        String lfmt = "| %-4s | %11s | %7s | %3s | %-6s | %13s | %6s | %6s | %6s | %7s | %-7s |%n";
        out.append(String.format(Locale.ROOT, lfmt, "load", "offered r/s", "tx/s", "thr", "system", "samples/tx",
                "p50", "p99", "max", "drained", "data"));
        for (Result r : results.values()) {
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

        out.append(nl).append("targets").append(nl);
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
        if (!problems.isEmpty()) {
            out.append(nl).append("problems").append(nl);
            problems.forEach(p -> out.append("  - ").append(p).append(nl));
        }
        out.append(String.format(Locale.ROOT, "%ntotal run time %.0f s%n", seconds(System.nanoTime() - startNanos)));
        System.out.print(out);
        System.out.flush();
    }

    private static String steadyNote(Result r) {
        if (r.ferryTp == null || Double.isNaN(r.ferryTp.steadyRowsPerSec)) {
            return "";
        }
        return String.format(Locale.ROOT, " (Ferry steady, after its start-up: %,.0f rows/s = %.0f%% of native)",
                r.ferryTp.steadyRowsPerSec, 100 * r.ferryTp.steadyRowsPerSec / r.nativeRate());
    }

    private java.util.function.Supplier<Verdict> lagVerdict(Result r) {
        if (r == null || r.ferryLag == null) {
            return null;
        }
        return () -> {
            boolean rateOk = r.offeredRowsPerSec >= 0.95 * LAG_TARGET_RATE;
            boolean ok = r.ferryLag.drained && !Double.isNaN(r.ferryLag.p99) && r.ferryLag.p99 < LAG_TARGET_MS;
            return new Verdict(ok && rateOk, String.format(Locale.ROOT, "Ferry p99 %s ms at %,.0f rows/s offered%s",
                    ms(r.ferryLag.p99), r.offeredRowsPerSec,
                    rateOk ? "" : " (the generator did not reach 95% of 5000 rows/s)"));
        };
    }

    private static String target(String name, java.util.function.Supplier<Verdict> check) {
        if (check == null) {
            return String.format(Locale.ROOT, "  %-50s n/a (workload not run)%n", name);
        }
        Verdict v = check.get();
        return String.format(Locale.ROOT, "  %-50s %-4s  %s%n", name, v.pass ? "PASS" : "MISS", v.detail);
    }

    private static String rate(long count, Throughput t) {
        if (t == null) {
            return "-";
        }
        if (!t.caughtUp) {
            return "DNF";
        }
        double v = count / t.seconds;
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(Result r) {
        if (r.nativeTp == null || r.ferryTp == null || !r.nativeTp.caughtUp || !r.ferryTp.caughtUp) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * r.ferryRate() / r.nativeRate());
    }

    private static String lagCell(LagStats l, boolean p50) {
        if (l == null) {
            return "-";
        }
        return ms(p50 ? l.p50 : l.p99) + " ms" + (l.drained ? "" : "+");
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    // -----------------------------------------------------------------------------------------------------
    // data

    record Verdict(boolean pass, String detail) {}

    record Throughput(boolean caughtUp, double seconds, double startup, double steadyRowsPerSec, String data) {}

    static final class LagStats {
        final int samples;
        final long transactions;
        final double p50;
        final double p99;
        final double max;
        final boolean drained;

        LagStats(long[] lags, long transactions, boolean drained) {
            long[] sorted = lags.clone();
            Arrays.sort(sorted);
            this.samples = sorted.length;
            this.transactions = transactions;
            this.p50 = percentile(sorted, 0.50);
            this.p99 = percentile(sorted, 0.99);
            this.max = sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
            this.drained = drained;
        }

        /** Nearest rank. */
        static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    static final class Result {
        final Workload workload;
        long backlogRows;
        long backlogTx;
        Throughput nativeTp;
        Throughput ferryTp;
        double offeredRowsPerSec;
        double offeredTxPerSec;
        double lagSeconds;
        int lagThreads;
        LagStats nativeLag;
        LagStats ferryLag;
        String nativeLagData = "-";
        String ferryLagData = "-";

        Result(Workload workload) {
            this.workload = workload;
        }

        double ferryRate() {
            return ferryTp == null || !ferryTp.caughtUp ? 0 : backlogRows / ferryTp.seconds;
        }

        double nativeRate() {
            return nativeTp == null || !nativeTp.caughtUp ? Double.POSITIVE_INFINITY : backlogRows / nativeTp.seconds;
        }
    }

    /** The command line of {@code bench/run.sh}, in its {@code --option=value} style. */
    @Command(name = "bench/run.sh", description = "Ferry vs native MariaDB replication on loopback, one direction"
            + " (not a test).")
    static final class Options {
        @Option(names = "--quick", description = "Smaller backlogs and an 8 s lag phase (~2-3 min); options given"
                + " explicitly still win.")
        boolean quick;
        @Option(names = "--keep-state", description = "Keep the work directory (Ferry's state) at the end.")
        boolean keepState;
        @Option(names = "--only", split = ",", paramLabel = "a,b,c", converter = WorkloadLetter.class,
                description = "Only these workloads (default: all).")
        Set<Workload> only = EnumSet.allOf(Workload.class);
        @Option(names = "--bulk-tx", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Transactions of workload a's backlog (default ${DEFAULT-VALUE}; --quick 100).")
        int bulkTx = 500;
        @Option(names = "--updates", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Updates of workload b's backlog (default ${DEFAULT-VALUE}; --quick 12000).")
        int updates = 150_000;
        @Option(names = "--mixed-tx", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Transactions of workload c's backlog (default ${DEFAULT-VALUE}; --quick 5000).")
        int mixedTx = 50_000;
        @Option(names = "--preload-rows", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Rows loaded outside the binlog first (default ${DEFAULT-VALUE}; --quick 20000).")
        int preloadRows = 100_000;
        @Option(names = "--lag-seconds", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Length of the lag phase, 0 for none (default ${DEFAULT-VALUE}; --quick 8).")
        int lagSeconds = 20;
        @Option(names = "--lag-rate", paramLabel = "ROWS_PER_S",
                description = "Rows per second offered in the lag phase (default ${DEFAULT-VALUE}).")
        double lagRate = LAG_TARGET_RATE;
        /** Autocommit updates need several senders to reach 5000/s; the mix reaches it from one. */
        int lagThreadsB = 4;
        int lagThreadsC = 1;
        int catchUpTimeout = 300;
        int drainTimeout = 60;
        @Option(names = "--durability", paramLabel = "default|relaxed|full",
                description = "How durably both targets commit (default: default).")
        Durability durability = Durability.DEFAULT;
        /** 0: transactional apply; else parallel apply over this many writers. */
        @Option(names = "--parallel", paramLabel = "WRITERS", converter = WholeNumbers.NonNegative.class,
                description = "Apply in parallel over this many writers (default: 0, transactional apply).")
        int parallelism;
        /** Share of (a)'s keys that already exist at Ferry's target with other values, in percent. */
        @Option(names = "--conflicts", paramLabel = "PERCENT", converter = WholeNumbers.Percent.class,
                description = "Share of workload a's keys planted at Ferry's target with other values (default: 0).")
        int conflictPercent;
        @Mixin
        HelpOption help;

        /** The same sender count for workloads b and c. */
        @Option(names = "--lag-threads", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Generator threads of the lag phase for b and c (default: b 4, c 1).")
        void lagThreads(int threads) {
            lagThreadsB = threads;
            lagThreadsC = threads;
        }

        static CommandLine commandLine(Options options) {
            CommandLine line = CommandLines.of(options, "=");
            line.setCaseInsensitiveEnumValuesAllowed(true);
            return line;
        }

        /** --quick: smaller values for what the command line leaves out, wherever --quick stands on the line. */
        void quickDefaults(ParseResult given) {
            if (!quick) {
                return;
            }
            bulkTx = given.hasMatchedOption("--bulk-tx") ? bulkTx : 100;
            updates = given.hasMatchedOption("--updates") ? updates : 12_000;
            mixedTx = given.hasMatchedOption("--mixed-tx") ? mixedTx : 5_000;
            preloadRows = given.hasMatchedOption("--preload-rows") ? preloadRows : 20_000;
            lagSeconds = given.hasMatchedOption("--lag-seconds") ? lagSeconds : 8;
            catchUpTimeout = 180;
        }
    }

    /** A workload by its letter: a, b or c. */
    static final class WorkloadLetter implements ITypeConverter<Workload> {
        @Override
        public Workload convert(String letter) {
            return Arrays.stream(Workload.values()).filter(w -> w.letter.equals(letter.trim())).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + letter + "' is none of a, b or c"));
        }
    }

    /**
     * How durably the two targets (Ferry's and the native replica) commit. Both get the same setting;
     * the source always runs relaxed, since its backlog is written before either side starts.
     */
    enum Durability {
        /** MariaDB's own defaults, as a replica runs in production unless tuned: redo log flushed per commit. */
        DEFAULT("1", "0"),
        /** The test servers' setting: redo log written per commit, flushed once a second. */
        RELAXED("2", "0"),
        /** Redo log and binlog both synced per commit. */
        FULL("1", "1");

        private final String flushLogAtTrxCommit;
        private final String syncBinlog;

        Durability(String flushLogAtTrxCommit, String syncBinlog) {
            this.flushLogAtTrxCommit = flushLogAtTrxCommit;
            this.syncBinlog = syncBinlog;
        }

        Map<String, String> settings() {
            return Map.of("innodb-flush-log-at-trx-commit", flushLogAtTrxCommit, "sync-binlog", syncBinlog);
        }

        String describe() {
            return "--durability=" + name().toLowerCase(Locale.ROOT) + " (innodb_flush_log_at_trx_commit="
                    + flushLogAtTrxCommit + ", sync_binlog=" + syncBinlog + ")";
        }
    }
}
