package dev.ferry.cli;

import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelPrepare;
import dev.ferry.verify.ChannelVerify;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** How {@code ferry check} and {@code ferry prepare} print their results: one line per item, fixes indented. */
final class Reports {
    private Reports() {}

    static void checks(List<ChannelCheck.Result> results, PrintStream out) {
        int siteWidth = results.stream().mapToInt(r -> r.site().length()).max().orElse(4);
        int checkWidth = results.stream().mapToInt(r -> r.check().length()).max().orElse(5);
        long failed = 0;
        long warned = 0;
        for (ChannelCheck.Result r : results) {
            String mark = switch (r.status()) {
                case OK -> "ok  ";
                case WARN -> "warn";
                case FAIL -> "FAIL";
            };
            out.printf("[%s] %-" + siteWidth + "s  %-" + checkWidth + "s  %s%n", mark, r.site(), r.check(), r.detail());
            if (r.fix() != null) {
                out.printf("       %" + siteWidth + "s  %" + checkWidth + "s  fix: %s%n", "", "", r.fix());
            }
            failed += r.status() == ChannelCheck.Status.FAIL ? 1 : 0;
            warned += r.status() == ChannelCheck.Status.WARN ? 1 : 0;
        }
        out.println(failed == 0 ? "All checks passed" + (warned == 0 ? "." : " (" + warned + " warning(s)).")
                : failed + " check(s) failed.");
    }

    static void status(List<ChannelStatus.Direction> directions, String flinkUrl, PrintStream out) {
        status(directions, Map.of(), flinkUrl, out);
    }

    /** @param held per direction name, the lines about its held tables (see {@link HeldTablesAtTarget}) */
    static void status(List<ChannelStatus.Direction> directions, Map<String, List<String>> held, String flinkUrl,
            PrintStream out) {
        out.println("Flink: " + flinkUrl);
        for (ChannelStatus.Direction d : directions) {
            if (d.jobId() == null) {
                out.println(d.name() + "  NOT RUNNING (no job of that name; start it with 'ferry run' or 'ferry submit')");
                continue;
            }
            // the phase is known from the first applied change after a (re)start; until then: starting
            String phase = d.streaming() ? "streaming" : d.snapshotRows() > 0
                    ? "initial copy (" + d.snapshotRows() + " rows so far)" : "starting";
            String lag = d.lagMs() < 0 ? "lag unknown yet" : String.format("lag %.1f s", d.lagMs() / 1000.0);
            String checkpoint = d.lastCheckpointId() < 0 ? "no checkpoint yet" : String.format(
                    "checkpoint #%d %.0f s ago", d.lastCheckpointId(), d.lastCheckpointAgeMs() / 1000.0);
            out.printf("%s  %s  %s  %s  %.0f rows/s  %d rows applied  %d conflicts%s  %s%s  job %s%n",
                    d.name(), d.shownState(), phase, lag, d.rowsPerSecond(), d.appliedRows(), d.conflicts(),
                    d.heldTables() > 0 ? "  " + d.heldTables() + " table(s) HELD" : "", checkpoint,
                    d.failedCheckpoints() > 0 ? " (" + d.failedCheckpoints() + " failed since)" : "", d.jobId());
            held.getOrDefault(d.name(), List.of()).forEach(line -> out.println("    " + line));
            JobFailures f = d.failures();
            if (f.recent() > 0) {
                out.printf("    %d failure(s) in the last %d min, %d restart(s) in all; the last %.0f s ago: %s%n",
                        f.recent(), JobFailures.WINDOW.toMinutes(), f.restarts(), f.lastAgeMs() / 1000.0,
                        f.lastReason());
            }
        }
    }

    /** Up to this many differing keys per table are printed. */
    private static final int KEYS_SHOWN = 20;

    static void verified(List<ChannelVerify.TableResult> results, PrintStream out) {
        long differing = 0;
        for (ChannelVerify.TableResult r : results) {
            String where = r.siteA() + " ~ " + r.siteB() + (r.table() == null ? "" : " " + r.table());
            if (r.note() != null) {
                out.println(where + ": " + r.note());
                continue;
            }
            differing += r.differingKeys().size();
            if (!r.differingKeys().isEmpty()) {
                out.println(where + ": " + r.differingKeys().size() + " row(s) differ, keys:");
                r.differingKeys().stream().limit(KEYS_SHOWN).forEach(k -> out.println("  (" + k + ")"));
                if (r.differingKeys().size() > KEYS_SHOWN) {
                    out.println("  ... and " + (r.differingKeys().size() - KEYS_SHOWN) + " more");
                }
            }
        }
        out.println(differing == 0 ? "All compared tables are the same at both sites."
                : differing + " row(s) differ. Fix: ferry verify --repair --from <the right site>.");
    }

    static void prepared(List<ChannelPrepare.Site> sites, PrintStream out) {
        for (ChannelPrepare.Site s : sites) {
            out.println((s.prepared() ? "[ok]   " : "[FAIL] ") + s.site() + ": " + s.detail());
            out.println("       grants Ferry's user needs at '" + s.site() + "' (run them as an admin):");
            s.grants().forEach(g -> out.println("         " + g));
        }
    }
}
