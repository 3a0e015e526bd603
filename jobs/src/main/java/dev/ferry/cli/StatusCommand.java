package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.FerryException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ferry status}: each direction as its Flink cluster reports it, with its held tables. */
@Command(name = "status", description = {
        "Each direction as the Flink cluster reports it: job state, initial copy or",
        "streaming, lag, rows/s, conflicts, held tables, the last checkpoint; each held",
        "table with its reason and fix, read from the target's ferry.ferry_ddl. Without",
        "--flink it reads the channel's own 'ferry run' (its address is recorded in the",
        "state directory). Exits 1 unless all run and no table is held."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Option(names = "--flink", paramLabel = "<url>",
            description = "REST address of the Flink cluster that runs the channel (default: its own 'ferry run').")
    String flink;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws IOException {
        ChannelConfig config = channel.load();
        FlinkRestClient rest = new FlinkRestClient(flink == null ? ownRun(config) : flink);
        return status(config, rest, System.out);
    }

    /** Prints each direction's status, with its held tables; 0 if all run and no table is held, else 1. */
    static int status(ChannelConfig config, FlinkRestClient rest, PrintStream out) throws IOException {
        List<ChannelStatus.Direction> directions;
        try {
            directions = ChannelStatus.read(config, rest);
        } catch (IOException e) {
            throw new FerryException("Cannot read the Flink cluster at " + rest.baseUrl() + ": " + describe(e)
                    + ". Fix: start the channel ('ferry run --config ...') or give the cluster's REST address with"
                    + " --flink.", e);
        }
        Map<String, List<String>> held = new LinkedHashMap<>();
        boolean anyHeld = false;
        for (ChannelStatus.Direction d : directions) {
            if (d.jobId() != null) {
                DirectionConfig direction = config.direction(d.name());
                HeldTablesAtTarget.Report report = HeldTablesAtTarget.report(config, direction);
                held.put(d.name(), report.lines(direction));
                anyHeld |= report.anyHeld();
            }
        }
        Reports.status(directions, held, rest.baseUrl(), out);
        // a held table leaves its direction running, but waits for an operator: not healthy
        boolean healthy = !anyHeld && directions.stream().allMatch(d -> d.running() && d.heldTables() == 0);
        return healthy ? 0 : 1;
    }

    /** The REST address of the channel's own 'ferry run', from its state directory. */
    private static String ownRun(ChannelConfig config) {
        RunAddress.Recorded run = RunAddress.read(config.stateDir()).orElseThrow(() -> new FerryException("No 'ferry"
                + " run' of channel '" + config.channel() + "' is running: it records its address in "
                + config.stateDir().resolve(RunAddress.FILE).toAbsolutePath() + ", which does not exist. Fix: start it"
                + " ('ferry run --config ...'), or give the REST address of the Flink cluster that runs the channel"
                + " with --flink <url>."));
        if (!run.alive()) {
            throw new FerryException("The 'ferry run' of channel '" + config.channel() + "' recorded in " + run.file()
                    + " (process " + run.pid() + ", " + run.url() + ") is not running any more. Fix: start it again"
                    + " ('ferry run --config ...'), or give the REST address of the Flink cluster that runs the"
                    + " channel with --flink <url>.");
        }
        return run.url();
    }

    /** An exception in words: its message, or its kind if it has none (a refused connection has no message). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused (nothing listens there)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
