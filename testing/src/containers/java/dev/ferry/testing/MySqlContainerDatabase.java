package dev.ferry.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Oracle MySQL in a container ({@code mysql:8.0} or {@code mysql:8.4}, chosen with
 * {@value #IMAGE_PROPERTY}), configured as {@link DatabaseServer} configures a local MySQL: ROW/FULL binary log,
 * GTIDs on, utf8mb4, a unique server_id, the site's time zone and the same admin account.
 */
final class MySqlContainerDatabase extends ContainerDatabase {

    static final String IMAGE_PROPERTY = "ferry.test.mysql.image";
    static final String DEFAULT_IMAGE = "mysql:8.4";
    private static final int MYSQL_PORT = 3306;

    private final int serverId;

    private MySqlContainerDatabase(String name, MySQLContainer container, int serverId) {
        super(ServerKind.MYSQL, name, container, MYSQL_PORT);
        this.serverId = serverId;
    }

    /** Starts a container from the image {@value #IMAGE_PROPERTY} names (default {@value #DEFAULT_IMAGE}). */
    static MySqlContainerDatabase start(String name, String timeZone) {
        String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
        int serverId = ServerIds.next();
        MySQLContainer container = new MySQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("mysql"))
                .withUsername(DatabaseServer.ADMIN_USER)
                .withPassword(DatabaseServer.ADMIN_PASSWORD) // the image's root gets the same password
                .withEnv("TZ", TimeZones.posix(timeZone));
        // the options DatabaseServer writes to a local MySQL's my.cnf (the image passes them to mysqld)
        container.withCommand(
                "--server-id=" + serverId,
                "--log-bin=binlog",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--character-set-server=utf8mb4",
                "--default-time-zone=" + timeZone,
                "--skip-name-resolve",
                "--max-connections=300",
                "--innodb-buffer-pool-size=64M",
                // test servers: trade durability for speed
                "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0",
                "--mysqlx=OFF");
        MySqlContainerDatabase db = new MySqlContainerDatabase(name, container, serverId);
        db.startContainer();
        db.grantAdminEverything();
        return db;
    }

    /**
     * The image gives its MYSQL_USER rights on one database only; the tests' admin needs all, with grant
     * option, as on a local server. Not written to the binary log, which stays empty for the tests.
     */
    private void grantAdminEverything() {
        // the image's root has the admin's password
        try (Connection c = MySqlAccess.open(this, "root", adminPassword(), null, 10_000, 0);
                Statement s = c.createStatement()) {
            s.execute("SET sql_log_bin = 0");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + adminUser() + "'@'%' WITH GRANT OPTION");
        } catch (SQLException e) {
            close();
            throw Jdbc.failure(this, "GRANT ALL PRIVILEGES ON *.* TO '" + adminUser() + "'@'%'", e);
        }
    }

    @Override
    Duration startTimeout() {
        return ServerProcesses.START_TIMEOUT;
    }

    @Override
    Connection probe() throws SQLException {
        return MySqlAccess.open(this, null, 2_000, 10_000);
    }

    @Override
    public int serverId() {
        return serverId;
    }

    /** {@code jdbc:mysql://host:port}, without database or options, as for a local server. */
    @Override
    public String jdbcUrl() {
        return "jdbc:mysql://" + host() + ":" + port();
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return MySqlAccess.open(this, database, 10_000, 0);
    }

    @Override
    public String version() {
        return MySqlAccess.version(this);
    }

    @Override
    public String createDatabase(String prefix) {
        return MySqlAccess.createDatabase(this, prefix);
    }
}
