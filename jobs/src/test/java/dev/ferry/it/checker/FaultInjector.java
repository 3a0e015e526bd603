package dev.ferry.it.checker;

import dev.ferry.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Faults at seeded random moments while the clients write: the channel's runner stopped abruptly and started again
 * from its retained checkpoints (in this JVM or as a {@code ferry run} process, chosen at random), a TaskManager
 * killed (or, when the channel runs as a process, that process killed with SIGKILL), and one site's database
 * server stopped and started again. The kinds come round in a shuffled cycle, so a short run sees each of them.
 */
public final class FaultInjector extends CheckerTask {
    enum Kind { RUNNER_RESTART, WORKER_KILL, SERVER_RESTART }

    /** A fault {@code at} after the start; {@code site} for a server restart. */
    record Planned(Duration at, Kind kind, String site) {}

    private final List<Planned> plan;
    private final ChannelHosts hosts;
    private final Map<String, TestDatabase> sites;
    private final History history;
    private final Random random;
    private final boolean processHosts;
    private final AtomicBoolean stop;

    /**
     * @param processHosts whether a restarted runner may be a {@code ferry run} process
     */
    public FaultInjector(List<Planned> plan, ChannelHosts hosts, Map<String, TestDatabase> sites, History history,
            Random random, boolean processHosts, AtomicBoolean stop) {
        this.plan = plan;
        this.hosts = hosts;
        this.sites = sites;
        this.history = history;
        this.random = random;
        this.processHosts = processHosts;
        this.stop = stop;
    }

    /** Faults from {@code warmup} on, {@code minGap} to {@code maxGap} apart, until {@code duration}. */
    static List<Planned> plan(Random random, Duration duration, Duration warmup, Duration minGap, Duration maxGap,
            List<String> sites) {
        List<Planned> plan = new ArrayList<>();
        List<String> cycle = new ArrayList<>();
        long at = warmup.toMillis();
        while (at < duration.toMillis()) {
            if (cycle.isEmpty()) {
                cycle.add(Kind.RUNNER_RESTART.name());
                cycle.add(Kind.WORKER_KILL.name());
                sites.forEach(s -> cycle.add(Kind.SERVER_RESTART.name() + " " + s));
                Collections.shuffle(cycle, random);
            }
            String[] next = cycle.remove(0).split(" ");
            plan.add(new Planned(Duration.ofMillis(at), Kind.valueOf(next[0]), next.length > 1 ? next[1] : null));
            at += minGap.toMillis() + (long) (random.nextDouble() * (maxGap.toMillis() - minGap.toMillis()));
        }
        return plan;
    }

    @Override
    void work() throws Exception {
        long start = System.nanoTime();
        for (Planned fault : plan) {
            while (System.nanoTime() - start < fault.at().toNanos()) {
                if (stop.get()) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            inject(fault);
        }
    }

    private void inject(Planned fault) throws Exception {
        long t0 = System.nanoTime();
        String kind;
        String detail;
        switch (fault.kind()) {
            case RUNNER_RESTART -> {
                kind = "runner-restart";
                detail = hosts.restartAbruptly(processHosts && random.nextBoolean());
            }
            case WORKER_KILL -> {
                kind = hosts.killWorker();
                detail = kind;
            }
            case SERVER_RESTART -> {
                kind = "server-restart";
                sites.get(fault.site()).restart(); // a clean stop, then a start on the same port and data
                detail = "database server of " + fault.site() + " stopped and started";
            }
            default -> throw new IllegalArgumentException(fault.kind().name());
        }
        history.event(kind, detail + " (" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms)");
    }
}
