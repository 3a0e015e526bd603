package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server process of this machine: it listens on 127.0.0.1 on its own port, and the {@link ServerReaper}
 * knows it from start until {@link #close()}, which kills it and deletes its files. Subclasses say how to
 * create its data directory and launch it.
 */
abstract class LocalServer extends AbstractTestDatabase {

    volatile int port;
    volatile Process process;
    /** The process creating the data directory while it runs, so that close() and the reaper can kill it. */
    volatile Process initProcess;

    LocalServer(ServerKind kind, String name) {
        super(kind, name);
    }

    /** Creates the data directory and launches the server on a free port. */
    abstract void initializeAndStart();

    /** Starts the server process and waits until the admin can connect. Caller holds the lock. */
    abstract void launch();

    /** Deletes the server's directories, unless ferry.testing.keepFiles asks to keep them. */
    abstract void deleteFiles();

    /**
     * Registers with the reaper, then starts; if starting fails, kills what runs and deletes the files, so that a
     * failed start leaves nothing behind.
     */
    final void registerAndStart() {
        ServerReaper.register(this, this::destroyProcesses, this::deleteFiles);
        try {
            initializeAndStart();
        } catch (RuntimeException | Error e) {
            destroyProcesses();
            deleteFiles();
            ServerReaper.unregister(this);
            throw e;
        }
    }

    /** {@link #launch()} on {@link #port}, on a new free port each time another process took it first. */
    final void launchRetryingPorts() {
        ServerProcesses.launchRetryingPorts(this, () -> {
            synchronized (this) {
                launch();
            }
        }, () -> port = ServerProcesses.freePort());
    }

    /** Holds the started process and writes its pid to {@code dir}, where a later JVM's reaper finds it. */
    final void launched(Process p, Path dir) {
        process = p;
        try {
            Files.writeString(dir.resolve(ServerReaper.PID_FILE), Long.toString(p.pid()));
        } catch (IOException e) {
            p.destroyForcibly();
            throw new UncheckedIOException("cannot write the pid file of " + this, e);
        }
    }

    /** 127.0.0.1: the server listens nowhere else, unless a subclass places it elsewhere. */
    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** Starts the server again on the same port and data directory; stops it first if it is running. */
    @Override
    public synchronized void restart() {
        ensureOpen();
        stop();
        try {
            launch();
        } catch (ServerProcesses.PortTaken e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Kills the server (its data is deleted, so a clean shutdown would only cost time) and deletes its files. */
    @Override
    void release() {
        destroyProcesses();
        deleteFiles();
        ServerReaper.unregister(this);
    }

    /** Kills the server and a running initialisation at once; safe to call from a shutdown hook. */
    final void destroyProcesses() {
        ServerProcesses.destroy(initProcess, process);
    }

    @Override
    public String toString() {
        return kind() + " server '" + name() + "' at 127.0.0.1:" + port;
    }
}
