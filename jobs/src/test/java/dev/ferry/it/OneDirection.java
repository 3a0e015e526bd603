package dev.ferry.it;

import static dev.ferry.it.Sites.await;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.DirectionJob;
import dev.ferry.job.FerryJob;
import dev.ferry.job.Preflight;
import dev.ferry.job.RestorePoint;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * Runs the first direction of a channel on the test's MiniCluster as {@code ferry run} would: the
 * start-up checks, then the job, with its checkpoints under the channel's state directory.
 */
final class OneDirection {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("ferry.it.timeout.seconds", 120));

    private OneDirection() {}

    /** One TaskManager with four slots, RocksDB with incremental checkpoints, restarts every 500 ms. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(4)
                .setConfiguration(flinkConfiguration())
                .build());
    }

    static Configuration flinkConfiguration() {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return c;
    }

    static DirectionConfig direction(ChannelConfig config) {
        return config.directions().get(0);
    }

    /** Starts the direction (from a checkpoint or savepoint if given) and waits until it runs. */
    static JobClient start(ChannelConfig config, Path stateDir, Optional<Path> restore) throws Exception {
        DirectionConfig direction = direction(config);
        Preflight.check(config, direction);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DirectionJob.build(env, config, direction);
        env.getCheckpointConfig().setCheckpointStorage(
                RestorePoint.checkpointDir(stateDir, direction.name()).toUri().toString());
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(FerryJob.jobName(config, direction)); // as ferry run names it: ferry status finds it
        restore.ifPresent(p -> graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(p.toString(), false)));
        JobClient client = env.executeAsync(graph);
        await(() -> status(client) == JobStatus.RUNNING, TIMEOUT, "the job to run");
        return client;
    }

    static JobStatus status(JobClient client) {
        try {
            return client.getJobStatus().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cancels the job unless it ended already. */
    static void cancel(JobClient job) throws Exception {
        if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
    }

    /**
     * A one-way channel {@code sh -> <target>} over one database, with the passwords given as environment
     * references, as a user would.
     */
    static ChannelConfig oneWay(String channel, TestDatabase source, String target, String targetUrl,
            String targetUser, String targetPassword, String database, Path stateDir, String applyMode) {
        String yaml = String.join("\n",
                "channel: " + channel,
                "sites:",
                "  sh: { url: \"" + source.jdbcUrl() + "\", user: " + source.adminUser()
                        + ", password: \"${env:FERRY_SOURCE_PASSWORD}\" }",
                "  " + target + ": { url: \"" + targetUrl + "\", user: " + targetUser
                        + ", password: \"${env:FERRY_TARGET_PASSWORD}\" }",
                channelTail("sh", target, "initial", database, stateDir, applyMode));
        return ChannelConfig.parse(yaml, channel + ".yaml", Map.of("FERRY_SOURCE_PASSWORD", source.adminPassword(),
                "FERRY_TARGET_PASSWORD", targetPassword)::get);
    }

    /**
     * Writes a channel file for two MySQL sites {@code sh} and {@code us} into {@code dir}, their passwords in
     * password files next to it, as {@code ferry} commands read it; {@code rest} is everything after
     * {@code sites} (see {@link #channelTail}).
     */
    /** A one-direction sh->us channel file over {@code database}, copied first, named {@code prefix} and the pid. */
    static Path initialChannelFile(Path dir, String prefix, TestDatabase sh, TestDatabase us, String database)
            throws IOException {
        return channelFile(dir, prefix + ProcessHandle.current().pid(), sh, us,
                channelTail("sh", "us", "initial", database, dir.resolve("state"), "transactional"));
    }

    static Path channelFile(Path dir, String channel, TestDatabase sh, TestDatabase us, String rest)
            throws IOException {
        return Files.writeString(dir.resolve(channel + ".yaml"), String.join("\n",
                "channel: " + channel,
                "sites:",
                "  sh: { url: \"" + sh.jdbcUrl() + "\", user: " + sh.adminUser() + ", password-file: "
                        + Files.writeString(dir.resolve("sh.pw"), sh.adminPassword()) + " }",
                "  us: { url: \"" + us.jdbcUrl() + "\", user: " + us.adminUser() + ", password-file: "
                        + Files.writeString(dir.resolve("us.pw"), us.adminPassword()) + " }",
                rest));
    }

    /**
     * The channel file's lines after {@code sites}: one direction, the tables of one database, fast
     * checkpoints.
     */
    static String channelTail(String from, String to, String startup, String database, Path stateDir,
            String applyMode) {
        return String.join("\n",
                "directions:",
                "  - { from: " + from + ", to: " + to + ", startup: " + startup + " }",
                "tables:",
                "  include: ['" + database + "\\..*']",
                "state-dir: " + stateDir,
                "checkpoint-interval: 500ms",
                "apply: { mode: " + applyMode + ", parallelism: 2, batch-size: 500 }",
                "");
    }
}
