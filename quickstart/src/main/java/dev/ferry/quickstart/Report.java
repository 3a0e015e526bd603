package dev.ferry.quickstart;

import static dev.ferry.quickstart.WorkDir.display;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.RestorePoint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The quickstart's longer texts: what happens before the jobs start, the final comparison, what is kept. */
final class Report {
    private final WorkDir dir;
    private final PrintStream out;

    Report(WorkDir dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    /** Before the jobs start: how the demo works, and how to look at a site while it runs. */
    void explain(DemoServer us) {
        out.println("What happens now:");
        out.println("  Ferry runs sh->us and us->sh as two Flink jobs inside this process. sh->us first copies sh's rows");
        out.println("  (startup: initial), then each job follows its source's binary log (us->sh from now on: latest).");
        out.println("  Each change reaches the other site exactly once: at every checkpoint (500 ms) it is committed there");
        out.println("  in one local transaction that starts with a marker row, and the other job skips marked transactions,");
        out.println("  so nothing comes back. sh writes orders from 1, us from " + Quickstart.US_FIRST_ID + "; at the " + Quickstart.CONFLICT_TICK
                + "th second both");
        out.println("  update order " + Shop.CONFLICT_ORDER + ": the conflict rule (priority: sh) decides, and each site records it in");
        out.println("  ferry.ferry_conflict.");
        out.println("  Look at us yourself while it runs: " + display(dir.binaries().resolve("bin").resolve("mariadb"))
                + " --defaults-file=" + display(dir.clientFile(us)) + " " + Shop.DATABASE
                + " -e 'SELECT * FROM vgp_order'");
        out.println();
    }

    /** Both sites row by row after the last change, and the conflicts recorded at them. */
    void finalComparison(Status finalStatus, List<Conflicts.Conflict> seen) {
        out.println();
        out.println("Final comparison of both sites:");
        finalStatus.report().forEach(l -> out.println("  " + l));
        out.println("  conflict records:  " + seen.size() + seen.stream()
                .map(c -> c.site() + ": " + c.table() + " " + c.key() + " " + c.resolution())
                .collect(Collectors.joining(", ", " (", ")")));
        out.println(finalStatus.same() ? "  => sh and us hold the same rows." : "  => sh and us DIFFER.");
    }

    /** After the servers stopped: what is kept, or (without --keep) the run's data removed. */
    void end(boolean keep, ChannelConfig config) {
        out.println();
        List<Path> savepoints = config == null ? List.of() : latestSavepoints(config);
        if (keep) {
            out.println("Stopped. Everything is kept in " + display(dir.path()) + ":");
            out.println("  channel file:    " + display(dir.resolve("channel.yaml")));
            out.println("  Ferry's log:     " + display(dir.logFile()));
            for (String site : List.of("sh", "us")) {
                out.println("  " + site + " data:         " + display(dir.resolve(site).resolve("data"))
                        + " (binlog.* are its binary logs)");
            }
            savepoints.forEach(p -> out.println("  savepoint:       " + display(p)));
            out.println("  ferry password:  " + display(dir.resolve("ferry.password")));
            out.println("  (the next quickstart in this directory starts afresh and replaces them)");
        } else {
            dir.removeRunData();
            out.println("Stopped. Removed the servers' data and the savepoints (use --keep to keep them). Kept:");
            out.println("  channel file:    " + display(dir.resolve("channel.yaml")) + " (an example to start from)");
            out.println("  Ferry's log:     " + display(dir.logFile()));
        }
        out.println("Next: write a channel file for your own servers and run it with ./ferry run --config <channel file>.");
    }

    private static List<Path> latestSavepoints(ChannelConfig config) {
        List<Path> savepoints = new ArrayList<>();
        try {
            for (DirectionConfig d : config.directions()) {
                RestorePoint.latest(config.stateDir(), d.name()).ifPresent(savepoints::add);
            }
        } catch (RuntimeException e) {
            // only for the report
        }
        return savepoints;
    }
}
