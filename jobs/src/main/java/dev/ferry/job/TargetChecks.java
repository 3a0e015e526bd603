package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialects;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** What a site must offer to be written by Ferry: write privileges, and Ferry's own tables. Read-only. */
final class TargetChecks {
    private static final List<TableId> MYSQL_TABLES = List.of(FerryTables.COMMIT, FerryTables.HEARTBEAT,
            FerryTables.DDL, FerryTables.INDEX_SYNC, FerryTables.CONFLICT, FerryTables.HELD);
    private static final List<TableId> TARGET_ONLY_TABLES = List.of(FerryTables.COMMIT, FerryTables.DDL,
            FerryTables.HELD, FerryTables.CONFLICT);

    private TargetChecks() {}

    /** The SQL file with Ferry's tables for a kind of site. */
    static String schemaFile(SiteConfig site) {
        return Dialects.factory(site.url()).ferrySchemaFile();
    }

    static Result ferryTables(SiteConfig site, Connection c) throws SQLException {
        List<TableId> wanted = site.kind().hasBinlog() ? MYSQL_TABLES : TARGET_ONLY_TABLES;
        String sql = Dialects.factory(site.url()).ferryTablesQuery();
        Set<String> present = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                present.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        for (TableId t : wanted) {
            if (!present.contains(t.table())) {
                missing.add(t.toString());
            }
        }
        if (missing.isEmpty()) {
            return Result.ok(site.name(), "Ferry tables", wanted.size() + " tables in schema ferry");
        }
        return new Result(site.name(), "Ferry tables", Status.FAIL, "missing: " + String.join(", ", missing),
                "run 'ferry prepare --config <channel file>', or sql/" + schemaFile(site) + " there as an admin");
    }

    /** @param databases the databases Ferry writes at this site besides its own */
    static Result writeGrants(SiteConfig site, Connection c, Set<String> databases) throws SQLException {
        return switch (site.kind()) {
            case POSTGRESQL -> postgresGrants(site, c);
            case ORACLE -> new Result(site.name(), "write privileges", Status.WARN, "not checked for Oracle",
                    "see the Privileges section of docs/operations.md");
            default -> mySqlGrants(site, c, databases);
        };
    }

    /**
     * Whether this connection's account holds every privilege applying rows and DDL needs on each database, from
     * its global and database grants (privileges through roles are not followed).
     */
    private static Result mySqlGrants(SiteConfig site, Connection c, Set<String> databases) throws SQLException {
        String account = Account.current(c);
        List<String> needed = List.of(Preflight.FERRY_SCHEMA_PRIVILEGES.split(", "));
        Set<String> global = privileges(c, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                + " WHERE GRANTEE IN (?, ?)", account, null);
        Set<String> all = new TreeSet<>(databases);
        all.add(FerryTables.SCHEMA);
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
                fixes.add("GRANT " + Preflight.FERRY_SCHEMA_PRIVILEGES + " ON `" + db.replace("`", "``") + "`.* TO "
                        + account + ";");
            }
        }
        if (lacking.isEmpty()) {
            return Result.ok(site.name(), "write privileges", Preflight.FERRY_SCHEMA_PRIVILEGES + " on "
                    + String.join(", ", all));
        }
        return new Result(site.name(), "write privileges", Status.FAIL, account + " lacks privileges on "
                + String.join(", ", lacking) + "; applying rows and DDL there needs " + Preflight.FERRY_SCHEMA_PRIVILEGES,
                "as an admin: " + String.join(" ", fixes));
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

    private static Result postgresGrants(SiteConfig site, Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rolsuper OR"
                + " has_database_privilege(current_database(), 'CREATE'), current_database() FROM pg_roles"
                + " WHERE rolname = current_user")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return Result.ok(site.name(), "write privileges", "may create schemas in " + rs.getString(2));
            }
            return new Result(site.name(), "write privileges", Status.FAIL, "user '" + site.user()
                    + "' may not create schemas in database " + rs.getString(2) + ", which Ferry needs for its own"
                    + " and the replicated schemas", "as an admin: GRANT CREATE ON DATABASE \"" + rs.getString(2)
                    + "\" TO \"" + site.user() + "\";");
        }
    }
}
