package dev.ferry.cli;

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
                default:
                    System.err.println("ferry: unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
            }
        } catch (ChannelConfigException | FerryException e) {
            System.err.println("ferry: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("ferry: " + e);
            e.printStackTrace();
            return 1;
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
