package dev.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/** How tests reach a MySQL or MariaDB server as its admin, whether a local process or a container. */
final class MySqlAccess {

    private static final NumberedNames DATABASES =
            new NumberedNames("database", Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}"));
    /** ER_DB_CREATE_EXISTS: the name is taken. */
    private static final int DATABASE_EXISTS = 1007;

    private MySqlAccess() {
    }

    /**
     * An admin connection to {@code server.jdbcUrl()} with {@link DatabaseServer#CONNECTION_OPTIONS}.
     *
     * @param socketTimeoutMillis 0 for none
     */
    static Connection open(TestDatabase server, String database, int connectTimeoutMillis, int socketTimeoutMillis)
            throws SQLException {
        return open(server, server.adminUser(), server.adminPassword(), database, connectTimeoutMillis,
                socketTimeoutMillis);
    }

    /** The same as another user. */
    static Connection open(TestDatabase server, String user, String password, String database,
            int connectTimeoutMillis, int socketTimeoutMillis) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        for (String option : DatabaseServer.CONNECTION_OPTIONS.split("&")) {
            String[] kv = option.split("=", 2);
            props.setProperty(kv[0], kv[1]);
        }
        props.setProperty("connectTimeout", Integer.toString(connectTimeoutMillis));
        if (socketTimeoutMillis > 0) {
            props.setProperty("socketTimeout", Integer.toString(socketTimeoutMillis));
        }
        return DriverManager.getConnection(server.jdbcUrl() + "/" + (database == null ? "" : database), props);
    }

    /** Creates a database named prefix + "_" + a number not used before, and returns the name. */
    static String createDatabase(TestDatabase server, String prefix) {
        return DATABASES.create(server, prefix, database -> "CREATE DATABASE `" + database + "`",
                e -> e.getErrorCode() == DATABASE_EXISTS);
    }

    /** {@code SELECT VERSION()}. */
    static String version(TestDatabase server) {
        return Jdbc.value(server, "SELECT VERSION()");
    }
}
