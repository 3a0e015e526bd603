package dev.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Oracle Database Free in a container ({@value #IMAGE}), with the tests' admin account as a DBA in the
 * pluggable database FREEPDB1. Oracle has schemas where MySQL has databases: {@link #createDatabase} creates a
 * user (schema) and {@link #connect(String)} makes it the session's current schema.
 */
final class OracleContainerDatabase extends ContainerDatabase {

    static final String IMAGE = "gvenzl/oracle-free:23-slim-faststart";
    private static final int ORACLE_PORT = 1521;
    /** Oracle opens its database in minutes, not seconds. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final NumberedNames SCHEMAS =
            new NumberedNames("schema", Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,20}"));
    /** ORA-01920: user name conflicts with another user or role name. */
    private static final int USER_EXISTS = 1920;

    private OracleContainerDatabase(String name, OracleContainer container) {
        super(ServerKind.ORACLE, name, container, ORACLE_PORT);
    }

    static OracleContainerDatabase start(String name, String timeZone) {
        OracleContainer container = new OracleContainer(
                DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("gvenzl/oracle-free"))
                .withUsername(DatabaseServer.ADMIN_USER)
                .withPassword(DatabaseServer.ADMIN_PASSWORD) // SYS and SYSTEM get the same password
                // SYSDATE and SYSTIMESTAMP follow the operating system's zone
                .withEnv("TZ", TimeZones.posix(timeZone));
        container.withStartupTimeout(START_TIMEOUT);
        OracleContainerDatabase db = new OracleContainerDatabase(name, container);
        db.startContainer();
        db.grantDba();
        return db;
    }

    /** The image makes its APP_USER an ordinary user; the tests' admin needs every privilege, as elsewhere. */
    private void grantDba() {
        String grant = "GRANT DBA TO " + adminUser();
        try (Connection c = open("system", 10); Statement s = c.createStatement()) {
            s.execute(grant);
        } catch (SQLException e) {
            close();
            throw Jdbc.failure(this, grant, e);
        }
    }

    @Override
    Duration startTimeout() {
        return START_TIMEOUT;
    }

    @Override
    Connection probe() throws SQLException {
        return open(adminUser(), 2);
    }

    /** Oracle has no server_id. */
    @Override
    public int serverId() {
        throw new UnsupportedOperationException(this + ": Oracle has no server_id");
    }

    /** {@code jdbc:oracle:thin:@host:port/FREEPDB1}. */
    @Override
    public String jdbcUrl() {
        return "jdbc:oracle:thin:@" + host() + ":" + port() + "/" + container().getDatabaseName();
    }

    /** An admin connection whose current schema is {@code schema} (null: the admin's own). */
    @Override
    public Connection connect(String schema) throws SQLException {
        Connection c = open(adminUser(), 10);
        if (schema != null) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER SESSION SET CURRENT_SCHEMA = " + schema);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    @Override
    public String version() {
        return Jdbc.value(this, "SELECT banner_full FROM v$version");
    }

    /** Creates a schema (a user that cannot log in) named prefix + "_" + a new number; returns its name. */
    @Override
    public String createDatabase(String prefix) {
        return SCHEMAS.create(this, prefix,
                schema -> "CREATE USER " + schema + " NO AUTHENTICATION QUOTA UNLIMITED ON USERS",
                e -> e.getErrorCode() == USER_EXISTS);
    }

    private Connection open(String user, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", adminPassword());
        props.setProperty("oracle.net.CONNECT_TIMEOUT", Long.toString(timeoutSeconds * 1000L));
        return DriverManager.getConnection(jdbcUrl(), props);
    }
}
