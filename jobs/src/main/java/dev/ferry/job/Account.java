package dev.ferry.job;

import dev.ferry.config.SiteConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The MySQL account ({@code 'user'@'host'}) that Ferry's connections use, for the GRANTs Ferry prints: the server
 * matches a login against its accounts, so {@code 'ferry'@'%'} is wrong when it knows {@code 'ferry'@'127.0.0.1'}
 * (a GRANT to an unknown account fails with ERROR 1133).
 */
public final class Account {
    private Account() {}

    /** The account of this connection, as {@code CURRENT_USER()} names it, quoted for a GRANT. */
    public static String current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            String account = rs.getString(1);
            int at = account.lastIndexOf('@');
            return quote(account.substring(0, at)) + "@" + quote(account.substring(at + 1));
        }
    }

    /** The account of a site that could not be logged in to: the user name for any host. */
    public static String assumed(SiteConfig site) {
        return quote(site.user()) + "@'%'";
    }

    private static String quote(String part) {
        return "'" + part.replace("'", "''") + "'";
    }
}
