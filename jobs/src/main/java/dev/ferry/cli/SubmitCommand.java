package dev.ferry.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ferry submit}: every direction (or one) as a job of a running Flink cluster. */
@Command(name = "submit", description = {
        "Submits every direction (or one) as a job of a running Flink 1.20 cluster, the same",
        "as 'flink run' with jobs/target/ferry-jobs-*-job.jar; --from-savepoint resumes that",
        "direction from a savepoint. The start-up checks run first."})
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Option(names = "--flink", required = true, paramLabel = "<url>",
            description = "REST address of the Flink cluster.")
    URI flink;
    @Option(names = "--direction", paramLabel = "<from->to>", description = "Only this direction (default: all).")
    String direction;
    @Option(names = "--from-savepoint", paramLabel = "<path>",
            description = "Resume the direction from this savepoint (needs --direction).")
    Path savepoint;
    @Option(names = "--jar", paramLabel = "<job jar>",
            description = "The job jar (default: jobs/target/ferry-jobs-*-job.jar under Ferry's home).")
    Path jar;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws Exception {
        List<ClusterSubmit.Submitted> submitted = ClusterSubmit.submit(channel.load(), flink,
                jar != null ? jar : ClusterSubmit.defaultJar(), direction, savepoint);
        submitted.forEach(s -> System.out.println("submitted " + s.direction() + " as job " + s.jobId()));
        return 0;
    }
}
