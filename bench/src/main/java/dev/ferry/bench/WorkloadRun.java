package dev.ferry.bench;

import static dev.ferry.bench.Progress.seconds;

import dev.ferry.bench.NativeReplica.BinlogPos;
import dev.ferry.bench.Result.Throughput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One workload from a fresh database: Ferry's first start, a backlog written while both systems are paused, the
 * catch-up of each system in turn (throughput), then the {@link LagPhase}.
 */
final class WorkloadRun {
    private final ReplicationBenchmark.Options options;
    private final BenchServers servers;
    private final Progress progress;
    private final Path workDir;
    private final LagPhase lagPhase;

    /** Made once {@code servers} run; {@code workDir} holds Ferry's state, a directory per workload. */
    WorkloadRun(ReplicationBenchmark.Options options, BenchServers servers, Progress progress, Path workDir) {
        this.options = options;
        this.servers = servers;
        this.progress = progress;
        this.workDir = workDir;
        this.lagPhase = new LagPhase(options, servers, progress);
    }

    Result run(Workload w) throws Exception {
        Result r = new Result(w);
        String tag = "(" + w.letter + ")";
        long preload = w.needsPreload() ? options.preloadRows : 0;
        progress.say(tag + " " + w.title + ": fresh database '" + Workload.DATABASE + "' at all three servers"
                + (preload > 0 ? ", " + preload + " identical rows loaded outside the binlog" : ""));
        servers.resetDatabases(preload);
        if (w == Workload.BULK && options.conflictPercent > 0) {
            long planted = servers.plantConflicts((long) options.bulkTx * Workload.BULK_ROWS, options.conflictPercent);
            progress.say(String.format(Locale.ROOT, "%s %,d of the backlog's keys planted at Ferry's target with other values"
                    + " (--conflicts=%d): each is an insert-exists conflict the source wins", tag, planted,
                    options.conflictPercent));
        }

        try (FerrySide ferry = new FerrySide("bench-" + w.letter, servers.source(), servers.ferryTarget(),
                workDir.resolve("state-" + w.letter), ReplicationBenchmark.CHECKPOINT_INTERVAL,
                ReplicationBenchmark.BATCH_SIZE, options.parallelism)) {
            // --- Ferry: first start (startup latest), probe, stop with a savepoint
            progress.say(tag + " Ferry: first start (startup: latest), waiting for probe rows to arrive");
            ferry.start();
            awaitProbe(ferry);
            ferry.stopWithSavepoint();
            ferry.stop();
            // --- native: pause
            servers.awaitNativeCaughtUp(60);
            servers.nativeRepl().stop();
            long ferryBase = ferry.appliedRows();

            // --- backlog
            int txCount = switch (w) {
                case BULK -> options.bulkTx;
                case UPDATES -> options.updates;
                case MIXED -> options.mixedTx;
            };
            progress.say(tag + " both paused; writing the backlog: " + txCount + " transactions into the source");
            Workload.Generator gen = new Workload.Generator(w, preload, 1000 + w.ordinal());
            long g0 = System.nanoTime();
            long rows = 0;
            long tx = 0;
            try (Connection c = BenchServers.connectBench(servers.source()); Statement s = c.createStatement()) {
                for (int i = 1; i <= txCount; i++) {
                    long n = Workload.execute(s, gen.next(i, System.currentTimeMillis()));
                    rows += n;
                    tx += n > 0 ? 1 : 0;
                }
            }
            double genSeconds = seconds(System.nanoTime() - g0);
            BinlogPos end = servers.nativeRepl().sourceEnd();
            r.backlogRows = rows;
            r.backlogTx = tx;
            String sourceSum = BenchServers.checksumOf(servers.source());
            progress.say(String.format(Locale.ROOT, "%s backlog: %,d row changes in %,d transactions, written in %.1f s"
                    + " (%,.0f rows/s at the source)", tag, rows, tx, genSeconds, rows / genSeconds));

            // --- native catch-up
            long n0 = System.nanoTime();
            servers.nativeRepl().start();
            boolean nativeDone = servers.nativeRepl()
                    .awaitExecuted(end, n0 + TimeUnit.SECONDS.toNanos(options.catchUpTimeout));
            long n1 = System.nanoTime();
            r.nativeTp = new Throughput(nativeDone, seconds(n1 - n0), Double.NaN, Double.NaN,
                    servers.sameData(sourceSum, servers.replica(), "native", tag));
            progress.say(String.format(Locale.ROOT, "%s native: caught up in %.2f s (%,.0f rows/s, %,.0f tx/s)%s", tag,
                    r.nativeTp.seconds(), rows / r.nativeTp.seconds(), tx / r.nativeTp.seconds(),
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
                    progress.problem(tag + " Ferry did not catch up within " + options.catchUpTimeout + " s: applied "
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
                    ferryDone ? servers.sameData(sourceSum, servers.ferryTarget(), "Ferry", tag) : "not caught up");
            if (w == Workload.BULK && options.conflictPercent > 0) {
                progress.say(String.format(Locale.ROOT, "%s Ferry recorded %,d conflicts", tag, servers.conflictsRecorded("bench-" + w.letter)));
            }
            progress.say(String.format(Locale.ROOT, "%s Ferry: caught up in %.2f s after LocalRunner.start() (%,.0f rows/s,"
                    + " %,.0f tx/s); start() itself took %.2f s, first commit after %.2f s, steady %,.0f rows/s%s", tag,
                    r.ferryTp.seconds(), rows / r.ferryTp.seconds(), tx / r.ferryTp.seconds(), seconds(fStarted - f0),
                    startup, steady, ferryDone ? "" : " -- DID NOT CATCH UP"));

            // --- lag: paced load, both live
            if (ferryDone && nativeDone && options.lagSeconds > 0) {
                lagPhase.run(w, r, ferry, gen, expected);
            } else if (options.lagSeconds > 0) {
                progress.problem(tag + " lag phase skipped: a system did not catch up");
            }
            if (ferryDone) {
                ferry.stopWithSavepoint(); // a clean stop, so that closing the cluster does not fail the job
            }
        }
        return r;
    }

    /** Inserts probe rows at the source until Ferry applies one, then one more and waits for it (a barrier). */
    private void awaitProbe(FerrySide ferry) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int id = 0;
        long lastWatch = 0;
        try (Connection src = servers.source().connect(Workload.DATABASE); Statement ss = src.createStatement();
                Connection tgt = servers.ferryTarget().connect(Workload.DATABASE); Statement ts = tgt.createStatement()) {
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
}
