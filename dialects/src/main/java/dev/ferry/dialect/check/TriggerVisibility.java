package dev.ferry.dialect.check;

import dev.ferry.common.TableId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether Ferry's user can see the triggers of a table. MySQL lists a trigger in information_schema.TRIGGERS
 * only to a user with the TRIGGER privilege on its table, so without it "no trigger" would be a false pass.
 * Read from SHOW GRANTS, which on MySQL includes the privileges of the user's active roles. (MariaDB lists the
 * trigger but hides its body; {@link MySqlTriggerCheck} reports that.)
 */
final class TriggerVisibility {
    /** One line of SHOW GRANTS: privileges, then the database and table (each {@code *} or quoted). */
    private static final Pattern GRANT = Pattern.compile(
            "(GRANT|REVOKE) (.+?) ON (\\*|`(?:[^`]|``)*`)\\.(\\*|`(?:[^`]|``)*`) (?:TO|FROM) .*", Pattern.DOTALL);

    /** The scopes at which the user holds TRIGGER, and the databases partially revoked from a global grant. */
    private final List<String[]> granted = new ArrayList<>();
    private final Set<String> revoked = new TreeSet<>();
    /** With partial_revokes, {@code _} and {@code %} in a database grant are literal characters. */
    private final boolean wildcards;

    private TriggerVisibility(boolean wildcards) {
        this.wildcards = wildcards;
    }

    /** The tables whose triggers the user cannot see; none on MariaDB. */
    static List<TableId> hiddenTables(Connection c, Collection<TableId> tables) throws SQLException {
        if (c.getMetaData().getDatabaseProductVersion().contains("MariaDB")) {
            return List.of();
        }
        TriggerVisibility grants = new TriggerVisibility(!partialRevokes(c));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                grants.add(rs.getString(1));
            }
        }
        return tables.stream().filter(t -> !grants.covers(t)).toList();
    }

    /**
     * A failure naming the tables whose triggers cannot be read, with the grant; empty if there are none.
     * @param account the connection's account ({@link MySqlAccount}), which the grant names
     */
    static Optional<Verdict> finding(CheckedSite site, Collection<TableId> tables, String account) {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        Set<String> grants = new TreeSet<>();
        for (TableId t : tables) {
            grants.add("GRANT TRIGGER ON " + MySqlAccount.quoteName(t.database()) + ".* TO " + account + ";");
        }
        return Optional.of(Verdict.fail("User '" + site.user() + "' at site '" + site.name() + "' cannot read the"
                + " triggers of " + tables + " (information_schema.TRIGGERS shows them only with the TRIGGER"
                + " privilege), so Ferry cannot tell whether one would run again on the rows it replicates there.",
                "as an admin: " + String.join(" ", grants)));
    }

    private static boolean partialRevokes(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'partial_revokes'")) {
            return rs.next() && "ON".equalsIgnoreCase(rs.getString(2));
        }
    }

    private void add(String line) {
        Matcher m = GRANT.matcher(line);
        if (!m.matches() || !holdsTrigger(m.group(2))) {
            return;
        }
        String database = unquote(m.group(3));
        if (m.group(1).equals("REVOKE")) {
            revoked.add(database);
        } else {
            granted.add(new String[] {database, unquote(m.group(4))});
        }
    }

    private static boolean holdsTrigger(String privileges) {
        for (String p : privileges.split(",")) {
            String name = p.strip();
            if (name.equals("TRIGGER") || name.equals("ALL") || name.equals("ALL PRIVILEGES")) {
                return true;
            }
        }
        return false;
    }

    private boolean covers(TableId t) {
        for (String[] scope : granted) {
            boolean global = scope[0].equals("*");
            if (global ? !revoked.contains(t.database())
                    : matchesDatabase(scope[0], t.database()) && (scope[1].equals("*") || scope[1].equals(t.table()))) {
                return true;
            }
        }
        return false;
    }

    /** A database grant's name, where {@code _} and {@code %} are wildcards unless escaped with a backslash. */
    private boolean matchesDatabase(String pattern, String database) {
        if (!wildcards) {
            return pattern.equals(database);
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (ch == '_' || ch == '%') {
                regex.append(ch == '_' ? "." : ".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return database.matches(regex.toString());
    }

    private static String unquote(String name) {
        return name.equals("*") ? name : name.substring(1, name.length() - 1).replace("``", "`");
    }
}
