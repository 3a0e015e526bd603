package dev.ferry.bench;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.testing.DatabaseServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/** One Ferry direction source -> target, run in this JVM with {@link LocalRunner}. */
final class FerrySide implements AutoCloseable {
    static final String PASSWORD_VARIABLE = "BENCH_PW";

    private final ChannelConfig config;
    private final DirectionConfig direction;
    private final DatabaseServer target;
    private LocalRunner runner;
    private Connection targetConn;
    private PreparedStatement appliedQuery;

    /** @param parallelism 0 for transactional apply, else parallel apply over this many writers */
    FerrySide(String channel, DatabaseServer source, DatabaseServer target, Path stateDir, String checkpointInterval,
            int batchSize, int parallelism) {
        this(channel, List.of(new Site("sh", source.jdbcUrl(), null), new Site("us", target.jdbcUrl(), null)),
                "sh", "us", false, target, stateDir, checkpointInterval, batchSize, parallelism);
    }

    /**
     * One direction {@code from -> to} of a channel over {@code sites} (in this order: the first is the home site),
     * every site with the target's admin account. With {@code bothWays} the file lists the reverse direction too,
     * which another runner runs (one data centre each, as docs/two-way.md, "Two data centres", places them).
     */
    FerrySide(String channel, List<Site> sites, String from, String to, boolean bothWays, DatabaseServer target,
            Path stateDir, String checkpointInterval, int batchSize, int parallelism) {
        this.target = target;
        StringBuilder yaml = new StringBuilder("channel: " + channel + "\nsites:\n");
        for (Site site : sites) {
            yaml.append("  ").append(site.name()).append(": { url: \"").append(site.url()).append("\", user: ")
                    .append(target.adminUser()).append(", password: \"${env:").append(PASSWORD_VARIABLE).append("}\"")
                    .append(site.serverIds() == null ? "" : ", server-id: \"" + site.serverIds() + "\"")
                    .append(" }\n");
        }
        yaml.append("directions:\n"
                + "  - { from: ").append(from).append(", to: ").append(to).append(", startup: latest }\n");
        if (bothWays) {
            yaml.append("  - { from: ").append(to).append(", to: ").append(from).append(", startup: latest }\n");
        }
        yaml.append("tables:\n"
                + "  include: ['" + Workload.DATABASE + "\\..*']\n"
                + "state-dir: " + stateDir.toAbsolutePath() + "\n"
                + "checkpoint-interval: " + checkpointInterval + "\n"
                + "apply: { " + (parallelism == 0 ? "mode: transactional" : "mode: parallel, parallelism: " + parallelism)
                + ", batch-size: " + batchSize + " }\n");
        String password = target.adminPassword();
        this.config = ChannelConfig.parse(yaml.toString(), "bench-" + channel + ".yaml",
                name -> PASSWORD_VARIABLE.equals(name) ? password : System.getenv(name));
        this.direction = config.directions().get(0);
    }

    /** A site of the channel file: its JDBC URL as this JVM reaches it, and its server-id range (null: derived). */
    record Site(String name, String url, String serverIds) {}

    ChannelConfig config() {
        return config;
    }

    /** Reads this side's direction's {@code lagMs} once a second from its runner, as {@code ferry status} does. */
    LagMetricSampler lagMetric() throws Exception {
        return new LagMetricSampler(config, direction.name(), runner.dashboardUrl());
    }

    /**
     * A new LocalRunner of this side's one direction on the state dir: preflight, cluster start, submit (resumes from
     * the newest savepoint).
     */
    void start() throws Exception {
        if (runner != null) {
            throw new IllegalStateException("already running");
        }
        runner = new LocalRunner(config, List.of(direction), 0, LocalRunner.DEFAULT_BIND_ADDRESS,
                message -> System.err.println("ferry: " + message));
        try {
            runner.start();
        } catch (Exception | Error e) {
            LocalRunner r = runner;
            runner = null;
            r.close();
            throw e;
        }
    }

    void stopWithSavepoint() throws Exception {
        runner.stopWithSavepoint();
    }

    /** Closes the runner (cancels jobs still running). */
    void stop() throws Exception {
        if (runner != null) {
            LocalRunner r = runner;
            runner = null;
            r.close();
        }
    }

    /** Prints new job failures (LocalRunner's plain-words explanation) and says whether the job is running. */
    JobStatus watch() throws Exception {
        runner.watch();
        JobStatus status = null;
        for (Map.Entry<DirectionConfig, JobID> job : runner.jobs().entrySet()) {
            status = runner.cluster().getJobStatus(job.getValue()).get();
        }
        return status;
    }

    /** Sum of row_count over this direction's commit markers at the target: every row Ferry applied. */
    long appliedRows() throws SQLException {
        if (appliedQuery == null) {
            targetConn = target.connect();
            appliedQuery = targetConn.prepareStatement("SELECT COALESCE(SUM(row_count), 0) FROM ferry.ferry_commit"
                    + " WHERE channel = ? AND direction = ?");
            appliedQuery.setString(1, config.channel());
            appliedQuery.setString(2, direction.name());
        }
        try (ResultSet rs = appliedQuery.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            if (targetConn != null) {
                targetConn.close();
            }
        }
    }
}
