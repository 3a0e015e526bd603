package dev.ferry.it.checker;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The channel in this JVM, through {@code ferry run}'s runner, watched every second as {@code ferry run} watches it
 * (so a fatal failure stops its direction here too).
 */
final class InProcessHost implements ChannelHost {
    private final LocalRunner runner;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Thread watcher;
    private volatile boolean closed;
    private int taskManagersKilled;

    private InProcessHost(ChannelConfig config) {
        runner = new LocalRunner(config, 0, problems::add);
        watcher = new Thread(this::watch, "checker runner watch");
        watcher.setDaemon(true);
    }

    static InProcessHost start(ChannelConfig config) throws Exception {
        InProcessHost host = new InProcessHost(config);
        try {
            host.runner.start();
        } catch (Exception e) {
            host.crash();
            throw e;
        }
        host.watcher.start();
        return host;
    }

    private void watch() {
        while (!closed) {
            try {
                runner.watch();
            } catch (Exception e) {
                // a job being restarted or the cluster closing: look again next time
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** Kills the TaskManager (its replacement is appended to the cluster's list) and starts a new one. */
    void killTaskManager() throws Exception {
        runner.cluster().terminateTaskManager(taskManagersKilled++).get();
        runner.cluster().startTaskManager();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public String restUrl() throws Exception {
        return runner.dashboardUrl();
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void crash() throws Exception {
        closed = true;
        runner.close();
    }
}
