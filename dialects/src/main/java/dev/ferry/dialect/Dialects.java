package dev.ferry.dialect;

/** Chooses a {@link Dialect} from a JDBC URL and the server's version. */
public final class Dialects {
    private Dialects() {}

    public static Dialect forUrl(String jdbcUrl, String serverVersion) {
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MySqlDialect.forServerVersion(serverVersion);
        }
        throw new IllegalArgumentException("No Ferry dialect for JDBC URL '" + jdbcUrl
                + "': supported targets start with jdbc:mysql: or jdbc:mariadb:");
    }
}
