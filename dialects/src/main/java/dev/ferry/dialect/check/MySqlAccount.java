package dev.ferry.dialect.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The MySQL account ({@code 'user'@'host'}) that Ferry's connections use, for the GRANTs Ferry prints: the server
 * matches a login against its accounts, so {@code 'ferry'@'%'} is wrong when it knows {@code 'ferry'@'127.0.0.1'}
 * (a GRANT to an unknown account fails with ERROR 1133).
 */
public final class MySqlAccount {
    private MySqlAccount() {}

    /** The account of this connection, as {@code CURRENT_USER()} names it, quoted for a GRANT. */
    public static String current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            String account = rs.getString(1);
            int at = account.lastIndexOf('@');
            return quote(account.substring(0, at)) + "@" + quote(account.substring(at + 1));
        }
    }

    /** The account of a user that could not be logged in: that user at any host. */
    public static String assumed(String user) {
        return quote(user) + "@'%'";
    }

    private static String quote(String part) {
        return "'" + part.replace("'", "''") + "'";
    }

    /** A database or table name quoted for MySQL. */
    static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
