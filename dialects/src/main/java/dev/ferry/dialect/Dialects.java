package dev.ferry.dialect;

import dev.ferry.dialect.schema.IdentifierCase;

/** Chooses a {@link Dialect} from a JDBC URL and the server's version. */
public final class Dialects {
    private Dialects() {}

    /** With each target's default identifier case and Oracle's 128-byte names. */
    public static Dialect forUrl(String jdbcUrl, String serverVersion) {
        return forUrl(jdbcUrl, serverVersion, null, OracleDialect.DEFAULT_IDENTIFIER_LIMIT);
    }

    /** @param identifierCase how MySQL names are spelled at a PostgreSQL or Oracle target; null for its default */
    public static Dialect forUrl(String jdbcUrl, String serverVersion, IdentifierCase identifierCase) {
        return forUrl(jdbcUrl, serverVersion, identifierCase, OracleDialect.DEFAULT_IDENTIFIER_LIMIT);
    }

    /** @param oracleIdentifierLimit Oracle's longest name in bytes: 128, or 30 below COMPATIBLE 12.2 */
    public static Dialect forUrl(String jdbcUrl, String serverVersion, IdentifierCase identifierCase,
            int oracleIdentifierLimit) {
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MySqlDialect.forServerVersion(serverVersion);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgreSqlDialect(identifierCase == null ? IdentifierCase.PRESERVE : identifierCase);
        }
        if (jdbcUrl.startsWith("jdbc:oracle:")) {
            return new OracleDialect(identifierCase == null ? IdentifierCase.UPPER : identifierCase,
                    oracleIdentifierLimit);
        }
        throw new IllegalArgumentException("No Ferry dialect for JDBC URL '" + jdbcUrl + "': supported targets start"
                + " with jdbc:mysql:, jdbc:mariadb:, jdbc:postgresql: or jdbc:oracle:");
    }
}
