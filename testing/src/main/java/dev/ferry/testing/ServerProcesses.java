package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** What every locally started server process needs: directories, ports, starting, waiting, stopping, logs. */
final class ServerProcesses {

    static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("ferry.testing.startTimeoutSeconds", 180));
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(Long.getLong("ferry.testing.stopTimeoutSeconds", 60));
    static final boolean KEEP_FILES = Boolean.getBoolean("ferry.testing.keepFiles");

    private static final System.Logger LOG = System.getLogger(ServerProcesses.class.getName());
    private static final File DEV_NULL = new File("/dev/null");
    private static final int PORT_ATTEMPTS = 5;
    private static final Set<Integer> PORTS_HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** Opens a connection with short timeouts, to see whether a server accepts connections yet. */
    @FunctionalInterface
    interface Probe {
        Connection open() throws SQLException;
    }

    private ServerProcesses() {
    }

    /** Starts the command with no input, stdout and stderr appended to {@code output}. */
    static Process start(List<String> command, Path output) {
        return start(command, output, null);
    }

    /** The same, in the working directory {@code directory} (null: this JVM's). */
    static Process start(List<String> command, Path output, Path directory) {
        try {
            return new ProcessBuilder(command)
                    .directory(directory == null ? null : directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /**
     * Runs a command that prepares a server (creates its data directory) and waits for it to succeed.
     *
     * @param what    what the command does, for messages, e.g. "creating the data directory of ..."
     * @param running set to the process while it runs, so that a shutdown hook can kill it
     * @param logs    the end of the logs, for messages
     */
    static void runToCompletion(String what, List<String> command, Path output, Path directory,
            Consumer<Process> running, Supplier<String> logs) {
        Process p = start(command, output, directory);
        running.accept(p);
        try {
            if (!awaitExit(p, START_TIMEOUT)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " took longer than " + START_TIMEOUT + "; command: "
                        + String.join(" ", command) + logs.get());
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + "; command: "
                        + String.join(" ", command) + logs.get());
            }
        } finally {
            running.accept(null);
        }
    }

    /**
     * Polls until {@code probe} connects. Fails if the process exits first ({@link PortTaken} if it could not
     * bind its port) or at {@link #START_TIMEOUT} after {@code t0Nanos}, when it kills the process.
     */
    static void awaitConnectable(Object server, Process p, List<String> command, long t0Nanos, Probe probe,
            Supplier<String> logs) {
        long deadline = t0Nanos + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (true) {
            if (!p.isAlive()) {
                String tails = logs.get();
                String message = server + " exited with code " + p.exitValue() + " while starting; command: "
                        + String.join(" ", command) + tails;
                if (tails.contains("Address already in use")) {
                    throw new PortTaken(message);
                }
                throw new IllegalStateException(message);
            }
            try (Connection c = probe.open()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(30));
                IllegalStateException failure = new IllegalStateException(server + " accepted no connection within "
                        + START_TIMEOUT + "; command: " + String.join(" ", command) + logs.get());
                failure.addSuppressed(last);
                throw failure;
            }
            awaitExit(p, Duration.ofMillis(50)); // poll interval; returns at once if the server exits
        }
    }

    /**
     * Runs {@code launch} until it does not fail with {@link PortTaken}, taking a new port from
     * {@code nextPort} after each such failure (another process took the port after freePort() released it).
     */
    static void launchRetryingPorts(Object server, Runnable launch, IntSupplier nextPort) {
        for (int attempt = 1; ; attempt++) {
            try {
                launch.run();
                return;
            } catch (PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                LOG.log(Level.INFO, "{0}: port taken by another process, trying another one", server);
                nextPort.getAsInt();
            }
        }
    }

    /**
     * SIGTERM, then waits for the exit; SIGKILL after {@link #STOP_TIMEOUT}. Does nothing if it is not running.
     */
    static void stop(Object server, Process p) {
        stop(server, p, Process::destroy);
    }

    /** The same, asking the process to stop with {@code signal} instead of SIGTERM. */
    static void stop(Object server, Process p, Consumer<Process> signal) {
        if (p == null || !p.isAlive()) {
            return;
        }
        long t0 = System.nanoTime();
        signal.accept(p);
        if (!awaitExit(p, STOP_TIMEOUT)) {
            LOG.log(Level.WARNING, "{0} did not stop within {1}; killing it", server, STOP_TIMEOUT);
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(30));
        }
        LOG.log(Level.DEBUG, "{0} stopped in {1} ms", server, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** SIGKILL, as in a crash, and waits for the process to be gone. */
    static void kill(Object server, Process p) {
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        if (!awaitExit(p, Duration.ofSeconds(30))) {
            throw new IllegalStateException(server + " (pid " + p.pid() + ") is still alive 30 s after SIGKILL");
        }
    }

    /** Kills the processes at once and waits a little for each; safe to call from a shutdown hook. */
    static void destroy(Process... processes) {
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : processes) {
            if (p != null) {
                awaitExit(p, Duration.ofSeconds(10));
            }
        }
    }

    static boolean awaitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /** The last lines of the file from byte {@code offset} on, for exception messages. */
    static String tail(Path file, long offset, int lines) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int from = (int) Math.min(Math.max(offset, 0), bytes.length);
            String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
            List<String> all = text.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** "--- last lines of FILE ---" and the tail, for exception messages. */
    static String tailSection(Path file, long offset, int lines) {
        return "\n--- last lines of " + file + " ---\n" + tail(file, offset, lines);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A new registration directory {@code <base>/<jvm pid>-<kind>-<name>[-n]} (see {@link ServerReaper}). */
    static Path createHostDir(ServerKind kind, String name) throws IOException {
        String base = ProcessHandle.current().pid() + "-" + kind.tag() + "-" + name;
        for (int i = 1; ; i++) {
            Path dir = ServerReaper.baseDir().resolve(i == 1 ? base : base + "-" + i);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // a server of the same kind and name already exists in this JVM: take the next suffix
            }
        }
    }

    /** A port nobody listens on now (bound to port 0 and released); never the same twice in this JVM. */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                int port = socket.getLocalPort();
                if (PORTS_HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("cannot find a free port on 127.0.0.1 not handed out before");
    }

    /** The server could not bind its port: another process took it after freePort() released it. */
    static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }
}
