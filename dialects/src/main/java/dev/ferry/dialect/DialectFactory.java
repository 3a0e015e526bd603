package dev.ferry.dialect;

import dev.ferry.dialect.check.TriggerCheck;
import dev.ferry.dialect.check.WriteGrants;
import dev.ferry.dialect.schema.IdentifierCase;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Everything Ferry knows about one database apart from the SQL of replication: which JDBC URLs are its, its driver and
 * the driver's properties, the meaning of its error codes, what Ferry's user needs there and what could run on Ferry's
 * writes, how a site's URL is written and whether it can be a source, and its {@link Dialect}. Adding a database
 * means one factory and one dialect in this package, listed in {@link Dialects}.
 *
 * <p>The error methods look at one exception only, not at its causes: {@link SqlErrors} walks the chain.
 */
public interface DialectFactory {

    /** The URL prefixes of this database's drivers, such as {@code jdbc:postgresql:}. */
    List<String> urlPrefixes();

    /** Whether a JDBC URL is one of this database's. */
    default boolean acceptsUrl(String jdbcUrl) {
        return urlPrefixes().stream().anyMatch(jdbcUrl::startsWith);
    }

    /** The database's name for messages, such as "PostgreSQL"; a family's member by its URL ("MariaDB"). */
    String displayName(String jdbcUrl);

    /** The port a URL without one means. */
    int defaultPort();

    /** How a site's URL is written in the channel file. */
    SiteUrlForm siteUrlForm();

    /** Whether Ferry reads the database's changes (a binlog): only then can a site of it be a direction's source. */
    default boolean hasBinlog() {
        return false;
    }

    /**
     * The dialect for a server.
     *
     * @param serverVersion the server's version string (JDBC's {@code getDatabaseProductVersion()})
     * @param identifierCase how MySQL names are spelled there; null for the database's default
     * @param identifierLimit the longest name in bytes, where the database's limit depends on its settings (Oracle)
     */
    Dialect create(String serverVersion, IdentifierCase identifierCase, int identifierLimit);

    /** The JDBC driver's class, for a connection pool that loads it by name. */
    String driverClass();

    /**
     * Driver properties every connection Ferry opens to apply or check gets unless the site sets them: time-outs,
     * batching, how values are read and bound.
     */
    Map<String, String> connectionDefaults();

    /**
     * Driver properties that decide how values are read, for every connection to the database, also those of a
     * binlog reader, which get no {@link #connectionDefaults}.
     */
    default Map<String, String> valueProperties() {
        return Map.of();
    }

    /**
     * The driver's properties for a TLS mode and an optional trust store (null: the JVM's), with the password of the
     * trust store (null if none). Empty where the URL and the JVM choose TLS.
     */
    Map<String, String> tlsProperties(TlsMode mode, String trustStore, String trustStorePassword);

    /** The file under {@code sql/} (and on the class path) that creates Ferry's own tables there. */
    String ferrySchemaFile();

    /** SQL listing the names of the tables in Ferry's schema, one per row, in any letter case. */
    default String ferryTablesQuery() {
        return "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ferry'";
    }

    /** The grants Ferry's user needs there to write ({@code ferry prepare}), and their check ({@code ferry check}). */
    WriteGrants writeGrants();

    /** The check of the triggers that would run on Ferry's writes there (start-up, {@code ferry check}). */
    TriggerCheck triggerCheck();

    /** Whether the server refused the login (wrong password, unknown user). */
    boolean isAccessDenied(SQLException e);

    /** Whether the server rolled back the whole transaction because of a deadlock. */
    default boolean isDeadlock(SQLException e) {
        return false;
    }

    /** Whether a statement waited too long for a lock; the server rolled back that statement only. */
    default boolean isLockWaitTimeout(SQLException e) {
        return false;
    }

    /**
     * Whether the same work may succeed if tried again: a deadlock, a lock wait time-out, or a serialization failure
     * (SQLSTATE 40001, the standard's code, which every database uses).
     */
    default boolean isRetriable(SQLException e) {
        return isDeadlock(e) || isLockWaitTimeout(e) || "40001".equals(e.getSQLState());
    }
}
