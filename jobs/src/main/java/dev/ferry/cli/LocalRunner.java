package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.DirectionJob;
import dev.ferry.job.FailureMessages;
import dev.ferry.job.FerryJob;
import dev.ferry.job.Preflight;
import dev.ferry.job.RestorePoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Runs the directions of a channel (all of them, or those named) in this JVM, on a local Flink cluster with its web dashboard.
 * Each direction is its own Flink job, resumed from its newest savepoint or retained checkpoint.
 */
public final class LocalRunner implements AutoCloseable {
    private final ChannelConfig config;
    private final List<DirectionConfig> directions;
    private final int restPort;
    private final String bindAddress;
    private final Map<DirectionConfig, JobID> jobs = new LinkedHashMap<>();
    private final Map<JobID, String> reportedFailures = new LinkedHashMap<>();
    private final Consumer<String> problems;
    private MiniCluster cluster;

    /** Where every listener binds unless told otherwise: this machine only. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    public LocalRunner(ChannelConfig config, int restPort) {
        this(config, restPort, DEFAULT_BIND_ADDRESS, message -> System.err.println("ferry: " + message));
    }

    /** @param problems receives each failure of a direction, explained for a person */
    public LocalRunner(ChannelConfig config, int restPort, Consumer<String> problems) {
        this(config, restPort, DEFAULT_BIND_ADDRESS, problems);
    }

    /** @param bindAddress the address every listener (REST, RPC, BLOB server) binds to */
    public LocalRunner(ChannelConfig config, int restPort, String bindAddress, Consumer<String> problems) {
        this(config, config.directions(), restPort, bindAddress, problems);
    }

    /**
     * Runs only {@code directions} of the channel, e.g. the one whose target is in this data centre. Each job is
     * built from the whole channel, so a direction of a two-way channel keeps its conflict arbitration while its
     * reverse runs elsewhere (docs/two-way.md, "Two data centres").
     */
    public LocalRunner(ChannelConfig config, List<DirectionConfig> directions, int restPort, String bindAddress,
            Consumer<String> problems) {
        this.config = config;
        this.directions = List.copyOf(directions);
        this.restPort = restPort;
        this.bindAddress = bindAddress;
        this.problems = problems;
    }

    /** Checks every direction it runs, starts the cluster and submits their jobs. */
    public void start() throws Exception {
        for (DirectionConfig d : directions) {
            Preflight.check(config, d, RestorePoint.latest(config.stateDir(), d.name()).isPresent());
        }
        int slots = 0;
        for (DirectionConfig d : directions) {
            slots += Math.max(1, config.apply().parallelism());
        }
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfiguration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        for (DirectionConfig d : directions) {
            Optional<Path> restore = RestorePoint.latest(config.stateDir(), d.name());
            JobGraph graph = jobGraph(d, restore);
            jobs.put(d, cluster.submitJob(graph).get().getJobID());
            System.out.println("ferry: " + d.name() + (restore.isPresent()
                    ? " resumes from " + restore.get() : " starts (" + d.startup().yamlName() + ")"));
        }
        RunAddress.record(config.stateDir(), dashboardUrl());
        System.out.println("ferry: dashboard at " + dashboardUrl());
        System.out.println("ferry: state in " + config.stateDir().toAbsolutePath());
    }

    public String dashboardUrl() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    public Map<DirectionConfig, JobID> jobs() {
        return jobs;
    }

    public MiniCluster cluster() {
        return cluster;
    }

    private Configuration clusterConfiguration() {
        Configuration c = new Configuration();
        // every listener on this machine only by default: the JVM holds the sites' passwords, and Flink's REST API
        // and BLOB server authenticate nobody. No jar upload or run through REST, and no cancel from the dashboard.
        c.set(RestOptions.BIND_ADDRESS, bindAddress);
        c.set(RestOptions.ADDRESS, bindAddress);
        c.set(JobManagerOptions.BIND_HOST, bindAddress);
        c.set(JobManagerOptions.ADDRESS, bindAddress);
        c.set(TaskManagerOptions.BIND_HOST, bindAddress);
        c.set(TaskManagerOptions.HOST, bindAddress);
        c.set(WebOptions.SUBMIT_ENABLE, false);
        c.set(WebOptions.CANCEL_ENABLE, false);
        c.set(RestOptions.BIND_PORT, restPort == 0 ? "0" : restPort + "-" + (restPort + 20));
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        // at most 10 s: a site back after an outage (a cut link) is met again soon (flink-conf/config.yaml)
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(10));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        // the dashboard (and REST) show metrics at most this old; Flink's default is 10 s
        c.setString("metrics.fetcher.update-interval", "1 s");
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, org.apache.flink.configuration.MemorySize.parse("256m"));
        return c;
    }

    private JobGraph jobGraph(DirectionConfig d, Optional<Path> restore) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        DirectionJob.build(env, config, d);
        env.getCheckpointConfig().setCheckpointStorage(
                RestorePoint.checkpointDir(config.stateDir(), d.name()).toAbsolutePath().toUri().toString());
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(FerryJob.jobName(config, d));
        restore.ifPresent(p -> streamGraph.setSavepointRestoreSettings(
                SavepointRestoreSettings.forPath(p.toAbsolutePath().toString(), false)));
        return streamGraph.getJobGraph();
    }

    /**
     * Prints new failures in plain words; stops a direction whose failure restarting cannot fix.
     * @return false once no direction is running any more
     */
    public boolean watch() throws Exception {
        boolean anyRunning = false;
        for (Map.Entry<DirectionConfig, JobID> job : jobs.entrySet()) {
            JobStatus status = cluster.getJobStatus(job.getValue()).get();
            if (!status.isGloballyTerminalState()) {
                anyRunning = true;
            }
            String failure = cluster.getArchivedExecutionGraph(job.getValue()).get().getFailureInfo() == null
                    ? null : cluster.getArchivedExecutionGraph(job.getValue()).get().getFailureInfo().getExceptionAsString();
            if (failure != null && !failure.equals(reportedFailures.get(job.getValue()))) {
                reportedFailures.put(job.getValue(), failure);
                String name = job.getKey().name();
                problems.accept(FailureMessages.explain(name, job.getKey().from(), failure)
                        .orElse(name + " failed and restarts: " + FailureMessages.rootCause(failure)
                                + " (the stack trace is in " + System.getProperty("ferry.log", "ferry.log") + ")"));
                if (FailureMessages.isFatal(failure) && !status.isGloballyTerminalState()) {
                    problems.accept("stopping " + name + "; the other directions keep running.");
                    cluster.cancelJob(job.getValue()).get();
                }
            }
        }
        return anyRunning;
    }

    /** Stops every direction with a savepoint, so the next start resumes exactly there. */
    public void stopWithSavepoint() throws Exception {
        for (Map.Entry<DirectionConfig, JobID> job : jobs.entrySet()) {
            if (cluster.getJobStatus(job.getValue()).get() != JobStatus.RUNNING) {
                continue;
            }
            String dir = RestorePoint.savepointDir(config.stateDir(), job.getKey().name()).toAbsolutePath().toString();
            String savepoint = cluster.stopWithSavepoint(job.getValue(), dir, false, SavepointFormatType.CANONICAL)
                    .get(5, TimeUnit.MINUTES);
            System.out.println("ferry: " + job.getKey().name() + " stopped with savepoint " + savepoint);
        }
    }

    @Override
    public void close() throws Exception {
        RunAddress.forget(config.stateDir());
        if (cluster != null) {
            cluster.close();
        }
    }
}
