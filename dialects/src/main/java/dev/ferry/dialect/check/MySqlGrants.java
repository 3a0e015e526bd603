package dev.ferry.dialect.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** MySQL and MariaDB: database grants to the account the server matched, on Ferry's schema and the replicated ones. */
public final class MySqlGrants implements WriteGrants {
    /** What Ferry's user needs on its own database, where it creates and changes its tables. */
    public static final String FERRY_SCHEMA_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX";
    private static final String FERRY_SCHEMA = "ferry";

    @Override
    public List<String> statements(GrantRequest r) {
        String to = " TO " + r.account() + ";";
        List<String> grants = new ArrayList<>();
        if (r.source()) {
            grants.add("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.*" + to);
        }
        grants.add("GRANT " + FERRY_SCHEMA_PRIVILEGES + " ON `" + FERRY_SCHEMA + "`.*" + to);
        if (r.target()) {
            // TRIGGER: MySQL shows a table's triggers only with it, and Ferry must see them (MySqlTriggerCheck)
            for (String db : r.databases()) {
                grants.add("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON "
                        + MySqlAccount.quoteName(db) + ".*" + to);
            }
            for (String pattern : r.openPatterns()) {
                grants.add("-- and the same for each other database that 'tables.include' pattern '" + pattern
                        + "' matches");
            }
        }
        return grants;
    }

    /**
     * Whether this connection's account holds every privilege applying rows and DDL needs on each database, from
     * its global and database grants (privileges through roles are not followed).
     */
    @Override
    public Verdict check(Connection c, CheckedSite site, Set<String> databases) throws SQLException {
        String account = MySqlAccount.current(c);
        List<String> needed = List.of(FERRY_SCHEMA_PRIVILEGES.split(", "));
        Set<String> global = privileges(c, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                + " WHERE GRANTEE IN (?, ?)", account, null);
        Set<String> all = new TreeSet<>(databases);
        all.add(FERRY_SCHEMA);
        List<String> lacking = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (String db : all) {
            Set<String> have = new HashSet<>(global);
            // a database grant may name a LIKE pattern (`shop\_%`)
            have.addAll(privileges(c, "SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
                    + " WHERE GRANTEE IN (?, ?) AND ? LIKE TABLE_SCHEMA", account, db));
            List<String> missing = needed.stream().filter(p -> !have.contains(p)).toList();
            if (!missing.isEmpty()) {
                lacking.add("`" + db + "` (" + String.join(", ", missing) + ")");
                fixes.add("GRANT " + FERRY_SCHEMA_PRIVILEGES + " ON " + MySqlAccount.quoteName(db) + ".* TO "
                        + account + ";");
            }
        }
        if (lacking.isEmpty()) {
            return Verdict.ok(FERRY_SCHEMA_PRIVILEGES + " on " + String.join(", ", all));
        }
        return Verdict.fail(account + " lacks privileges on " + String.join(", ", lacking) + "; applying rows and DDL"
                + " there needs " + FERRY_SCHEMA_PRIVILEGES, "as an admin: " + String.join(" ", fixes));
    }

    /** The privileges of the account, and those everyone has (MariaDB's PUBLIC), globally or on a database. */
    private static Set<String> privileges(Connection c, String sql, String account, String database)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, account);
            ps.setString(2, "'PUBLIC'@''");
            if (database != null) {
                ps.setString(3, database);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
