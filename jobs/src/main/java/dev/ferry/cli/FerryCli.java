package dev.ferry.cli;

import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelPrepare;
import java.io.IOException;
import dev.ferry.verify.ChannelVerify;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.ChannelConfigException;
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
            "  prepare --config <channel.yaml>",
            "      Creates Ferry's system tables at every site (safe to run again) and prints the",
            "      grants Ferry's user needs there.",
            "  status --config <channel.yaml> [--flink <url>]",
            "      Each direction as the Flink cluster reports it: job state, initial copy or",
            "      streaming, lag, rows/s, conflicts, held tables, the last checkpoint. Default URL:",
            "      http://127.0.0.1:8081 (where 'ferry run' serves). Exits 1 unless all run.",
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
            "  run --config <channel.yaml> [--port <rest port>]",
            "      Runs every direction of the channel in this process, with the Flink dashboard on",
            "      127.0.0.1 (default port 8081). Ctrl-C or SIGTERM stops with a savepoint; running",
            "      again resumes exactly there (after kill -9: from the last checkpoint).",
            "  help  Shows this text.");

    private FerryCli() {}

    public static void main(String[] args) {
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
                    return prepareCommand(args);
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
            if ((args[i].equals("--config")) && i + 1 < args.length) {
                config = args[++i];
            } else if (options.containsKey(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return null;
            } else {
                throw new UsageException("ferry " + args[0] + ": unknown option '" + args[i] + "'");
            }
        }
        if (config == null) {
            throw new UsageException("ferry " + args[0] + ": --config <channel.yaml> is required");
        }
        return ChannelConfig.load(Path.of(config));
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
        Map<String, String> options = new HashMap<>(Map.of("--flink", "http://127.0.0.1:8081"));
        ChannelConfig config = configAnd(args, options);
        if (config == null) {
            return 0;
        }
        FlinkRestClient rest = new FlinkRestClient(options.get("--flink"));
        List<ChannelStatus.Direction> directions;
        try {
            directions = ChannelStatus.read(config, rest);
        } catch (IOException e) {
            throw new FerryException("Cannot read the Flink cluster at " + rest.baseUrl() + ": " + e.getMessage()
                    + ". Fix: start the channel ('ferry run --config ...') or give the cluster's REST address with"
                    + " --flink.", e);
        }
        Reports.status(directions, rest.baseUrl(), System.out);
        return directions.stream().allMatch(ChannelStatus.Direction::running) ? 0 : 1;
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
                : Duration.ofSeconds(Long.parseLong(options.get("--settle")));
        ChannelVerify.Options how = new ChannelVerify.Options(repair ? options.get("--from") : null,
                Integer.parseInt(options.get("--chunk-size")), settle);
        List<ChannelVerify.TableResult> results = ChannelVerify.run(config, how, System.err);
        Reports.verified(results, System.out);
        return results.stream().allMatch(r -> r.differingKeys().isEmpty()) ? 0 : 1;
    }

    private static int prepareCommand(String[] args) {
        ChannelConfig config = configOnly(args);
        if (config == null) {
            return 0;
        }
        List<ChannelPrepare.Site> sites = ChannelPrepare.run(config);
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
        String config = null;
        int port = 8081;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    System.err.println("ferry run: unknown option '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        if (config == null) {
            System.err.println("ferry run: --config <channel.yaml> is required");
            return 2;
        }
        ChannelConfig channel = ChannelConfig.load(Path.of(config));
        CountDownLatch stop = new CountDownLatch(1);
        // handle the signals ourselves: a JVM shutdown would tear Flink down before the savepoint
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        try (LocalRunner runner = new LocalRunner(channel, port)) {
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
