package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes sure no server outlives the JVM that started it.
 *
 * <ul>
 *   <li>A shutdown hook kills every server still open and deletes its directories.</li>
 *   <li>A small watchdog shell process does the same if the JVM dies without running its hooks (SIGKILL).</li>
 *   <li>The first server started in a JVM removes what JVMs that are gone left behind.</li>
 * </ul>
 *
 * Every server has a registration directory {@code <base>/<jvm pid>-<kind>-<name>} holding {@code process.pid}
 * and, when its data lives elsewhere (MySQL inside the chroot), {@code server-dir} with that directory's path.
 */
final class ServerReaper {

    static final String PID_FILE = "process.pid";
    static final String SERVER_DIR_FILE = "server-dir";
    /** Directories inside the MySQL root filesystem: {@code /var/lib/ferry-<jvm pid>-...}. */
    static final String ROOTFS_PARENT = "/var/lib";
    static final String ROOTFS_PREFIX = "ferry-";

    private static final System.Logger LOG = System.getLogger(ServerReaper.class.getName());
    private static final Pattern OWNED = Pattern.compile("(?:" + ROOTFS_PREFIX + ")?(\\d+)-.*");
    /** Open servers, each with how to kill its processes and how to delete its files. */
    private static final Map<Object, Runnable[]> OPEN = new ConcurrentHashMap<>();
    private static boolean installed;

    private ServerReaper() {
    }

    /** Where the registration directories (and MariaDB's data) go: /tmp/ferry-test-servers unless configured. */
    static Path baseDir() {
        String configured = System.getProperty("ferry.testing.dir", System.getenv("FERRY_TEST_SERVERS_DIR"));
        return Path.of(configured == null || configured.isBlank() ? "/tmp/ferry-test-servers" : configured);
    }

    static synchronized void install() throws IOException {
        if (installed) {
            return;
        }
        Files.createDirectories(baseDir());
        removeLeftovers();
        Runtime.getRuntime().addShutdownHook(new Thread(ServerReaper::destroyAll, "ferry-test-servers-shutdown"));
        startWatchdog();
        installed = true;
    }

    /** Until {@link #unregister}, the shutdown hook runs {@code destroyProcesses}, then {@code deleteFiles}. */
    static void register(Object server, Runnable destroyProcesses, Runnable deleteFiles) {
        OPEN.put(server, new Runnable[] {destroyProcesses, deleteFiles});
    }

    static void unregister(Object server) {
        OPEN.remove(server);
    }

    private static void destroyAll() {
        List<Runnable[]> servers = new ArrayList<>(OPEN.values());
        servers.forEach(actions -> actions[0].run()); // all processes first: deleting files takes longer
        servers.forEach(actions -> actions[1].run());
    }

    /**
     * A shell that waits for this JVM to disappear, then kills its servers and deletes their directories. After
     * a normal exit the shutdown hook has already done that and the shell finds nothing.
     */
    private static void startWatchdog() {
        String script = String.join("\n",
                "jvm=$1; base=$2",
                // a zombie counts as gone: its parent may be slow to reap it
                "alive() { case \"$(sed 's/.*) //' /proc/\"$1\"/stat 2>/dev/null | cut -c1)\" in ''|Z|X) return 1;; esac; }",
                "while alive \"$jvm\"; do sleep 1; done",
                "for d in \"$base/$jvm\"-*; do",
                "  [ -d \"$d\" ] || continue",
                "  if [ -s \"$d/" + PID_FILE + "\" ]; then",
                "    p=$(cat \"$d/" + PID_FILE + "\")",
                "    case \"$(cat /proc/\"$p\"/comm 2>/dev/null)\" in mysqld|mariadbd|postgres) kill -9 \"$p\";; esac",
                "  fi",
                "  if [ -s \"$d/" + SERVER_DIR_FILE + "\" ]; then",
                "    s=$(cat \"$d/" + SERVER_DIR_FILE + "\")",
                "    case \"$s\" in */" + ROOTFS_PREFIX + "\"$jvm\"-*) rm -rf \"$s\";; esac",
                "  fi",
                "  rm -rf \"$d\"",
                "done");
        try {
            new ProcessBuilder("/bin/sh", "-c", script, "ferry-test-servers-watchdog",
                    Long.toString(ProcessHandle.current().pid()), baseDir().toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not start the watchdog for test servers; they rely on the shutdown hook", e);
        }
    }

    /** Deletes the directories of JVMs that no longer run, killing their servers first. */
    private static void removeLeftovers() {
        for (Path dir : list(baseDir())) {
            Optional<Long> owner = owner(dir);
            if (owner.isPresent() && !alive(owner.get())) {
                readPid(dir.resolve(PID_FILE)).ifPresent(ServerReaper::killServerProcess);
                readText(dir.resolve(SERVER_DIR_FILE)).map(Path::of).ifPresent(ServerReaper::deleteQuietly);
                deleteQuietly(dir);
                LOG.log(Level.INFO, "removed test server left behind by a JVM that is gone: {0}", dir);
            }
        }
        Path rootfsDirs = Path.of(ServerBinaries.mysqlRootfs() + ROOTFS_PARENT);
        for (Path dir : list(rootfsDirs)) {
            if (!dir.getFileName().toString().startsWith(ROOTFS_PREFIX)) {
                continue;
            }
            Optional<Long> owner = owner(dir);
            if (owner.isPresent() && !alive(owner.get())) {
                readPid(dir.resolve("mysqld.pid")).ifPresent(ServerReaper::killServerProcess);
                deleteQuietly(dir);
                LOG.log(Level.INFO, "removed test server left behind by a JVM that is gone: {0}", dir);
            }
        }
    }

    private static Optional<Long> owner(Path dir) {
        Matcher m = OWNED.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the process exists and is not a zombie (whose parent may be slow to reap it). */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(") ");
            char state = end < 0 || end + 2 >= stat.length() ? '?' : stat.charAt(end + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            if (Files.isDirectory(Path.of("/proc/self"))) {
                return false; // procfs is there and has no such process
            }
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** Kills the process if it is still a database server (a pid may have been reused). */
    private static void killServerProcess(long pid) {
        ProcessHandle.of(pid).filter(ServerReaper::isServerProcess).ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort
            }
        });
    }

    private static boolean isServerProcess(ProcessHandle p) {
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).trim();
            return comm.equals("mysqld") || comm.equals("mariadbd") || comm.equals("postgres");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(result::add);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + dir, e);
        }
        return result;
    }

    static Optional<Long> readPid(Path file) {
        return readText(file).flatMap(s -> {
            try {
                return Optional.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    static Optional<String> readText(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // keep going; reported below if the directory is still there
                }
            });
        } catch (IOException | RuntimeException e) {
            // reported below
        }
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            LOG.log(Level.WARNING, "could not delete {0}", dir);
        }
    }
}
