package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server process with its own data directory and port, started for tests. It listens on
 * 127.0.0.1 only, with its unix socket in its own directory; every connection needs a password (SCRAM), and
 * the superuser {@link #adminUser()} owns the default database {@link #DEFAULT_DATABASE}. Durability is off
 * (fsync, full_page_writes, synchronous_commit): these servers are thrown away, and a {@link #kill()} may lose
 * the last commits; a clean {@link #stop()} keeps them.
 *
 * <p>The server's time zone ({@code timezone}, {@code log_timezone}) is the site's, but the JDBC driver sets
 * every session's TimeZone to the JVM's, so JDBC sessions see the JVM's zone unless they SET another.
 *
 * <p>PostgreSQL refuses to run as root; when this JVM runs as root, initdb and postgres run as the
 * {@code postgres} OS user (through setpriv, which execs, so the process this class holds is postgres itself).
 * A shutdown hook and a watchdog ({@link ServerReaper}) kill it when the JVM ends; {@link #close()} kills it
 * and deletes its files.
 */
public final class PostgresServer extends LocalServer {

    /** The database created on every server, which {@link #jdbcUrl()} and {@link #connect()} use. */
    public static final String DEFAULT_DATABASE = "ferry_test";

    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final NumberedNames DATABASES = new NumberedNames("database", IDENTIFIER);

    private final String database;
    private final String timeZone;
    /** {@code <base>/<jvm pid>-postgresql-<name>}: data/, socket/, the logs and process.pid. */
    private final Path dir;
    private final Path bin;
    /** The OS user the server runs as when this JVM is root; null when it runs as this JVM's user. */
    private final String runAs;

    private PostgresServer(String name, String timeZone, String database) throws IOException {
        super(ServerKind.POSTGRESQL, name);
        this.database = database;
        this.timeZone = timeZone;
        this.bin = ServerBinaries.postgresBin().orElseThrow();
        this.runAs = ServerBinaries.isRoot() ? ServerBinaries.POSTGRES_USER : null;
        this.dir = ServerProcesses.createHostDir(ServerKind.POSTGRESQL, name);
        Files.createDirectories(dir.resolve("socket"));
        giveToServerUser(dir);
        giveToServerUser(dir.resolve("socket"));
    }

    /** {@link #start(String, String, String)} with the database {@link #DEFAULT_DATABASE}. */
    public static PostgresServer start(String name, String timeZone) {
        return start(name, timeZone, DEFAULT_DATABASE);
    }

    /**
     * Creates a new data directory and starts a server in it on a free port, then creates {@code database}.
     *
     * @param name     short name used in directory names and messages, e.g. "sh"
     * @param timeZone the server's time zone: an offset such as {@code +08:00} (as {@link TestServers#siteTimeZone}
     *                 gives) or a zone name such as {@code Asia/Shanghai}
     * @throws IllegalStateException if PostgreSQL is not installed here or does not start; the message holds the
     *                               end of the server's log
     */
    public static PostgresServer start(String name, String timeZone, String database) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("server name '" + name + "' must match " + NAME.pattern());
        }
        if (database == null || !IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database name '" + database + "' must match " + IDENTIFIER.pattern());
        }
        Objects.requireNonNull(timeZone, "timeZone");
        ServerBinaries.unavailableReason(ServerKind.POSTGRESQL).ifPresent(reason -> {
            throw new IllegalStateException("cannot start PostgreSQL server '" + name + "': " + reason);
        });
        PostgresServer server;
        try {
            ServerReaper.install();
            server = new PostgresServer(name, timeZone, database);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories for PostgreSQL server '" + name + "'", e);
        }
        server.registerAndStart();
        return server;
    }

    /** PostgreSQL has no server_id. */
    @Override
    public int serverId() {
        throw new UnsupportedOperationException(this + ": PostgreSQL has no server_id");
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    @Override
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /** The default database's name. */
    public String database() {
        return database;
    }

    /** The data directory (PGDATA). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    /** Where the server writes its log (stdout and stderr). */
    public Path log() {
        return dir.resolve("postgres.log");
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return open(database, 10, 0);
    }

    /** {@code SHOW server_version}, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
    @Override
    public String version() {
        return Jdbc.value(this, "SHOW server_version");
    }

    /** Creates a database named prefix + "_" + a number not used before, owned by the admin; returns the name. */
    @Override
    public String createDatabase(String prefix) {
        return DATABASES.create(this, prefix, db -> "CREATE DATABASE \"" + db + "\"",
                e -> DUPLICATE_DATABASE.equals(e.getSQLState()));
    }

    /**
     * Shuts the server down cleanly with SIGINT ("fast" shutdown: open sessions are ended, where SIGTERM would
     * wait for them), then waits for it to exit; SIGKILL after {@code ferry.testing.stopTimeoutSeconds}.
     */
    @Override
    public synchronized void stop() {
        ServerProcesses.stop(this, process, PostgresServer::interrupt);
    }

    /** Kills the server and its backends with SIGKILL, as in a crash, and waits for them to be gone. */
    @Override
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        // the backends too: a restart finds the shared memory still in use while one of them lives
        List<ProcessHandle> backends = p.toHandle().descendants().toList();
        ServerProcesses.kill(this, p);
        backends.forEach(ProcessHandle::destroyForcibly);
        Await.until(() -> backends.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(30),
                "the backends of " + this + " to exit after SIGKILL");
    }

    // ---------------------------------------------------------------------------------------------------------
    // process control

    @Override
    void initializeAndStart() {
        port = ServerProcesses.freePort();
        long t0 = System.nanoTime();
        initialize();
        long initMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        launchRetryingPorts();
        try (Connection c = open("postgres", 10, 60)) {
            c.createStatement().execute("CREATE DATABASE \"" + database + "\"");
        } catch (SQLException e) {
            throw Jdbc.failure(this, "CREATE DATABASE \"" + database + "\"", e);
        }
        LOG.log(Level.INFO, "{0} started: PostgreSQL {1}, time zone {2}, data directory created in {3} ms", this,
                version(), timeZone, initMillis);
    }

    /** initdb with the admin as superuser; its password goes through a file, never the command line. */
    private void initialize() {
        Path passwordFile = dir.resolve("admin.pw");
        try {
            Files.writeString(passwordFile, adminPassword() + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            giveToServerUser(passwordFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the password file of " + this, e);
        }
        List<String> command = asServerUser(bin.resolve("initdb").toString(),
                "--pgdata=" + dataDir(), "--username=" + adminUser(), "--pwfile=" + passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions");
        Path initLog = dir.resolve("init.log");
        try {
            ServerProcesses.runToCompletion("creating the data directory of " + this, command, initLog, dir,
                    p -> initProcess = p, () -> ServerProcesses.tailSection(initLog, 0, 30));
        } finally {
            deleteQuietly(passwordFile);
        }
    }

    /** Starts postgres and waits until the admin can connect. Caller holds the lock. */
    @Override
    void launch() {
        List<String> command = asServerUser(bin.resolve("postgres").toString(), "-D", dataDir().toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dir.resolve("socket"),
                "-c", "max_connections=100",
                "-c", "shared_buffers=32MB",
                // the JDBC driver sets each session's TimeZone to the JVM's; log_timezone shows the server's
                "-c", "timezone=" + TimeZones.posix(timeZone),
                "-c", "log_timezone=" + TimeZones.posix(timeZone),
                // test servers: trade durability for speed
                "-c", "fsync=off",
                "-c", "full_page_writes=off",
                "-c", "synchronous_commit=off");
        Path log = log();
        long logOffset = ServerProcesses.size(log);
        long t0 = System.nanoTime();
        Process p = ServerProcesses.start(command, log, dir);
        launched(p, dir);
        ServerProcesses.awaitConnectable(this, p, command, t0, () -> open("postgres", 2, 10),
                () -> ServerProcesses.tailSection(log, logOffset, 40));
        LOG.log(Level.DEBUG, "{0} ready in {1} ms", this, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** The command, run as the server's OS user when this JVM is root (setpriv execs: no extra process). */
    private List<String> asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of(ServerBinaries.setpriv().orElseThrow().toString(), "--reuid=" + runAs,
                    "--regid=" + runAs, "--init-groups", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    /** As root, hands a file or directory to the server's OS user, who must own its data directory. */
    private void giveToServerUser(Path path) throws IOException {
        if (runAs == null) {
            return;
        }
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group = users.lookupPrincipalByGroupName(runAs);
        Files.setOwner(path, users.lookupPrincipalByName(runAs));
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
    }

    /** SIGINT: PostgreSQL's fast shutdown. Process.destroy() can only send SIGTERM. */
    private static void interrupt(Process p) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!ServerProcesses.awaitExit(kill, Duration.ofSeconds(10)) || kill.exitValue() != 0) {
                p.destroy(); // the process may have exited already; SIGTERM is the fallback
            }
        } catch (IOException e) {
            p.destroy();
        }
    }

    private Connection open(String db, int connectTimeoutSeconds, int socketTimeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", adminUser());
        props.setProperty("password", adminPassword());
        props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        return DriverManager.getConnection(jdbcUrl(db == null ? database : db), props);
    }

    private String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    @Override
    void deleteFiles() {
        if (ServerProcesses.KEEP_FILES) {
            LOG.log(Level.INFO, "keeping the files of {0}: {1}", this, dir);
            return;
        }
        ServerReaper.deleteQuietly(dir);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete {0}: {1}", file, e.getMessage());
        }
    }
}
