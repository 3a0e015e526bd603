package dev.ferry.config;

import dev.ferry.dialect.DialectFactory;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.SiteUrlForm;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The host and port of a site's JDBC URL ({@code sites.<name>.url}). A URL with credentials in it is refused:
 * they would end up in job parameters and logs.
 *
 * @param host the host, an IPv6 address without its brackets
 * @param port the port, the database's default if the URL has none
 */
record JdbcUrl(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

    /** The host and port of {@code url}, or {@code null} (with the problems recorded at {@code path}). */
    static JdbcUrl parse(String url, String path, ConfigReader r) {
        DialectFactory factory = Dialects.factoryOf(url).orElse(Dialects.home());
        SiteUrlForm form = factory.siteUrlForm();
        String example = "write it like '" + form.example() + "'";
        String rest = form.afterPrefix(url);
        if (rest == null) {
            r.problem(path, "the URL must start with " + named(true) + " (a source or target), or " + named(false)
                    + " (a target only)", "write it like '" + Dialects.home().siteUrlForm().example() + "'");
            return null;
        }
        if (form.pathNames() != null) {
            int slash = rest.indexOf('/');
            if (slash < 0 || slash == rest.length() - 1) {
                r.problem(path, "the URL names no " + form.pathNames(), example);
                return null;
            }
        }
        int q = rest.indexOf('?');
        boolean ok = noPasswordProperty(q >= 0 ? rest.substring(q + 1) : "", path, r);
        String beforeQuery = q >= 0 ? rest.substring(0, q) : rest;
        int slash = beforeQuery.indexOf('/');
        String authority = slash >= 0 ? beforeQuery.substring(0, slash) : beforeQuery;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (authority.substring(0, at).contains(":")) {
                r.problem(path, "the URL contains a password ('user:password@'); secrets must not be written in the URL",
                        "remove the credentials from the URL and use 'user' and 'password' or 'password-file' instead");
            } else {
                r.problem(path, "the URL contains a user name ('user@')", "remove it from the URL and use 'user' instead");
            }
            ok = false;
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            r.problem(path, "the URL has no host", example);
            return null;
        }
        if (authority.contains(",")) {
            r.problem(path, "the URL names several hosts; a site is exactly one server",
                    "keep a single host (and port) in the URL");
            return null;
        }
        JdbcUrl hostPort = hostPort(authority, factory.defaultPort(), path, example, r);
        return ok ? hostPort : null;
    }

    /** The suggested prefixes of the databases that can be sources (or of those that cannot), quoted. */
    private static String named(boolean sources) {
        return Dialects.factories().stream().filter(f -> f.hasBinlog() == sources)
                .flatMap(f -> f.siteUrlForm().named().stream()).map(p -> "'" + p + "'")
                .collect(Collectors.joining(" or "));
    }

    /** False (with a problem for each) if a query property's name contains "password". */
    private static boolean noPasswordProperty(String query, String path, ConfigReader r) {
        boolean ok = true;
        for (String param : query.split("[&;]")) {
            String key = param.split("=", 2)[0].trim();
            if (key.toLowerCase(Locale.ROOT).contains("password")) {
                r.problem(path, "the URL contains a password (query property '" + key
                                + "'); secrets must not be written in the URL",
                        "remove '" + key + "=...' from the URL and use 'password' or 'password-file' instead");
                ok = false;
            }
        }
        return ok;
    }

    /** {@code host[:port]} or {@code [ipv6][:port]}, without credentials. */
    private static JdbcUrl hostPort(String authority, int defaultPort, String path, String example, ConfigReader r) {
        String host;
        String portText = null;
        boolean hostOk;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
            String after = close < 0 ? "" : authority.substring(close + 1);
            hostOk = close >= 0 && IPV6.matcher(host).matches() && (after.isEmpty() || after.startsWith(":"));
            if (after.startsWith(":")) {
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : null;
            hostOk = HOST_NAME.matcher(host).matches();
        }
        if (!hostOk) {
            r.problem(path, "cannot read the host from the URL (got '" + authority + "')",
                    example + " (IPv6 addresses in brackets: 'jdbc:mysql://[::1]:3306')");
            return null;
        }
        int port = defaultPort;
        if (portText != null) {
            int p = portText.matches("\\d{1,5}") ? Integer.parseInt(portText) : -1;
            if (p < 1 || p > 65535) {
                r.problem(path, "invalid port '" + portText + "' in the URL", "use a port between 1 and 65535, e.g. 3306");
                return null;
            }
            port = p;
        }
        return new JdbcUrl(host, port);
    }
}
