package dev.ferry.quickstart;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's traffic while both directions run: a write at each site every second with the status line after
 * it, then, after the last write, the wait for both sites to converge.
 */
final class Traffic {
    /** How long the jobs may take to reach streaming (sh->us copies sh's rows first). */
    static final long STREAMING_TIMEOUT_SECONDS = 180;
    /** How long a stop waits for the sites to converge before it reports them as different. */
    static final long CATCH_UP_SECONDS = 60;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Shop sh;
    private final Shop us;
    private final LocalRunner runner;
    private final ChannelConfig config;
    private final FlinkRestClient rest;
    private final StopSignal stop;
    private final Conflicts conflicts;
    private final PrintStream out;
    private final PrintStream err;

    /** {@code runner} runs both directions of {@code config} and has started (it throws if it has not). */
    Traffic(Shop sh, Shop us, LocalRunner runner, ChannelConfig config, StopSignal stop, Conflicts conflicts,
            PrintStream out, PrintStream err) throws Exception {
        this.sh = sh;
        this.us = us;
        this.runner = runner;
        this.config = config;
        this.rest = new FlinkRestClient(runner.dashboardUrl());
        this.stop = stop;
        this.conflicts = conflicts;
        this.out = out;
        this.err = err;
    }

    /**
     * The demo's main loop, once a second: once both directions stream, one transaction at each site (and, once,
     * the dual write), then the status line; for {@code seconds} of writes, or until a stop if 0. Returns false
     * if the jobs stopped or never reached streaming.
     */
    boolean replicate(long seconds) throws Exception {
        long started = System.nanoTime();
        long deadline = Long.MAX_VALUE; // --seconds counts from the first write
        int ticks = 0;
        List<ChannelStatus.Direction> directions = List.of();
        for (long next = started; ; ) {
            if (!runner.watch()) {
                return false;
            }
            if (ticks == 0 && !streaming(directions)) {
                // us->sh starts at the binlog's end (startup: latest): writes at us before it reads would be lost
                if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(STREAMING_TIMEOUT_SECONDS)) {
                    err.println("ferry quickstart: the directions did not start streaming within "
                            + STREAMING_TIMEOUT_SECONDS + " s");
                    return false;
                }
            } else {
                if (ticks == 0) {
                    out.println(clock() + "  both directions stream; now sh and us each write every second"
                            + (seconds > 0 ? " for " + seconds + " s." : " (Ctrl-C to stop)."));
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                }
                if (seconds > 0 && System.nanoTime() - deadline >= 0) {
                    out.println(clock() + "  " + seconds + " s are over; stopping.");
                    return true;
                }
                write(sh, sh::tick);
                write(us, us::tick);
                if (++ticks == Quickstart.CONFLICT_TICK) {
                    out.println(clock() + "  dual write: order " + Shop.CONFLICT_ORDER + " updated at sh (amount "
                            + Shop.SH_AMOUNT + ") and at us (amount " + Shop.US_AMOUNT + ") in overlapping transactions");
                    write(sh, () -> Shop.updateAtBothSites(sh, us));
                }
            }
            next += TimeUnit.SECONDS.toNanos(1);
            if (stop.await(next - System.nanoTime())) {
                out.println(clock() + "  stop requested.");
                return true;
            }
            directions = directions();
            out.println(clock() + "  " + Quickstart.lag(directions) + " | " + Status.read(sh, us).line());
            printNewConflicts();
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** A failed write is reported and the demo goes on (its transaction was rolled back). */
    private void write(Shop site, SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            err.println(clock() + "  writing at " + site.site() + " failed: " + e.getMessage());
        }
    }

    /**
     * After the last write: waits until both sites hold the same rows, and still do 2 s later (or gives up), and
     * returns the last comparison. The 2 s are four checkpoints: a change that leaves a site as it was (the
     * losing side of the conflict) may still be on its way, and its conflict record with it.
     */
    Status converge(boolean jobsAlive) throws Exception {
        Status status = Status.read(sh, us);
        if (!jobsAlive) {
            return status;
        }
        out.println(clock() + "  waiting for both sites to apply each other's last changes...");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CATCH_UP_SECONDS);
        long sameSince = -1;
        while (System.nanoTime() - deadline < 0 && runner.watch()) {
            if (!status.same()) {
                sameSince = -1;
            } else if (sameSince < 0) {
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince >= TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            Thread.sleep(250);
            status = Status.read(sh, us);
        }
        return status;
    }

    /** Each direction as the Flink REST API reports it: the same reading as {@code ferry status}. */
    private List<ChannelStatus.Direction> directions() {
        try {
            return ChannelStatus.read(config, rest);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean streaming(List<ChannelStatus.Direction> directions) {
        return !directions.isEmpty() && directions.stream().allMatch(ChannelStatus.Direction::streaming);
    }

    void printNewConflicts() throws SQLException {
        conflicts.poll(sh, us).forEach(c -> out.println(clock() + "  " + c.line()));
    }

    private static String clock() {
        return LocalTime.now().format(CLOCK);
    }
}
