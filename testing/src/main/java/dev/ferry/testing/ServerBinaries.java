package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the server programs and says why a kind of server cannot be started here. */
final class ServerBinaries {

    /** Root filesystem holding Oracle MySQL; same variable and default as deploy/test-servers/mysql-rootfs.sh. */
    static final String ROOTFS_VARIABLE = "FERRY_MYSQL_ROOTFS";
    static final String DEFAULT_ROOTFS = "/var/tmp/ferry-mysql-rootfs";
    /** mysqld's path inside the root filesystem. */
    static final String MYSQLD_IN_ROOTFS = "/usr/sbin/mysqld";

    private ServerBinaries() {
    }

    static Path mysqlRootfs() {
        String configured = System.getProperty("ferry.mysql.rootfs", System.getenv(ROOTFS_VARIABLE));
        return Path.of(configured == null || configured.isBlank() ? DEFAULT_ROOTFS : configured);
    }

    static Optional<Path> mariadbd() {
        return find("FERRY_MARIADBD", "mariadbd", "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");
    }

    static Optional<Path> mariadbInstallDb() {
        return find("FERRY_MARIADB_INSTALL_DB", "mariadb-install-db", "/usr/bin", "/usr/local/bin", "/usr/scripts");
    }

    /**
     * The directory holding PostgreSQL's {@code postgres} and {@code initdb}: {@code FERRY_POSTGRES_BIN}, else the
     * newest {@code /usr/lib/postgresql/<major>/bin} of Debian's packages.
     */
    static Optional<Path> postgresBin() {
        String configured = System.getenv("FERRY_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            return hasPostgres(dir) ? Optional.of(dir) : Optional.empty();
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (java.util.stream.Stream<Path> dirs = Files.list(versions)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .max(java.util.Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())))
                    .map(d -> d.resolve("bin"))
                    .filter(ServerBinaries::hasPostgres);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasPostgres(Path bin) {
        return Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"));
    }

    /** PostgreSQL refuses to run as root: as root, the test servers run as this OS user. */
    static final String POSTGRES_USER = "postgres";

    static Optional<Path> setpriv() {
        return find("FERRY_SETPRIV", "setpriv", "/usr/bin", "/bin", "/usr/sbin");
    }

    static Optional<Path> chroot() {
        return find("FERRY_CHROOT", "chroot", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    }

    /** Empty if servers of this kind can be started, else a sentence saying what is missing and how to fix it. */
    static Optional<String> unavailableReason(ServerKind kind) {
        switch (kind) {
            case MARIADB:
                if (mariadbd().isEmpty() || mariadbInstallDb().isEmpty()) {
                    return Optional.of("MariaDB is not installed: mariadbd or mariadb-install-db not found in"
                            + " /usr/sbin, /usr/bin or PATH (install it with: apt-get install mariadb-server)");
                }
                return Optional.empty();
            case MYSQL:
                Path mysqld = Path.of(mysqlRootfs() + MYSQLD_IN_ROOTFS);
                if (!Files.isExecutable(mysqld)) {
                    return Optional.of("Oracle MySQL is not installed: " + mysqld + " does not exist; build the root"
                            + " filesystem with deploy/test-servers/mysql-rootfs.sh (as root) or point "
                            + ROOTFS_VARIABLE + " at one");
                }
                if (chroot().isEmpty()) {
                    return Optional.of("Oracle MySQL runs with chroot, and no chroot program was found");
                }
                if (!isRoot()) {
                    return Optional.of("Oracle MySQL runs with chroot, which needs root, and this JVM runs as uid "
                            + effectiveUid());
                }
                return Optional.empty();
            case MYSQL_8_0:
                return MySql80Distribution.unavailableReason();
            case POSTGRESQL:
                if (postgresBin().isEmpty()) {
                    return Optional.of("PostgreSQL is not installed: no postgres and initdb in"
                            + " /usr/lib/postgresql/<version>/bin (install it with: apt-get install postgresql,"
                            + " or point FERRY_POSTGRES_BIN at the directory holding them)");
                }
                if (isRoot() && !osUserExists(POSTGRES_USER)) {
                    return Optional.of("PostgreSQL refuses to run as root, this JVM runs as root, and there is no '"
                            + POSTGRES_USER + "' OS user to run it as (apt-get install postgresql creates it)");
                }
                if (isRoot() && setpriv().isEmpty()) {
                    return Optional.of("PostgreSQL refuses to run as root, and setpriv, which the tests use to run it"
                            + " as the '" + POSTGRES_USER + "' user, was not found (install it with: apt-get install"
                            + " util-linux)");
                }
                return Optional.empty();
            case ORACLE:
                return Optional.of("Oracle cannot run without Docker here; run with -Pcontainers on a machine with"
                        + " Docker (see testing/CONTAINERS.md)");
            default:
                throw new IllegalArgumentException("unknown server kind " + kind);
        }
    }

    /** Whether /etc/passwd has the user (Debian's postgresql package creates 'postgres' there). */
    static boolean osUserExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isRoot() {
        return effectiveUid() == 0;
    }

    /** The effective uid, read from /proc/self/status; -1 if unknown. */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return Long.parseLong(ids[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    private static Optional<Path> find(String variable, String program, String... directories) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<String> candidates = new ArrayList<>(List.of(directories));
        String path = System.getenv("PATH");
        if (path != null) {
            candidates.addAll(List.of(path.split(":")));
        }
        for (String dir : candidates) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
