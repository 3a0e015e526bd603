package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code ferry run}: every direction of the channel (or those named) in this process, until Ctrl-C or SIGTERM. */
@Command(name = "run", description = {
        "Runs every direction of the channel in this process, with the Flink dashboard on",
        "port 8081 (or the next free one). Every listener binds to 127.0.0.1 unless --bind",
        "names another address (Flink's REST API authenticates nobody: firewall it). Ctrl-C",
        "or SIGTERM stops with a savepoint; running again resumes exactly there (after",
        "kill -9: from the last checkpoint). With --direction it runs only the directions",
        "named: give each data centre the same channel file and run there the direction",
        "whose target it holds; both keep their conflict arbitration."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Option(names = "--port", paramLabel = "<rest port>", converter = WholeNumbers.Port.class,
            description = "First port to try for the Flink dashboard (default: ${DEFAULT-VALUE}; 0: any free one).")
    int port = 8081;
    @Option(names = "--bind", paramLabel = "<address>",
            description = "Address every listener binds to (default: ${DEFAULT-VALUE}).")
    String bind = LocalRunner.DEFAULT_BIND_ADDRESS;
    @Option(names = "--direction", paramLabel = "<from->to>",
            description = "Only this direction (repeat for more; default: every direction of the channel).")
    List<String> directions = new ArrayList<>();
    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws Exception {
        ChannelConfig config = channel.load();
        CountDownLatch stop = new CountDownLatch(1);
        // handle the signals ourselves: a JVM shutdown would tear Flink down before the savepoint
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        List<DirectionConfig> run = directions.isEmpty() ? config.directions()
                : directions.stream().map(config::direction).distinct().toList();
        try (LocalRunner runner = new LocalRunner(config, run, port, bind,
                message -> System.err.println("ferry: " + message))) {
            runner.start();
            while (!stop.await(1, TimeUnit.SECONDS)) {
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
