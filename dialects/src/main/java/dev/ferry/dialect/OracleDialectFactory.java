package dev.ferry.dialect;

import dev.ferry.dialect.check.OracleGrants;
import dev.ferry.dialect.check.TriggerCheck;
import dev.ferry.dialect.check.Verdict;
import dev.ferry.dialect.check.WriteGrants;
import dev.ferry.dialect.schema.IdentifierCase;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Oracle, a target of one-way channels, through Oracle's thin JDBC driver. */
public final class OracleDialectFactory implements DialectFactory {
    /** ORA-01017: invalid username/password; logon denied. */
    private static final int ORA_INVALID_LOGON = 1017;
    /** ORA-01045: the user lacks CREATE SESSION; logon denied. */
    private static final int ORA_NO_CREATE_SESSION = 1045;

    @Override
    public List<String> urlPrefixes() {
        return List.of("jdbc:oracle:");
    }

    @Override
    public String displayName(String jdbcUrl) {
        return "Oracle";
    }

    @Override
    public int defaultPort() {
        return 1521;
    }

    /** Easy Connect names the service Ferry writes; the driver also takes it without "//", which is not suggested. */
    @Override
    public SiteUrlForm siteUrlForm() {
        return new SiteUrlForm(List.of("jdbc:oracle:thin:@", "jdbc:oracle:thin:@//"), List.of("jdbc:oracle:thin:@//"),
                "jdbc:oracle:thin:@//db.example.com:1521/FREEPDB1", "database service");
    }

    /** MySQL names in upper case unless told otherwise, as Oracle folds unquoted names. */
    @Override
    public Dialect create(String serverVersion, IdentifierCase identifierCase, int identifierLimit) {
        return new OracleDialect(identifierCase == null ? IdentifierCase.UPPER : identifierCase, identifierLimit);
    }

    @Override
    public String driverClass() {
        return "oracle.jdbc.OracleDriver";
    }

    @Override
    public Map<String, String> connectionDefaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("oracle.net.CONNECT_TIMEOUT", "10000");
        p.put("oracle.jdbc.ReadTimeout", "600000");
        return p;
    }

    /** TLS is chosen by the URL ({@code tcps://...}) and the wallet or the JVM's trust store. */
    @Override
    public Map<String, String> tlsProperties(TlsMode mode, String trustStore, String trustStorePassword) {
        return Map.of();
    }

    @Override
    public String ferrySchemaFile() {
        return "ferry-schema-oracle.sql";
    }

    /** Ferry's schema is the user FERRY; Oracle spells unquoted names in upper case. */
    @Override
    public String ferryTablesQuery() {
        return "SELECT LOWER(TABLE_NAME) FROM ALL_TABLES WHERE OWNER = 'FERRY'";
    }

    @Override
    public WriteGrants writeGrants() {
        return new OracleGrants();
    }

    /** Not checked: a warning, which start-up lets pass. */
    @Override
    public TriggerCheck triggerCheck() {
        return (c, site, dialect, tables) -> List.of(Verdict.warn("not checked for Oracle", "drop or disable the"
                + " triggers of the replicated tables there: they would run again on the rows Ferry copies"));
    }

    @Override
    public boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ORA_INVALID_LOGON || e.getErrorCode() == ORA_NO_CREATE_SESSION
                || "28000".equals(e.getSQLState());
    }
}
