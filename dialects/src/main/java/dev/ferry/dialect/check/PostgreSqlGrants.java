package dev.ferry.dialect.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/** PostgreSQL: Ferry's user creates its own schema and those of the replicated databases, so it needs CREATE. */
public final class PostgreSqlGrants implements WriteGrants {

    /** The database is the URL's, which the grants do not know: the admin names it. */
    @Override
    public List<String> statements(GrantRequest r) {
        String to = " TO " + quoted(r.user()) + ";";
        return List.of("GRANT CREATE ON DATABASE <this database>" + to, "GRANT USAGE, CREATE ON SCHEMA ferry" + to,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ferry" + to);
    }

    /** A superuser, or CREATE on the connection's database; the replicated schemas are Ferry's own then. */
    @Override
    public Verdict check(Connection c, CheckedSite site, Set<String> databases) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rolsuper OR"
                + " has_database_privilege(current_database(), 'CREATE'), current_database() FROM pg_roles"
                + " WHERE rolname = current_user")) {
            rs.next();
            String database = rs.getString(2);
            if (rs.getBoolean(1)) {
                return Verdict.ok("may create schemas in " + database);
            }
            return Verdict.fail("user '" + site.user() + "' may not create schemas in database " + database
                    + ", which Ferry needs for its own and the replicated schemas", "as an admin: GRANT CREATE ON"
                    + " DATABASE " + quoted(database) + " TO " + quoted(site.user()) + ";");
        }
    }

    /** PostgreSQL's quoted name; the grants have always quoted the names as they are, without doubling quotes. */
    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
