package dev.ferry.bench;

import static dev.ferry.bench.Progress.seconds;

import dev.ferry.bench.NativeReplica.BinlogPos;
import dev.ferry.bench.Result.LagStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;

/**
 * The lag measurement of one workload, after both systems caught up with its backlog: a paced load at the
 * source with both systems live, a poller per target noting when each transaction becomes visible there.
 */
final class LagPhase {
    private static final long LAG_SEQ_BASE = 1_000_000_000L;

    private final ReplicationBenchmark.Options options;
    private final BenchServers servers;
    private final Progress progress;

    /** Made once {@code servers} run. */
    LagPhase(ReplicationBenchmark.Options options, BenchServers servers, Progress progress) {
        this.options = options;
        this.servers = servers;
        this.progress = progress;
    }

    /** Fills {@code r}'s lag figures; {@code ferryApplied} is what Ferry's target counted before the phase. */
    void run(Workload w, Result r, FerrySide ferry, Workload.Generator backlogGen, long ferryApplied) throws Exception {
        String tag = "(" + w.letter + ")";
        int threads = switch (w) {
            case BULK -> 1;
            case UPDATES -> options.lagThreadsB;
            case MIXED -> options.lagThreadsC;
        };
        progress.say(String.format(Locale.ROOT, "%s lag phase: ~%,.0f rows/s for %d s from %d generator thread(s), both"
                + " systems live at the same time", tag, options.lagRate, options.lagSeconds, threads));
        long[] bases = new long[threads];
        for (int k = 0; k < threads; k++) {
            bases[k] = LAG_SEQ_BASE + k * LagPoller.RANGE;
        }
        LagPoller nativePoller = new LagPoller("native", servers.replica(), bases);
        LagPoller ferryPoller = new LagPoller("ferry", servers.ferryTarget(), bases);
        nativePoller.start();
        ferryPoller.start();
        long preload = w.needsPreload() ? options.preloadRows : 0;
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(options.lagSeconds);
        List<PacedWriter> paced = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            Workload.Generator g = new Workload.Generator(w, preload, 2000 + 10L * w.ordinal() + k, k, threads,
                    backlogGen.nextFreeId());
            paced.add(new PacedWriter(servers.source(), g::next, bases[k], options.lagRate / threads, t0, end));
        }
        paced.forEach(Thread::start);
        long rows = 0;
        long tx = 0;
        long[][] committedAt = new long[threads][];
        for (int k = 0; k < threads; k++) {
            PacedWriter p = paced.get(k);
            p.finish();
            rows += p.rows;
            tx += p.tx;
            committedAt[k] = p.committedAt;
        }
        double elapsed = seconds(System.nanoTime() - t0);
        BinlogPos endPos = servers.nativeRepl().sourceEnd();
        long expected = ferryApplied + rows;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeout);
        boolean nativeDrained = servers.nativeRepl().awaitExecuted(endPos, drainDeadline);
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
        String sourceSum = BenchServers.checksumOf(servers.source());
        r.nativeLagData = servers.sameData(sourceSum, servers.replica(), "native (after lag phase)", tag);
        r.ferryLagData = ferryDrained
                ? servers.sameData(sourceSum, servers.ferryTarget(), "Ferry (after lag phase)", tag) : "not drained";
        if (!ferryDrained) {
            progress.problem(tag + " Ferry did not apply all lag-phase rows within " + options.drainTimeout
                    + " s after the load stopped; job status " + status);
        }
        progress.say(String.format(Locale.ROOT, "%s lag: offered %,.0f rows/s (%,.0f tx/s); native p50/p99 %s/%s ms,"
                        + " Ferry p50/p99 %s/%s ms", tag, r.offeredRowsPerSec, r.offeredTxPerSec,
                Result.ms(r.nativeLag.p50), Result.ms(r.nativeLag.p99), Result.ms(r.ferryLag.p50),
                Result.ms(r.ferryLag.p99)));
    }
}
