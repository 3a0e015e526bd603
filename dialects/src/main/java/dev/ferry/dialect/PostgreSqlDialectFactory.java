package dev.ferry.dialect;

import dev.ferry.dialect.check.PostgreSqlGrants;
import dev.ferry.dialect.check.PostgreSqlTriggerCheck;
import dev.ferry.dialect.check.TriggerCheck;
import dev.ferry.dialect.check.WriteGrants;
import dev.ferry.dialect.schema.IdentifierCase;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL, a target of one-way channels, through the PostgreSQL JDBC driver (pgJDBC). */
public final class PostgreSqlDialectFactory implements DialectFactory {

    @Override
    public List<String> urlPrefixes() {
        return List.of("jdbc:postgresql:");
    }

    @Override
    public String displayName(String jdbcUrl) {
        return "PostgreSQL";
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    /** A connection reaches one database only, the one Ferry writes. */
    @Override
    public SiteUrlForm siteUrlForm() {
        return new SiteUrlForm(List.of("jdbc:postgresql://"), "jdbc:postgresql://db.example.com:5432/warehouse",
                "database");
    }

    /** MySQL names keep their case unless told otherwise; PostgreSQL's 63-byte limit does not vary. */
    @Override
    public Dialect create(String serverVersion, IdentifierCase identifierCase, int identifierLimit) {
        return new PostgreSqlDialect(identifierCase == null ? IdentifierCase.PRESERVE : identifierCase);
    }

    @Override
    public String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    public Map<String, String> connectionDefaults() {
        Map<String, String> p = new LinkedHashMap<>();
        // let the server type a string parameter from its column (JSON, intervals, enums as text)
        p.put("stringtype", "unspecified");
        // a failed statement must not abort the whole apply transaction: a duplicate key is a
        // conflict to resolve, as in MySQL
        p.put("autosave", "always");
        p.put("reWriteBatchedInserts", "true");
        p.put("connectTimeout", "10");
        p.put("socketTimeout", "600");
        return p;
    }

    /** pgJDBC's {@code sslmode}; it reads no trust store property (its root certificate is a file of its own). */
    @Override
    public Map<String, String> tlsProperties(TlsMode mode, String trustStore, String trustStorePassword) {
        return Map.of("sslmode", switch (mode) {
            case DISABLED -> "disable";
            case PREFERRED -> "prefer";
            case REQUIRED -> "require";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
        });
    }

    @Override
    public String ferrySchemaFile() {
        return "ferry-schema-postgresql.sql";
    }

    @Override
    public WriteGrants writeGrants() {
        return new PostgreSqlGrants();
    }

    @Override
    public TriggerCheck triggerCheck() {
        return new PostgreSqlTriggerCheck();
    }

    /** 28P01: wrong password; 28000: no such user or no pg_hba.conf entry. */
    @Override
    public boolean isAccessDenied(SQLException e) {
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }

    /** 55P03 (lock_not_available): the session's {@code lock_timeout} passed. */
    @Override
    public boolean isLockWaitTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }
}
