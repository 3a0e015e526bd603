package dev.ferry.operators;

import dev.ferry.dialect.DialectFactory;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.schema.IdentifierCase;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * How to reach one database: the operators' view of a configured site. The password is kept out
 * of {@link #toString()}, so it cannot end up in a log line or the Flink web UI.
 */
public final class Endpoint implements Serializable {
    /** Closes {@code connection} if there is one, ignoring that it may be broken already. */
    public static void closeQuietly(java.sql.Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (java.sql.SQLException alreadyBroken) {
                // nothing left to release
            }
        }
    }

    private static final long serialVersionUID = 1L;

    private final String site;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Properties jdbcProperties;
    /** The configured JDBC URL of a PostgreSQL or Oracle target; {@code null} for MySQL and MariaDB. */
    private final String targetUrl;
    private final IdentifierCase identifiers;

    /**
     * @param jdbcProperties driver properties (TLS and the like) added to every connection; they
     *     are also handed to the binlog reader's own connections
     */
    public Endpoint(String site, String host, int port, String user, String password, Properties jdbcProperties) {
        this(site, host, port, user, password, jdbcProperties, null, null);
    }

    /**
     * A PostgreSQL or Oracle target (or, with {@code targetUrl == null}, a MySQL or MariaDB site).
     *
     * @param targetUrl the configured JDBC URL ({@code jdbc:postgresql:} or {@code jdbc:oracle:}), without secrets
     * @param identifiers how MySQL names are spelled there, {@code null} for the database's default
     */
    public Endpoint(String site, String host, int port, String user, String password, Properties jdbcProperties,
            String targetUrl, IdentifierCase identifiers) {
        this.targetUrl = targetUrl;
        this.identifiers = identifiers;
        this.site = Objects.requireNonNull(site);
        this.host = Objects.requireNonNull(host);
        this.port = port;
        this.user = Objects.requireNonNull(user);
        this.password = Objects.requireNonNull(password);
        this.jdbcProperties = new Properties();
        this.jdbcProperties.putAll(jdbcProperties);
    }

    public String site() {
        return site;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The password, for the JDBC and binlog layers only. */
    public String revealPassword() {
        return password;
    }

    public Properties jdbcProperties() {
        Properties copy = new Properties();
        copy.putAll(jdbcProperties);
        return copy;
    }

    public String jdbcUrl() {
        return targetUrl != null ? targetUrl : "jdbc:mysql://" + host + ":" + port + "/";
    }

    /** How MySQL names are spelled at a PostgreSQL or Oracle target; {@code null} for the default. */
    public IdentifierCase identifiers() {
        return identifiers;
    }

    /** The database's knowledge of its driver, by the URL. */
    private DialectFactory database() {
        return Dialects.factory(jdbcUrl());
    }

    /** Options for flink-connector-jdbc's connection provider; adds the apply-side driver settings. */
    public JdbcConnectionOptions applyConnectionOptions() {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder b = new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(jdbcUrl())
                .withDriverName(database().driverClass())
                .withUsername(user)
                .withPassword(password)
                .withConnectionCheckTimeoutSeconds(10);
        applyProperties().forEach((k, v) -> b.withProperty((String) k, (String) v));
        return b.build();
    }

    /** The site's properties, and the database's defaults for those it does not set. */
    private Properties applyProperties() {
        Properties p = jdbcProperties();
        database().connectionDefaults().forEach(p::putIfAbsent);
        return p;
    }

    /** A plain connection for one-off work such as checks and heartbeats. */
    public Connection connect() throws SQLException {
        Properties p = applyProperties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /**
     * A connection to a MySQL-family server for a quick look (a watchdog, an identity check, heartbeats), which gives up after
     * {@code timeout} rather than wait as long as an apply may (a hung server must not hold a checkpoint).
     */
    public Connection connectBriefly(java.time.Duration timeout) throws SQLException {
        Properties p = applyProperties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", String.valueOf(timeout.toMillis()));
        p.setProperty("socketTimeout", String.valueOf(timeout.toMillis()));
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    @Override
    public String toString() {
        return "site '" + site + "' (" + user + "@" + host + ":" + port + ")";
    }
}
