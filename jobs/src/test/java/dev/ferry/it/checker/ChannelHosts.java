package dev.ferry.it.checker;

import java.time.Duration;

/**
 * The host the channel runs on now, and the faults that replace it: the whole runner stopped abruptly and started
 * again (in this JVM or as a {@code ferry run} process) from its retained checkpoints, a TaskManager killed, or the
 * {@code ferry run} process killed with SIGKILL and started again.
 */
public final class ChannelHosts implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final ChannelSpec spec;
    private ChannelHost current;
    private int started;
    private final java.util.List<String> earlierProblems = new java.util.ArrayList<>();

    public ChannelHosts(ChannelSpec spec) {
        this.spec = spec;
    }

    /** Starts the channel; {@code process}: as {@code ferry run}, else in this JVM. */
    public synchronized void start(boolean process) throws Exception {
        if (current != null) {
            throw new IllegalStateException("already running on " + current.kind());
        }
        started++;
        current = process
                ? ProcessHost.start(spec, spec.workDir().resolve("ferry-run-" + started + ".log"), START_TIMEOUT)
                : InProcessHost.start(spec.config());
    }

    synchronized ChannelHost current() {
        if (current == null) {
            throw new IllegalStateException("the channel is not running");
        }
        return current;
    }

    /** Stops the runner at once and starts a new one; returns what was done, for the log. */
    public synchronized String restartAbruptly(boolean process) throws Exception {
        String before = current().kind();
        stopCurrent();
        start(process);
        return "runner " + before + " stopped abruptly, " + current.kind() + " resumed from the retained checkpoints";
    }

    /** Kills a TaskManager of the in-process runner, or the ferry run process (and starts it again). */
    public synchronized String killWorker() throws Exception {
        if (current() instanceof InProcessHost inProcess) {
            inProcess.killTaskManager();
            return "taskmanager-kill";
        }
        stopCurrent(); // SIGKILL
        start(true);
        return "process-kill9";
    }

    private void stopCurrent() throws Exception {
        ChannelHost host = current;
        current = null;
        host.crash();
        earlierProblems.addAll(host.problems());
    }

    /** Every failure the directions reported on every host so far, in order. */
    public synchronized java.util.List<String> allProblems() {
        java.util.List<String> all = new java.util.ArrayList<>(earlierProblems);
        if (current != null) {
            all.addAll(current.problems());
        }
        return all;
    }

    @Override
    public synchronized void close() throws Exception {
        if (current != null) {
            stopCurrent();
        }
    }
}
