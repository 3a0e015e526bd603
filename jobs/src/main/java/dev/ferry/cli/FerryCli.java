package dev.ferry.cli;

import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelPrepare;
import java.io.IOException;
import dev.ferry.verify.ChannelVerify;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.ChannelConfigException;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.FerryException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** The {@code ferry} command. */
public final class FerryCli {
    private static final String USAGE = String.join("\n",
            "usage: ferry <command> [options]",
            "",
            "commands:",
            "  check --config <channel.yaml>",
            "      Read-only preflight of every site: connection and version, binlog ON/ROW/FULL,",
            "      server_id and the jobs' replica server ids, privileges, primary keys, time zones,",
            "      Ferry's system tables. Prints the fix for each failure; exits 1 if anything fails.",
            "  grants --config <channel.yaml>",
            "      Prints, per site, the GRANTs Ferry's user needs there, for the account the server",
            "      knows it as. Needs only a login: run it first, then the GRANTs as an admin.",
            "  prepare --config <channel.yaml>",
            "      Creates Ferry's system tables at every site (safe to run again) and prints the",
            "      grants Ferry's user needs there.",
            "  status --config <channel.yaml> [--flink <url>]",
            "      Each direction as the Flink cluster reports it: job state, initial copy or",
            "      streaming, lag, rows/s, conflicts, held tables, the last checkpoint; each held",
            "      table with its reason and fix, read from the target's ferry.ferry_ddl. Without",
            "      --flink it reads the channel's own 'ferry run' (its address is recorded in the",
            "      state directory). Exits 1 unless all run and no table is held.",
            "  submit --config <channel.yaml> --flink <url> [--direction <from->to>]",
            "         [--from-savepoint <path>] [--jar <job jar>]",
            "      Submits every direction (or one) as a job of a running Flink 1.20 cluster, the same",
            "      as 'flink run' with jobs/target/ferry-jobs-*-job.jar; --from-savepoint resumes that",
            "      direction from a savepoint. The start-up checks run first.",
            "  verify --config <channel.yaml> [--repair --from <site>] [--chunk-size <rows>]",
            "         [--settle <seconds>]",
            "      Compares every included table between the sites each direction connects, in",
            "      primary-key chunks (checksums, then row by row inside differing chunks), while",
            "      replication runs: differing rows are checked again after --settle (default: three",
            "      checkpoint intervals plus 2 s). Prints the keys that still differ; exits 1 if any.",
            "      --repair rewrites them from <site> in a Ferry-stamped transaction, which is not",
            "      replicated back.",
            "  run --config <channel.yaml> [--port <rest port>] [--bind <address>]",
            "      Runs every direction of the channel in this process, with the Flink dashboard on",
            "      port 8081 (or the next free one). Every listener binds to 127.0.0.1 unless --bind",
            "      names another address (Flink's REST API authenticates nobody: firewall it). Ctrl-C",
            "      or SIGTERM stops with a savepoint; running again resumes exactly there (after",
            "      kill -9: from the last checkpoint).",
            "  quickstart [--seconds <n>] [--keep] [--dir <path>] [--rest-port <port>]",
            "      A demo without any database install: two embedded MariaDB servers, a two-way",
            "      channel between them, traffic at both sites and a conflict (see the README).",
            "  help  Shows this text.");

    private FerryCli() {}

    public static void main(String[] args) {
        JulToSlf4j.install();
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "run":
                    return runCommand(args);
                case "check":
                    return checkCommand(args);
                case "prepare":
                    return prepareCommand(args, true);
                case "grants":
                    return prepareCommand(args, false);
                case "quickstart":
                    // the demo has its own class path (embedded MariaDB); the ferry script starts it
                    throw new UsageException("ferry quickstart: run it through the 'ferry' script: ./ferry quickstart");
                case "status":
                    return statusCommand(args);
                case "verify":
                    return verifyCommand(args);
                case "submit":
                    return submitCommand(args);
                default:
                    System.err.println("ferry: unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
            }
        } catch (UsageException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (ChannelConfigException | FerryException e) {
            System.err.println("ferry: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("ferry: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    /** The channel file of a command that takes only {@code --config}; null after printing the usage. */
    private static ChannelConfig configOnly(String[] args) {
        return configAnd(args, Map.of());
    }

    /**
     * The channel file of a command; its other options (given with a default value) are put into
     * {@code options}. Null after printing the usage.
     */
    private static ChannelConfig configAnd(String[] args, Map<String, String> options) {
        String config = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return null;
            }
            if (!args[i].equals("--config") && !options.containsKey(args[i])) {
                throw new UsageException("ferry " + args[0] + ": unknown option '" + args[i] + "'");
            }
            if (i + 1 == args.length || args[i + 1].startsWith("--")) {
                throw new UsageException("ferry " + args[0] + ": option " + args[i] + " needs a value");
            }
            if (args[i].equals("--config")) {
                config = args[++i];
            } else {
                options.put(args[i], args[++i]);
            }
        }
        if (config == null) {
            throw new UsageException("ferry " + args[0] + ": --config <channel.yaml> is required");
        }
        return ChannelConfig.load(Path.of(config));
    }

    /** An option's value as a whole number from {@code min} to {@code max}. */
    private static long number(String command, Map<String, String> options, String option, long min, long max) {
        try {
            long n = Long.parseLong(options.get(option));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("ferry " + command + ": " + option + " must be a whole number from " + min + " to "
                + max + ", not '" + options.get(option) + "'");
    }

    private static int checkCommand(String[] args) {
        ChannelConfig config = configOnly(args);
        if (config == null) {
            return 0;
        }
        List<ChannelCheck.Result> results = ChannelCheck.run(config);
        Reports.checks(results, System.out);
        return ChannelCheck.passed(results) ? 0 : 1;
    }

    private static int statusCommand(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>(Map.of("--flink", ""));
        ChannelConfig config = configAnd(args, options);
        if (config == null) {
            return 0;
        }
        FlinkRestClient rest = new FlinkRestClient(options.get("--flink").isEmpty() ? ownRun(config)
                : options.get("--flink"));
        return status(config, rest, System.out);
    }

    /** Prints each direction's status, with its held tables; 0 if all run and no table is held, else 1. */
    static int status(ChannelConfig config, FlinkRestClient rest, java.io.PrintStream out) throws IOException {
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

    private static int submitCommand(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--flink", "", "--direction", "", "--from-savepoint", "",
                "--jar", ClusterSubmit.defaultJar().toString()));
        ChannelConfig config = configAnd(args, options);
        if (config == null) {
            return 0;
        }
        if (options.get("--flink").isEmpty()) {
            throw new UsageException("ferry submit: --flink <REST URL of the cluster> is required");
        }
        List<ClusterSubmit.Submitted> submitted = ClusterSubmit.submit(config, URI.create(options.get("--flink")),
                Path.of(options.get("--jar")), emptyToNull(options.get("--direction")),
                options.get("--from-savepoint").isEmpty() ? null : Path.of(options.get("--from-savepoint")));
        submitted.forEach(s -> System.out.println("submitted " + s.direction() + " as job " + s.jobId()));
        return 0;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static int verifyCommand(String[] args) throws InterruptedException {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean repair = rest.remove("--repair");
        Map<String, String> options = new HashMap<>(Map.of("--from", "", "--chunk-size", "1000", "--settle", ""));
        ChannelConfig config = configAnd(rest.toArray(String[]::new), options);
        if (config == null) {
            return 0;
        }
        if (repair == options.get("--from").isEmpty()) {
            throw new UsageException("ferry verify: --repair and --from <site> go together");
        }
        Duration settle = options.get("--settle").isEmpty()
                ? config.checkpointInterval().multipliedBy(3).plusSeconds(2)
                : Duration.ofSeconds(number("verify", options, "--settle", 0, Long.MAX_VALUE));
        ChannelVerify.Options how = new ChannelVerify.Options(repair ? options.get("--from") : null,
                (int) number("verify", options, "--chunk-size", 1, Integer.MAX_VALUE), settle);
        List<ChannelVerify.TableResult> results = ChannelVerify.run(config, how, System.err);
        Reports.verified(results, System.out);
        return results.stream().allMatch(r -> r.differingKeys().isEmpty()) ? 0 : 1;
    }

    /** {@code prepare}, or with {@code createTables} false {@code grants}. */
    private static int prepareCommand(String[] args, boolean createTables) {
        ChannelConfig config = configOnly(args);
        if (config == null) {
            return 0;
        }
        List<ChannelPrepare.Site> sites = ChannelPrepare.run(config, createTables);
        Reports.prepared(sites, System.out);
        return sites.stream().allMatch(ChannelPrepare.Site::prepared) ? 0 : 1;
    }

    /** A command line that cannot be understood: the message and the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private static int runCommand(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--port", "8081", "--bind", LocalRunner.DEFAULT_BIND_ADDRESS));
        ChannelConfig channel = configAnd(args, options);
        if (channel == null) {
            return 0;
        }
        // Flink tries this port and the next 20
        int port = (int) number("run", options, "--port", 0, 65535 - 20);
        CountDownLatch stop = new CountDownLatch(1);
        // handle the signals ourselves: a JVM shutdown would tear Flink down before the savepoint
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        try (LocalRunner runner = new LocalRunner(channel, port, options.get("--bind"),
                message -> System.err.println("ferry: " + message))) {
            runner.start();
            while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (!runner.watch()) {
                    System.err.println("ferry: no direction is running any more; exiting");
                    return 1;
                }
            }
            System.out.println("ferry: stopping with savepoints...");
            runner.stopWithSavepoint();
        }
        System.out.println("ferry: stopped");
        return 0;
    }
}
