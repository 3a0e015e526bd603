package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.check.CheckedSite;
import dev.ferry.dialect.check.Verdict;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a site must offer to be written by Ferry: write privileges, no trigger that would run on its writes, and
 * Ferry's own tables. Each database's factory knows how to tell. Read-only.
 */
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
        return Result.of(site.name(), "write privileges", Dialects.factory(site.url()).writeGrants()
                .check(c, checked(site), databases));
    }

    /** Triggers on these tables that would run on Ferry's writes; a failure for each, else one other verdict. */
    static List<Verdict> triggers(SiteConfig site, Connection c, Collection<TableId> tables) throws SQLException {
        return Dialects.factory(site.url()).triggerCheck().check(c, checked(site), TargetPreflight.dialect(site, c),
                tables);
    }

    /** The site as the dialects' checks name it in their messages. */
    static CheckedSite checked(SiteConfig site) {
        return new CheckedSite(site.name(), site.user());
    }
}
