package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real MariaDB or Oracle MySQL server process with its own data directory, port and server_id, started for
 * tests. Every server binds 127.0.0.1 (unless {@link Placement placed} elsewhere), writes a ROW/FULL binary log and uses utf8mb4; MySQL also has GTIDs on
 * (MySQL 8.0 and 9.x with the same settings).
 * The admin account {@link #adminUser()} has all privileges with grant option from any host.
 *
 * <p>MariaDB runs from the host's packages. MySQL runs with chroot from the root filesystem built by
 * deploy/test-servers/mysql-rootfs.sh ({@code FERRY_MYSQL_ROOTFS}); its data directory is inside that root
 * filesystem. MySQL 8.0 runs on the host from the distribution {@link MySql80Distribution} extracts; its data
 * directory is beside MariaDB's. Servers can be started in parallel, from several JVMs; a shutdown hook and a
 * watchdog kill them when the JVM ends. {@link #close()} kills the server and deletes its files.
 */
public final class DatabaseServer extends LocalServer {

    /** The admin account created on every server, with the same password everywhere. */
    public static final String ADMIN_USER = "ferry_admin";
    public static final String ADMIN_PASSWORD = "ferry-admin-pw";

    /** Connector/J options that connect() uses; MySQL's caching_sha2_password without TLS needs the first one. */
    public static final String CONNECTION_OPTIONS = "allowPublicKeyRetrieval=true&sslMode=DISABLED";

    private static final System.Logger LOG = System.getLogger(DatabaseServer.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    /** Options the server's layout depends on; extraMyCnf may not change them. */
    private static final Set<String> RESERVED = Set.of("port", "datadir", "socket", "pid_file", "log_error", "user",
            "basedir", "defaults_file", "bind_address", "tmpdir");
    /** Options mariadb-install-db must be given too, because they are fixed when the data directory is created. */
    private static final Pattern INSTALL_TIME = Pattern.compile("innodb_.*|lower_case_table_names");

    private final int serverId;
    /** {@code <base>/<pid>-<kind>-<name>}: stdout, init log, process.pid; MariaDB's and MySQL 8.0's data too. */
    private final Path hostDir;
    /** The server's own directory as this JVM sees it (MySQL 9.x: inside the root filesystem). */
    private final Path serverDir;
    /** The same directory as the server process sees it (MySQL 9.x: a path inside the chroot). */
    private final String serverDirInside;
    private final Path rootfs;
    /** Normalised name (lower case, '_' for '-') to the option as written: {name, value or null for a flag}. */
    private final Map<String, String[]> options = new LinkedHashMap<>();
    private final Placement placement;

    private volatile long initMillis;
    private volatile long startMillis;

    private DatabaseServer(ServerKind kind, String name, Map<String, String> extraMyCnf, Placement placement)
            throws IOException {
        super(kind, name);
        this.placement = placement;
        this.serverId = ServerIds.next();
        this.rootfs = ServerBinaries.mysqlRootfs();
        this.hostDir = ServerProcesses.createHostDir(kind, name);
        if (kind == ServerKind.MYSQL) {
            serverDirInside = ServerReaper.ROOTFS_PARENT + "/" + ServerReaper.ROOTFS_PREFIX + hostDir.getFileName();
            serverDir = Path.of(rootfs + serverDirInside);
            // recorded before the directory exists, so that a watchdog or a later JVM can always find it
            Files.writeString(hostDir.resolve(ServerReaper.SERVER_DIR_FILE), serverDir.toString());
            ServerReaper.deleteQuietly(serverDir);
            Files.createDirectories(serverDir);
        } else {
            serverDir = hostDir;
            serverDirInside = hostDir.toString();
        }
        Files.createDirectories(serverDir.resolve("tmp"));
        defaultOptions();
        extraMyCnf.forEach(this::option);
    }

    /**
     * Creates a new data directory and starts a server in it, on a free port with a unique server_id.
     *
     * @param name       short name used in directory names and messages, e.g. "sh"
     * @param extraMyCnf further [mysqld] options, e.g. {@code default-time-zone=+08:00}; a null value writes the
     *                   option without a value
     * @throws IllegalStateException if the server programs are missing or the server does not start; the
     *                               message holds the end of the server's error log
     */
    public static DatabaseServer start(ServerKind kind, String name, Map<String, String> extraMyCnf) {
        return start(kind, name, extraMyCnf, Placement.LOOPBACK);
    }

    /**
     * Where a server runs and how it is reached, for a server outside this JVM's network (e.g. in a Linux network
     * namespace, as the WAN lab in bench/ does). Only the server process gets the prefix; creating its data
     * directory needs no network.
     *
     * @param commandPrefix run before the server's command, e.g. {@code [ip, netns, exec, sh]}; it must exec the
     *                      command (not fork it), so that the process this JVM holds is the server itself
     * @param bindAddress   the server's bind-address
     * @param host          where this JVM connects to it
     */
    public record Placement(List<String> commandPrefix, String bindAddress, String host) {
        /** The default: on this machine's loopback. */
        public static final Placement LOOPBACK = new Placement(List.of(), "127.0.0.1", "127.0.0.1");

        public Placement {
            commandPrefix = List.copyOf(commandPrefix);
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(host, "host");
        }
    }

    /** The same, placed as {@code placement} says. */
    public static DatabaseServer start(ServerKind kind, String name, Map<String, String> extraMyCnf,
            Placement placement) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(placement, "placement");
        if (!kind.isMySqlFamily()) {
            throw new IllegalArgumentException("DatabaseServer runs MariaDB and MySQL, not " + kind
                    + "; get one from TestServers.site(" + kind + ", site) instead");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("server name '" + name + "' must match " + NAME.pattern());
        }
        Map<String, String> extra = extraMyCnf == null ? Map.of() : extraMyCnf;
        for (String key : extra.keySet()) {
            if (RESERVED.contains(normalise(key))) {
                throw new IllegalArgumentException("extraMyCnf may not set '" + key + "': the test server manages "
                        + "it (reserved: " + RESERVED + ")");
            }
        }
        ServerBinaries.unavailableReason(kind).ifPresent(reason -> {
            throw new IllegalStateException("cannot start " + kind + " server '" + name + "': " + reason);
        });
        DatabaseServer server;
        try {
            ServerReaper.install();
            server = new DatabaseServer(kind, name, extra, placement);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories for " + kind + " server '" + name + "'", e);
        }
        server.registerAndStart();
        return server;
    }

    public int serverId() {
        return serverId;
    }

    /** {@code jdbc:mysql://<host>:<port>} (host 127.0.0.1 unless placed elsewhere), without database or options. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host() + ":" + port;
    }

    @Override
    public String host() {
        return placement.host();
    }

    /** The data directory as this JVM sees it. */
    public Path dataDir() {
        return serverDir.resolve("data");
    }

    /** The server's error log as this JVM sees it. */
    public Path errorLog() {
        return serverDir.resolve("error.log");
    }

    /** How long creating the data directory took when the server was started, in milliseconds. */
    public long initMillis() {
        return initMillis;
    }

    /** How long the last start took until a connection succeeded, in milliseconds. */
    public long startMillis() {
        return startMillis;
    }

    /** An admin connection in autocommit mode with the given default database (null for none). */
    public Connection connect(String database) throws SQLException {
        return open(database, 10_000, 0);
    }

    /** {@code SELECT VERSION()}. */
    public String version() {
        return MySqlAccess.version(this);
    }

    /** Creates a database named prefix + "_" + a number not used before, and returns the name. */
    public String createDatabase(String prefix) {
        return MySqlAccess.createDatabase(this, prefix);
    }

    /**
     * Shuts the server down cleanly: SIGTERM, then waits for it to exit (SIGKILL after
     * {@code ferry.testing.stopTimeoutSeconds}, default 60). Replication (binlog dump) connections are killed
     * first, because the server would otherwise wait for them. Does nothing if it is not running.
     */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        killReplicationConnections();
        ServerProcesses.stop(this, p);
    }

    /** Kills the server with SIGKILL, as in a crash, and waits for it to be gone. */
    public synchronized void kill() {
        ServerProcesses.kill(this, process);
    }

    // ---------------------------------------------------------------------------------------------------------
    // configuration

    private void defaultOptions() {
        if (ServerBinaries.isRoot()) {
            option("user", "root");
        }
        option("bind-address", placement.bindAddress());
        option("datadir", serverDirInside + "/data");
        option("socket", serverDirInside + "/mysqld.sock");
        option("pid-file", serverDirInside + "/mysqld.pid");
        option("log-error", serverDirInside + "/error.log");
        option("tmpdir", serverDirInside + "/tmp");
        option("skip-name-resolve", null);
        option("server-id", Integer.toString(serverId));
        option("log-bin", "binlog");
        option("binlog-format", "ROW");
        option("binlog-row-image", "FULL");
        option("character-set-server", "utf8mb4");
        option("max-connections", "300");
        option("innodb-buffer-pool-size", "64M");
        // test servers: trade durability for speed
        option("innodb-flush-log-at-trx-commit", "2");
        option("sync-binlog", "0");
        if (kind() == ServerKind.MARIADB) {
            option("collation-server", "utf8mb4_general_ci");
            option("innodb-log-file-size", "64M");
        } else {
            if (kind() == ServerKind.MYSQL_8_0) {
                option("basedir", MySql80Distribution.baseDir().toString());
            }
            option("mysqlx", "OFF");
            option("gtid-mode", "ON");
            option("enforce-gtid-consistency", "ON");
            option("innodb-redo-log-capacity", "64M");
            option("secure-file-priv", serverDirInside + "/files");
        }
    }

    private void option(String key, String value) {
        options.put(normalise(key), new String[] {key, value});
    }

    private static String normalise(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return k.startsWith("loose_") ? k.substring(6) : k;
    }

    private List<String> optionArguments(boolean installTimeOnly) {
        List<String> args = new ArrayList<>();
        options.forEach((normalised, kv) -> {
            if (!installTimeOnly || INSTALL_TIME.matcher(normalised).matches()) {
                args.add(kv[1] == null ? "--" + kv[0] : "--" + kv[0] + "=" + kv[1]);
            }
        });
        return args;
    }

    private void writeMyCnf() throws IOException {
        StringBuilder cnf = new StringBuilder("# written by dev.ferry.testing.DatabaseServer for ").append(this)
                .append("\n[mysqld]\nport=").append(port).append('\n');
        options.values().forEach(kv -> cnf.append(kv[1] == null ? kv[0] : kv[0] + "=" + kv[1]).append('\n'));
        Files.writeString(serverDir.resolve("my.cnf"), cnf.toString());
    }

    private void writeInitSql() throws IOException {
        String account = "'" + ADMIN_USER + "'@'%'";
        String sql = kind() == ServerKind.MARIADB
                // mariadb-install-db runs this in bootstrap mode, where the grant tables are off until flushed
                ? "FLUSH PRIVILEGES;\n"
                        + "CREATE USER " + account + " IDENTIFIED BY '" + ADMIN_PASSWORD + "';\n"
                        + "GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION;\n"
                // keep the binary log and gtid_executed empty, so tests see only their own transactions
                : "SET sql_log_bin = 0;\n"
                        + "CREATE USER " + account + " IDENTIFIED WITH caching_sha2_password BY '" + ADMIN_PASSWORD
                        + "';\n"
                        + "GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION;\n";
        Files.writeString(serverDir.resolve("init.sql"), sql);
    }

    // ---------------------------------------------------------------------------------------------------------
    // process control

    @Override
    void initializeAndStart() {
        port = ServerProcesses.freePort();
        try {
            writeInitSql();
            if (kind().isOracleMySql()) {
                Files.createDirectories(serverDir.resolve("files"));
                // mysqld warns about a secure-file-priv directory that every user can read
                Files.setPosixFilePermissions(serverDir.resolve("files"), PosixFilePermissions.fromString("rwxr-x---"));
                writeMyCnf();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + this, e);
        }
        long t0 = System.nanoTime();
        initialize();
        initMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        launchRetryingPorts();
        LOG.log(Level.INFO, "{0} started: {1}, server_id {2}, data directory created in {3} ms, ready {4} ms later",
                this, version(), serverId, initMillis, startMillis);
    }

    /** Creates the data directory and the admin account. */
    private void initialize() {
        try {
            runInitialize();
        } catch (IllegalStateException first) {
            if (kind() != ServerKind.MARIADB) {
                throw first;
            }
            // rarely, mariadb-install-db fails when several run at once; a second run on a clean directory works
            LOG.log(Level.WARNING, "{0}: creating the data directory failed, trying once more: {1}", this,
                    first.getMessage());
            ServerReaper.deleteQuietly(serverDir.resolve("data"));
            runInitialize();
        }
    }

    private void runInitialize() {
        List<String> command = new ArrayList<>();
        if (kind() == ServerKind.MARIADB) {
            command.add(ServerBinaries.mariadbInstallDb().orElseThrow().toString());
            command.addAll(List.of("--no-defaults", "--auth-root-authentication-method=normal", "--skip-test-db",
                    "--skip-name-resolve"));
            if (ServerBinaries.isRoot()) {
                command.add("--user=root");
            }
            command.add("--datadir=" + serverDirInside + "/data");
            command.add("--tmpdir=" + serverDirInside + "/tmp");
            command.add("--extra-file=" + serverDirInside + "/init.sql");
            command.addAll(optionArguments(true));
        } else {
            command.addAll(mysqld());
            command.addAll(List.of("--initialize-insecure", "--init-file=" + serverDirInside + "/init.sql"));
        }
        Path initLog = hostDir.resolve("init.log");
        ServerProcesses.runToCompletion("creating the data directory of " + this, command, initLog, null,
                p -> initProcess = p, () -> logTails(initLog, 0));
    }

    /** mysqld with its my.cnf: MySQL 9.x through chroot (which execs it), MySQL 8.0 directly. */
    private List<String> mysqld() {
        if (kind() == ServerKind.MYSQL_8_0) {
            return List.of(MySql80Distribution.mysqld().toString(), "--defaults-file=" + serverDirInside + "/my.cnf");
        }
        return List.of(ServerBinaries.chroot().orElseThrow().toString(), rootfs.toString(),
                ServerBinaries.MYSQLD_IN_ROOTFS, "--defaults-file=" + serverDirInside + "/my.cnf");
    }

    /** Starts the server process and waits until an admin connection succeeds. Caller holds the lock. */
    @Override
    void launch() {
        List<String> command = new ArrayList<>(placement.commandPrefix());
        try {
            if (kind() == ServerKind.MARIADB) {
                command.add(ServerBinaries.mariadbd().orElseThrow().toString());
                command.add("--no-defaults");
                command.add("--port=" + port);
                command.addAll(optionArguments(false));
            } else {
                writeMyCnf();
                command.addAll(mysqld()); // MySQL 9.x: chroot execs mysqld, so the process is mysqld itself
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + this, e);
        }
        Path stdout = hostDir.resolve("stdout.log");
        long logOffset = ServerProcesses.size(errorLog());
        long t0 = System.nanoTime();
        Process p = ServerProcesses.start(command, stdout);
        launched(p, hostDir);
        ServerProcesses.awaitConnectable(this, p, command, t0, () -> open(null, 2_000, 10_000),
                () -> logTails(stdout, logOffset));
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private Connection open(String database, int connectTimeoutMillis, int socketTimeoutMillis) throws SQLException {
        return MySqlAccess.open(this, database, connectTimeoutMillis, socketTimeoutMillis);
    }

    /** Binlog dump threads whose client is gone make a shutdown wait ~10 s; kill them first. */
    private void killReplicationConnections() {
        try (Connection c = open(null, 2_000, 5_000); Statement s = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
                while (rs.next()) {
                    String command = rs.getString("Command");
                    if (command != null && command.startsWith("Binlog Dump")) {
                        ids.add(rs.getLong("Id"));
                    }
                }
            }
            for (long id : ids) {
                try {
                    s.execute("KILL " + id);
                } catch (SQLException e) {
                    // it may have ended by itself
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "{0}: could not list connections before stopping: {1}", this, e.getMessage());
        }
    }

    @Override
    void deleteFiles() {
        if (ServerProcesses.KEEP_FILES) {
            LOG.log(Level.INFO, "keeping the files of {0}: {1} {2}", this, hostDir, serverDir);
            return;
        }
        if (!serverDir.equals(hostDir)) {
            ServerReaper.deleteQuietly(serverDir);
        }
        ServerReaper.deleteQuietly(hostDir);
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    /** The end of the error log (from offset) and of the given output file, for exception messages. */
    private String logTails(Path output, long errorLogOffset) {
        return ServerProcesses.tailSection(errorLog(), errorLogOffset, 40) + ServerProcesses.tailSection(output, 0, 20);
    }
}
