package dev.ferry.config;

import dev.ferry.dialect.DialectFactory;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.schema.IdentifierCase;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One MySQL (or MariaDB) server: an entry of the {@code sites} map, keyed by the site name (letters,
 * digits, {@code _} and {@code -}, at most 32 characters). The first site in the file is the "home" site.
 *
 * <p>A PostgreSQL ({@code jdbc:postgresql://host[:port]/database}) or Oracle
 * ({@code jdbc:oracle:thin:@//host[:port]/service}) site can only be the target of directions.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code url} (required) &mdash; JDBC URL starting with {@code jdbc:mysql://} or
 *       {@code jdbc:mariadb://}; a single host, optionally with a port (default 3306), a database path
 *       and query properties. IPv6 addresses go in brackets ({@code jdbc:mysql://[::1]:3306}). It must not
 *       contain a password (neither {@code password=}-like query properties nor {@code user:password@}).</li>
 *   <li>{@code user} (required) &mdash; the MySQL user.</li>
 *   <li>{@code password} or {@code password-file} (exactly one is required) &mdash;
 *       {@code password: "${env:NAME}"}, {@code password: "${file:/path}"} or
 *       {@code password-file: /path}; literal passwords are rejected (see {@link Secret}).</li>
 *   <li>{@code server-id} (optional) &mdash; the replica server id(s) Ferry uses when it reads this site's
 *       binlog: a single integer ({@code 5400}) or a range ({@code "5400-5404"}), between 1 and
 *       4294967295. The ids must be unique among all replicas of this server. If several directions
 *       read from this site the range is split evenly between them (in file order), so it needs at
 *       least one id per such direction. If absent, each direction reading this site gets one id derived
 *       from a hash of the channel name and the direction's {@code from->to}, in 5400..65000; derived ids
 *       are deterministic and distinct within the channel (set {@code server-id} explicitly if several
 *       channels read the same server, or if the hashed ids clash with other replicas).</li>
 *   <li>{@code time-zone} (optional) &mdash; override for the server's time zone, used to interpret
 *       {@code TIMESTAMP} values, e.g. {@code "+08:00"} or {@code Asia/Shanghai} (any
 *       {@link java.time.ZoneId}); if absent, the server's own setting is used.</li>
 *   <li>{@code tls} (optional block, default {@code mode: preferred}) &mdash; see {@link TlsConfig}.</li>
 * </ul>
 *
 * @param name the site name (key in {@code sites})
 * @param url the JDBC URL as written
 * @param host host parsed from the URL (IPv6 without brackets)
 * @param port port parsed from the URL, the database's default (MySQL's 3306) if absent
 * @param user the MySQL user
 * @param password the resolved password
 * @param serverId the configured server id range {@code "<start>-<end>"}, or {@code null} if not set
 * @param timeZone the server time zone override, or {@code null}
 * @param tls TLS settings
 * @param identifiers how MySQL names are spelled at this site when it is a PostgreSQL or Oracle target
 *     ({@code identifiers: preserve|upper|lower}); {@code null} for the database's default (PostgreSQL preserve,
 *     Oracle upper)
 */
public record SiteConfig(
        String name,
        String url,
        String host,
        int port,
        String user,
        Secret password,
        String serverId,
        String timeZone,
        TlsConfig tls,
        IdentifierCase identifiers)
        implements Serializable {

    /** The keys of a site, as {@link FileShape.Site} binds them. */
    static final List<String> KEYS = FileShape.keysOf(FileShape.Site.class);

    public SiteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@link #timeZone()} as a {@link ZoneId}, or {@code null} if not set. */
    public ZoneId zoneId() {
        return timeZone == null ? null : ZoneId.of(timeZone);
    }

    /** The kind of database, from the URL's prefix. */
    public Kind kind() {
        return Kind.ofUrl(url);
    }

    /**
     * What a site is, as its database's factory says: its name for messages, and whether it has a binlog Ferry can
     * read (MySQL and MariaDB), so that it can be the source of a direction.
     */
    public record Kind(String displayName, boolean hasBinlog) {

        /** Its database's; MySQL's for a URL of no known database (the URL check reports it). */
        static Kind ofUrl(String url) {
            DialectFactory f = Dialects.factoryOf(url).orElse(Dialects.home());
            return new Kind(f.displayName(url), f.hasBinlog());
        }
    }

    /** True if the URL is a MariaDB URL ({@code jdbc:mariadb://}). */
    public boolean isMariaDb() {
        return url.startsWith("jdbc:mariadb://");
    }
}
