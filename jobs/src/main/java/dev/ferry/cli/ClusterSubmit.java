package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.DirectionJob;
import dev.ferry.job.FerryException;
import dev.ferry.job.FerryJob;
import dev.ferry.job.Preflight;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * {@code ferry submit}: the directions of a channel as jobs of a running Flink cluster, the same as
 * {@code flink run} with the job jar: the job graph is built here (so the channel file and its password files
 * are read here, and passwords never become program arguments) and sent with the jar to the cluster.
 */
public final class ClusterSubmit {
    /** One submitted direction. */
    public record Submitted(String direction, String jobId) {}

    private ClusterSubmit() {}

    /**
     * @param direction only this direction, or {@code null} for all
     * @param savepoint resume that direction from this savepoint (needs {@code direction}), or {@code null}
     */
    public static List<Submitted> submit(ChannelConfig config, URI flink, Path jar, String direction, Path savepoint)
            throws Exception {
        if (savepoint != null && direction == null) {
            throw new FerryException("--from-savepoint belongs to one direction's job. Fix: add --direction <from->to>.");
        }
        if (!Files.isRegularFile(jar)) {
            throw new FerryException("The job jar " + jar + " does not exist. Fix: build it with 'mvn -DskipTests"
                    + " package', or give its path with --jar.");
        }
        List<DirectionConfig> directions = direction == null ? config.directions() : List.of(config.direction(direction));
        List<Submitted> out = new ArrayList<>();
        Configuration client = new Configuration();
        client.set(RestOptions.ADDRESS, flink.getHost());
        client.set(RestOptions.PORT, flink.getPort());
        try (RestClusterClient<StandaloneClusterId> cluster =
                new RestClusterClient<>(client, StandaloneClusterId.getInstance())) {
            for (DirectionConfig d : directions) {
                Preflight.check(config, d, savepoint != null);
                // the job graph is built here, as 'flink run' builds it, and shipped with the jar
                StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
                DirectionJob.build(env, config, d);
                StreamGraph graph = env.getStreamGraph();
                graph.setJobName(FerryJob.jobName(config, d));
                if (savepoint != null) {
                    graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint.toString(), false));
                }
                JobGraph job = graph.getJobGraph();
                job.addJar(new org.apache.flink.core.fs.Path(jar.toAbsolutePath().toUri()));
                out.add(new Submitted(d.name(), cluster.submitJob(job).get().toString()));
            }
        }
        return out;
    }

    /** {@code jobs/target/ferry-jobs-*-job.jar} under Ferry's home (the {@code ferry} script's directory). */
    static Path defaultJar() throws IOException {
        Path target = Path.of(System.getProperty("ferry.home", ".")).resolve("jobs").resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "ferry-jobs-*-job.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        return target.resolve("ferry-jobs-<version>-job.jar");
    }
}
