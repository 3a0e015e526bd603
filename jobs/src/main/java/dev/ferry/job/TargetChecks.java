package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.SiteConfig;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a site must offer to be written by Ferry: write privileges, and Ferry's own tables. Read-only. */
final class TargetChecks {
    private static final List<TableId> MYSQL_TABLES = List.of(FerryTables.COMMIT, FerryTables.HEARTBEAT,
            FerryTables.DDL, FerryTables.INDEX_SYNC, FerryTables.CONFLICT);
    private static final List<TableId> TARGET_ONLY_TABLES = List.of(FerryTables.COMMIT, FerryTables.DDL,
            FerryTables.HELD, FerryTables.CONFLICT);

    private TargetChecks() {}

    /** The SQL file with Ferry's tables for a kind of site. */
    static String schemaFile(SiteConfig site) {
        return switch (site.kind()) {
            case POSTGRESQL -> "ferry-schema-postgresql.sql";
            case ORACLE -> "ferry-schema-oracle.sql";
            default -> "ferry-schema.sql";
        };
    }

    static Result ferryTables(SiteConfig site, Connection c) throws SQLException {
        List<TableId> wanted = site.kind().hasBinlog() ? MYSQL_TABLES : TARGET_ONLY_TABLES;
        String sql = site.kind() == SiteConfig.Kind.ORACLE
                ? "SELECT LOWER(TABLE_NAME) FROM ALL_TABLES WHERE OWNER = 'FERRY'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ferry'";
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

    static Result writeGrants(SiteConfig site, Connection c) throws SQLException {
        return switch (site.kind()) {
            case POSTGRESQL -> postgresGrants(site, c);
            case ORACLE -> new Result(site.name(), "write privileges", Status.WARN, "not checked for Oracle",
                    "see the README's Privileges section");
            default -> mySqlGrants(site, c);
        };
    }

    private static Result mySqlGrants(SiteConfig site, Connection c) throws SQLException {
        boolean all = false;
        Set<String> found = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                String g = rs.getString(1).toUpperCase(Locale.ROOT);
                all |= g.contains("ALL PRIVILEGES");
                for (String p : List.of("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER")) {
                    if (g.contains(p)) {
                        found.add(p);
                    }
                }
            }
        }
        if (all || found.containsAll(List.of("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER"))) {
            return Result.ok(site.name(), "write privileges", all ? "ALL PRIVILEGES" : String.join(", ", found));
        }
        return new Result(site.name(), "write privileges", Status.FAIL, "user '" + site.user() + "' has "
                + (found.isEmpty() ? "no write privilege" : "only " + found) + "; applying rows and DDL needs"
                + " SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX", "as an admin, for each replicated"
                + " database and for ferry: GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `<db>`.*"
                + " TO '" + site.user() + "'@'%';");
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
