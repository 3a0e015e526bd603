package dev.ferry.quickstart;

import static dev.ferry.quickstart.WorkDir.display;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.CommandLines;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.LocalRunner;
import dev.ferry.cli.QuickstartOptions;
import dev.ferry.config.ChannelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ferry quickstart}: the first thing to run on a fresh machine. Starts two embedded MariaDB servers (sites
 * {@code sh} and {@code us}, no install and no root needed), writes a two-way channel file for them, runs both
 * directions in this process, and plays an application at both sites (with one deliberate conflict) while printing
 * the lag and whether the sites agree. Ctrl-C (or SIGTERM) waits for the sites to converge, compares them row by
 * row, stops the jobs with a savepoint and shuts the servers down.
 *
 * <p>This class runs the steps in order; the servers are {@link Sites}, the files {@link WorkDir}, the traffic
 * {@link Traffic} and the longer texts {@link Report}.
 */
public final class Quickstart {
    static final String CHANNEL = "quickstart";
    static final int DEFAULT_REST_PORT = QuickstartOptions.DEFAULT_REST_PORT;
    /** Each site writes its own keys: sh's orders and payments from 1, us's from here. */
    static final long US_FIRST_ID = 1_000_001;
    /** The second of traffic at which both sites update the same order. */
    static final int CONFLICT_TICK = 5;

    /**
     * What a run ended with.
     *
     * @param exitCode 0 if the channel ran and both sites held the same rows at the end, 1 if something failed,
     *                 2 for a usage error
     * @param finalStatus both sites row by row after the last change, or {@code null} if the run did not get
     *                    that far
     * @param conflicts the records in ferry.ferry_conflict at both sites at the end
     * @param dir the working directory, or {@code null} for a usage error
     */
    public record Result(int exitCode, Status finalStatus, List<Conflicts.Conflict> conflicts, Path dir) {}

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final WorkDir dir;
    private final Sites sites;
    private final Report report;
    private final StopSignal stop = new StopSignal();
    private LocalRunner runner;
    private ChannelConfig config;
    private Status finalStatus;
    private final Conflicts conflicts = new Conflicts(CHANNEL);

    private Quickstart(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.dir = new WorkDir(options.dir, err);
        this.sites = new Sites(dir, out, err);
        this.report = new Report(dir, out);
    }

    public static void main(String[] args) {
        dev.ferry.cli.JulToSlf4j.install();
        System.exit(run(args).exitCode());
    }

    /** Runs the quickstart; returns instead of exiting, so tests can call it. */
    public static Result run(String[] args) {
        Options options = new Options();
        OptionalInt usage = CommandLines.parse(commandLine(options), args);
        if (usage.isPresent()) {
            // --help (0) or a usage error (2), printed already
            return new Result(usage.getAsInt(), null, List.of(), null);
        }
        return new Quickstart(options, System.out, System.err).execute();
    }

    static CommandLine commandLine(Options options) {
        return CommandLines.of(options, " ");
    }

    // ------------------------------------------------------------------ the run

    private Result execute() {
        try {
            dir.prepare();
        } catch (IOException | IllegalStateException e) {
            err.println("ferry quickstart: " + e.getMessage());
            return new Result(2, null, List.of(), dir.path());
        }
        dir.configureLogging();
        stop.install(this::forceStop);
        Thread safetyNet = new Thread(sites::stopQuietly, "quickstart-servers-stop");
        Runtime.getRuntime().addShutdownHook(safetyNet);
        int exitCode = 1;
        try {
            out.println("Ferry quickstart: two MariaDB servers, a two-way channel, nothing to install.");
            out.println("  working directory: " + display(dir.path()));
            out.println();
            String ferryPassword = Secrets.randomPassword();
            String adminPassword = Secrets.randomPassword();
            Path passwordFile = dir.resolve("ferry.password");
            Secrets.writePrivate(passwordFile, ferryPassword + "\n");
            DemoServer sh = sites.create("sh", 1, ferryPassword, adminPassword);
            DemoServer us = sites.create("us", 2, ferryPassword, adminPassword);
            sites.start(sh, us);
            if (stop.requested()) {
                out.println("Stopped during start-up.");
            } else {
                exitCode = demo(sh, us, passwordFile, ferryPassword);
            }
        } catch (Exception e) {
            err.println("ferry quickstart failed: " + describe(e));
            err.println("  details are in " + display(dir.logFile()));
            exitCode = 1;
        } finally {
            closeQuietly(runner);
            out.println("Stopping the MariaDB servers...");
            sites.stopQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(safetyNet);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
            stop.uninstall();
        }
        report.end(options.keep, config);
        return new Result(exitCode, finalStatus, conflicts.seen(), dir.path());
    }

    /** Steps 2-6: the tables, the channel file, both directions running, the traffic; returns the exit code. */
    private int demo(DemoServer shServer, DemoServer usServer, Path passwordFile, String ferryPassword)
            throws Exception {
        try (Shop sh = new Shop(shServer, 1); Shop us = new Shop(usServer, US_FIRST_ID)) {
            sh.createSchema();
            us.createSchema();
            sh.seed();
            dir.writeClientFile(shServer, ferryPassword);
            dir.writeClientFile(usServer, ferryPassword);
            out.println("Created user 'ferry' at both sites, with the grants Ferry needs; its random password is in "
                    + display(passwordFile) + " (mode 600).");
            out.println("Created " + Shop.DATABASE + "." + Shop.TABLES.stream().map(Shop.Table::name)
                    .collect(Collectors.joining(", ")) + " at both sites; sh has " + Shop.INITIAL_ORDERS
                    + " orders, us none yet.");
            out.println();

            Path channelFile = dir.resolve("channel.yaml");
            String yaml = dir.channelYaml(shServer, usServer, passwordFile);
            Files.writeString(channelFile, yaml);
            out.println("The channel file, " + display(channelFile) + ":");
            yaml.lines().forEach(l -> out.println("  | " + l));
            out.println();
            report.explain(usServer);

            config = ChannelConfig.load(channelFile);
            runner = new LocalRunner(config, options.restPort);
            runner.start();
            out.println();
            out.println("Flink dashboard (both jobs, their graphs, checkpoints and metrics): " + runner.dashboardUrl());
            out.println("Every second: the lag of each direction | rows at sh | rows at us"
                    + " (vgp_order/vgp_order_info/vgp_payment) | whether the sites agree, row by row.");

            Traffic traffic = new Traffic(sh, us, runner, config, stop, conflicts, out, err);
            boolean jobsAlive = traffic.replicate(options.seconds);
            if (!jobsAlive) {
                err.println("ferry quickstart: the replication jobs did not run; their log is "
                        + display(dir.logFile()));
            }
            finalStatus = traffic.converge(jobsAlive);
            traffic.printNewConflicts();
            report.finalComparison(finalStatus, conflicts.seen());
            if (jobsAlive && !finalStatus.same()) {
                err.println("ferry quickstart: the sites did not converge within " + Traffic.CATCH_UP_SECONDS
                        + " s; see " + display(dir.logFile()));
            }
            out.println();
            out.println("Stopping both jobs with a savepoint...");
            runner.stopWithSavepoint();
            return jobsAlive && finalStatus.same() ? 0 : 1;
        }
    }

    /** E.g. {@code lag sh->us 0.6 s, us->sh 0.7 s}: how old each direction's newest heartbeat was at the target. */
    static String lag(List<ChannelStatus.Direction> directions) {
        if (directions.isEmpty()) {
            return "lag unknown (Flink REST not answering)";
        }
        return "lag " + directions.stream().map(d -> d.name() + " " + (d.streaming()
                ? String.format(Locale.ROOT, "%.1f s", d.lagMs() / 1000.0)
                : !d.running() ? d.shownState()
                : d.snapshotRows() > 0 ? "initial copy (" + d.snapshotRows() + " rows)" : "starting"))
                .collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ stopping

    /** A second Ctrl-C: give up on the savepoint, stop the servers and leave at once. */
    private void forceStop() {
        err.println();
        err.println("ferry quickstart: second signal; stopping the servers now, without a savepoint.");
        // the job is about to lose its databases; its complaints would only bury the message above
        try {
            org.apache.logging.log4j.core.config.Configurator.setAllLevels(
                    org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, org.apache.logging.log4j.Level.OFF);
        } catch (RuntimeException | LinkageError e) {
            // another logging backend: live with the noise
        }
        sites.stopQuietly();
        err.println("ferry quickstart: stopped; the servers' data stays in " + display(dir.path())
                + " until the next quickstart there.");
        Runtime.getRuntime().halt(130);
    }

    private void closeQuietly(LocalRunner runner) {
        if (runner == null) {
            return;
        }
        try {
            runner.close();
        } catch (Exception e) {
            err.println("ferry quickstart: stopping Flink: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("\n  caused by: ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** The command line of {@code ferry quickstart}; its options are declared with {@code ferry help}'s. */
    @Command(name = "ferry quickstart", description = {
            "Starts two embedded MariaDB servers (sites sh and us), replicates the vingoo_mc tables both ways",
            "with Ferry, and writes at both sites every second; at the " + CONFLICT_TICK + "th second both sites update the",
            "same order, a conflict that Ferry resolves and records. Ctrl-C stops it cleanly: it waits for the",
            "sites to converge, compares them row by row, and exits 0 only if they are equal."})
    static final class Options extends QuickstartOptions {
        @Mixin
        HelpOption help;

        /** The options {@code args} give; a usage error throws. */
        static Options parse(String... args) {
            Options options = new Options();
            commandLine(options).parseArgs(args);
            return options;
        }
    }
}
