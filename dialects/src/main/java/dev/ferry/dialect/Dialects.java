package dev.ferry.dialect;

import dev.ferry.dialect.schema.IdentifierCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Chooses a {@link Dialect} from a JDBC URL and the server's version: the {@link DialectFactory} that accepts it. */
public final class Dialects {
    /** Every database Ferry knows, MySQL first; a new one is added here. */
    private static final List<DialectFactory> FACTORIES = List.of(new MySqlDialectFactory(),
            new PostgreSqlDialectFactory(), new OracleDialectFactory());

    private Dialects() {}

    /** MySQL's, Ferry's own database: its forms are the ones suggested for a URL of no database Ferry knows. */
    public static DialectFactory home() {
        return FACTORIES.get(0);
    }

    /** The factories of every database Ferry knows. */
    public static List<DialectFactory> factories() {
        return FACTORIES;
    }

    /** The database's factory, if Ferry knows a database with such URLs. */
    public static Optional<DialectFactory> factoryOf(String jdbcUrl) {
        return FACTORIES.stream().filter(f -> f.acceptsUrl(jdbcUrl)).findFirst();
    }

    /** The database's factory; fails for a URL of a database Ferry does not know. */
    public static DialectFactory factory(String jdbcUrl) {
        return factoryOf(jdbcUrl).orElseThrow(() -> {
            List<String> prefixes = new ArrayList<>();
            FACTORIES.forEach(f -> prefixes.addAll(f.urlPrefixes()));
            String last = prefixes.remove(prefixes.size() - 1);
            return new IllegalArgumentException("No Ferry dialect for JDBC URL '" + jdbcUrl + "': supported targets"
                    + " start with " + String.join(", ", prefixes) + " or " + last);
        });
    }

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
        return factory(jdbcUrl).create(serverVersion, identifierCase, oracleIdentifierLimit);
    }
}
