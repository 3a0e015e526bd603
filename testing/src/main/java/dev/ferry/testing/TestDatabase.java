package dev.ferry.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A database server started for tests, whoever provides it: a local process ({@link DatabaseServer}) or, with
 * the {@code containers} Maven profile, a container. Tests get one from {@link TestServers#site} and should
 * depend on this type only, so that the same test runs against either.
 *
 * <p>Every server has the admin account {@link #adminUser()} / {@link #adminPassword()} with all privileges,
 * reachable over TCP at {@link #host()}:{@link #port()}.
 */
public interface TestDatabase extends AutoCloseable {

    ServerKind kind();

    /** Short name used in messages, e.g. the site name "sh". */
    String name();

    /** The host to connect to over TCP (127.0.0.1 for local processes). */
    String host();

    int port();

    /**
     * The MySQL server_id (unique among the servers of a test run).
     *
     * @throws UnsupportedOperationException for kinds that have none
     */
    int serverId();

    /**
     * The JDBC URL of the server: for MySQL and MariaDB {@code jdbc:mysql://host:port} without a database, for
     * other kinds the URL of the default database the server was created with.
     */
    String jdbcUrl();

    String adminUser();

    String adminPassword();

    /** An admin connection in autocommit mode to the default database (none for MySQL and MariaDB). */
    Connection connect() throws SQLException;

    /** An admin connection in autocommit mode with the given default database (null for the default). */
    Connection connect(String database) throws SQLException;

    /** Runs the statements in order on one admin connection; stops at the first that fails. */
    default void execute(String... sql) {
        Jdbc.execute(this, sql);
    }

    /** Runs one statement with '?' parameters and returns its rows (empty if it returns none). */
    default List<List<Object>> query(String sql, Object... params) {
        return Jdbc.query(this, sql, params);
    }

    /** The server's version string. */
    String version();

    /** Creates a database named prefix + "_" + a number not used before, and returns the name. */
    String createDatabase(String prefix);

    /** Shuts the server down cleanly; does nothing if it is not running. */
    void stop();

    /** Kills the server as in a crash and waits for it to be gone. */
    void kill();

    /** Starts the server again on the same port and data; stops it first if it is running. */
    void restart();

    boolean isRunning();

    /** Whether {@link #close()} was called: such a server cannot be restarted. */
    boolean isClosed();

    /** Kills the server and deletes its data. */
    @Override
    void close();
}
