package dev.ferry.dialect;

import dev.ferry.dialect.schema.IdentifierCase;

/** Chooses a {@link Dialect} from a JDBC URL and the server's version. */
public final class Dialects {
    private Dialects() {}

    /** As {@link #forUrl(String, String)}, spelling names at PostgreSQL and Oracle targets as {@code identifiers} says. */
    public static Dialect forUrl(String jdbcUrl, String serverVersion, IdentifierCase identifiers) {
        return forUrl(jdbcUrl, serverVersion);
    }

    public static Dialect forUrl(String jdbcUrl, String serverVersion) {
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MySqlDialect.forServerVersion(serverVersion);
        }
        throw new IllegalArgumentException("No Ferry dialect for JDBC URL '" + jdbcUrl
                + "': supported targets start with jdbc:mysql: or jdbc:mariadb:");
    }
}
