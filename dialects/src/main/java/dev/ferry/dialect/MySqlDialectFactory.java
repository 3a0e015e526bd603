package dev.ferry.dialect;

import dev.ferry.dialect.check.MySqlGrants;
import dev.ferry.dialect.check.MySqlTriggerCheck;
import dev.ferry.dialect.check.TriggerCheck;
import dev.ferry.dialect.check.WriteGrants;
import dev.ferry.dialect.schema.IdentifierCase;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** MySQL and MariaDB, both through MySQL Connector/J: the sources, and targets of two-way channels. */
public final class MySqlDialectFactory implements DialectFactory {
    private static final int ER_ACCESS_DENIED = 1045;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    @Override
    public List<String> urlPrefixes() {
        return List.of("jdbc:mysql:", "jdbc:mariadb:");
    }

    @Override
    public String displayName(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:mariadb:") ? "MariaDB" : "MySQL";
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    /** The database in the path is optional: Ferry names every table with its database. */
    @Override
    public SiteUrlForm siteUrlForm() {
        return new SiteUrlForm(List.of("jdbc:mysql://", "jdbc:mariadb://"), "jdbc:mysql://db.example.com:3306", null);
    }

    @Override
    public boolean hasBinlog() {
        return true;
    }

    /** The upsert's form follows the version; names are MySQL's own, so the case and limit do not apply. */
    @Override
    public Dialect create(String serverVersion, IdentifierCase identifierCase, int identifierLimit) {
        return MySqlDialect.forServerVersion(serverVersion);
    }

    @Override
    public String driverClass() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    public Map<String, String> connectionDefaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("rewriteBatchedStatements", "true");
        p.put("characterEncoding", "UTF-8");
        p.putAll(valueProperties());
        p.put("connectTimeout", "10000");
        p.put("socketTimeout", "600000");
        return p;
    }

    /** TINYINT(1) is a number, not a boolean: 5 must stay 5. */
    @Override
    public Map<String, String> valueProperties() {
        return Map.of("tinyInt1isBit", "false");
    }

    /** Connector/J's {@code sslMode} values are the modes' names. */
    @Override
    public Map<String, String> tlsProperties(TlsMode mode, String trustStore, String trustStorePassword) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sslMode", mode.name());
        if (mode == TlsMode.DISABLED || mode == TlsMode.PREFERRED) {
            // caching_sha2_password over a connection without TLS needs the server's RSA key
            p.put("allowPublicKeyRetrieval", "true");
        }
        if (trustStore != null) {
            p.put("trustCertificateKeyStoreUrl", "file:" + trustStore);
            if (trustStorePassword != null) {
                p.put("trustCertificateKeyStorePassword", trustStorePassword);
            }
        }
        return p;
    }

    @Override
    public String ferrySchemaFile() {
        return "ferry-schema.sql";
    }

    @Override
    public WriteGrants writeGrants() {
        return new MySqlGrants();
    }

    @Override
    public TriggerCheck triggerCheck() {
        return new MySqlTriggerCheck();
    }

    /**
     * 1045, or SQLSTATE 28000, which MySQL also gives its other refused sign-ins (1698: an account without a
     * password).
     */
    @Override
    public boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ER_ACCESS_DENIED || "28000".equals(e.getSQLState());
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return e.getErrorCode() == ER_LOCK_DEADLOCK;
    }

    @Override
    public boolean isLockWaitTimeout(SQLException e) {
        return e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT;
    }
}
