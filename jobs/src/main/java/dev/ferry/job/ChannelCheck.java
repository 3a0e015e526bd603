package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.check.Verdict;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ferry check}: every check of every site of a channel, read-only, each with its fix. Unlike the
 * start-up check, it goes on after a failure, so that one run shows everything that is wrong.
 */
public final class ChannelCheck {
    /** The outcome of one check. */
    public enum Status { OK, WARN, FAIL }

    /** One check at one site: its outcome, what it saw, and the fix if it did not pass. */
    public record Result(String site, String check, Status status, String detail, String fix) {
        static Result ok(String site, String check, String detail) {
            return new Result(site, check, Status.OK, detail, null);
        }

        /** A database's verdict ({@link Verdict}), which has the same three outcomes, at this site. */
        static Result of(String site, String check, Verdict v) {
            return new Result(site, check, Status.valueOf(v.status().name()), v.detail(), v.fix());
        }

        static Result of(String site, String check, Optional<Finding> finding, String okDetail) {
            return finding.map(f -> new Result(site, check, Status.FAIL, f.problem(), f.fix()))
                    .orElseGet(() -> ok(site, check, okDetail));
        }
    }

    private static final int ER_NO_SUCH_TABLE = 1146;

    private final ChannelConfig config;
    private final List<Result> results = new ArrayList<>();
    /** The server_id of every reachable MySQL site, for the uniqueness checks. */
    private final Map<String, Long> serverIds = new HashMap<>();
    /** The included tables of every reachable source, for the checks of the PostgreSQL targets they feed. */
    private final Map<String, List<TableId>> includedAt = new HashMap<>();

    private ChannelCheck(ChannelConfig config) {
        this.config = config;
    }

    public static List<Result> run(ChannelConfig config) {
        ChannelCheck check = new ChannelCheck(config);
        // sources first: a target's checks need the tables its sources include
        config.sites().values().stream().sorted(Comparator.comparing(s -> !check.isSource(s))).forEach(check::site);
        check.serverIdsAreUnique();
        check.rowsOnlyAtOtherSites();
        return List.copyOf(check.results);
    }

    /** True if no check failed. */
    public static boolean passed(List<Result> results) {
        return results.stream().noneMatch(r -> r.status() == Status.FAIL);
    }

    private void site(SiteConfig site) {
        String name = site.name();
        try (Connection c = Endpoints.of(site).connect()) {
            results.add(Result.ok(name, "connect", site.kind().displayName() + " "
                    + c.getMetaData().getDatabaseProductVersion() + " at " + site.host() + ":" + site.port()));
            SourceChecks.Included included = site.kind().hasBinlog() ? SourceChecks.includedTables(config, c) : null;
            if (isSource(site)) {
                source(site, c, included);
            }
            if (isTarget(site)) {
                results.add(TargetChecks.writeGrants(site, c, databasesInto(site, included)));
                triggers(site, c, included == null ? tablesInto(site) : included.tables());
            }
            results.add(TargetChecks.ferryTables(site, c));
        } catch (FerryException e) {
            results.add(new Result(name, "connect", Status.FAIL, e.getMessage(), "see above"));
        } catch (SQLException e) {
            FerryException why = Preflight.unreachable(site, e);
            results.add(new Result(name, "connect", Status.FAIL, why.getMessage(), "see above"));
        }
    }

    /** As start-up refuses it (a channel split over two files); none while Ferry's tables are not there yet. */
    private Result splitChannel(DirectionConfig direction, Connection source) {
        String site = direction.from();
        String check = "arbitration " + direction.name();
        try {
            return Result.of(site, check, SplitChannelCheck.find(config, direction, source),
                    config.reverseDirection(direction) != null ? "two-way: " + direction.name() + " and its reverse in"
                            + " this file, and no other file of this channel applies into " + site
                            : "one-way; no other file of this channel applies into " + site);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return Result.ok(site, check, "no Ferry tables yet, so nothing of this channel runs into " + site);
            }
            return new Result(site, check, Status.WARN, "cannot read ferry.ferry_commit: " + e.getMessage(),
                    "grant the Ferry user SELECT on ferry.* ('ferry grants' prints it)");
        }
    }

    private void source(SiteConfig site, Connection c, SourceChecks.Included included) throws SQLException {
        String name = site.name();
        results.add(Result.of(name, "binlog", SourceChecks.binlog(site, c), "log_bin=ON, ROW, FULL"));
        results.add(Result.of(name, "privileges", SourceChecks.replicationGrants(site, c),
                "REPLICATION SLAVE, REPLICATION CLIENT, SELECT"));
        results.add(Result.of(name, "primary keys", SourceChecks.primaryKeys(site, included),
                included.tables().size() + " included table(s), each with a primary key"));
        includedAt.put(name, included.tables());
        CascadeCheck.Cascades cascades = CascadeCheck.read(c, included.tables());
        results.add(Result.of(name, "foreign keys", cascades.finding(site), cascades.summary()));
        if (copiesFrom(site)) {
            results.add(SourceChecks.initialCopyLosses(site, included.tables(), c)
                    .map(f -> new Result(name, "initial copy", Status.WARN, f.problem(), f.fix()))
                    .orElseGet(() -> Result.ok(name, "initial copy", "no FLOAT or TIME column whose values the copy would change")));
            results.add(Result.of(name, "copy", SourceChecks.invisibleColumns(site, included.tables(), c),
                    "no invisible column, which the initial copy could not read"));
        }
        results.add(SourceChecks.zeroDates(site, included.tables(), c)
                .map(f -> new Result(name, "dates", Status.WARN, f.problem(), f.fix()))
                .orElseGet(() -> Result.ok(name, "dates", "no zero date possible in a date column")));
        results.add(Result.of(name, "types", SourceChecks.unparseableColumns(site, included.tables(), c),
                "no VECTOR, UUID, INET4, INET6 or COMPRESSED column and no system-versioned table, which the binlog"
                        + " reader could not read"));
        for (DirectionConfig d : config.directions()) {
            if (d.from().equals(name)) {
                results.add(splitChannel(d, c));
            }
        }
        for (DirectionConfig d : config.directions()) {
            SiteConfig target = config.site(d.to());
            if (d.from().equals(name) && !target.kind().hasBinlog()) {
                results.add(Result.of(name, "types for " + target.name(), SourceChecks.spatialColumns(site, target,
                        included.tables(), c), "no spatial column, which " + target.kind().displayName()
                        + " could not hold"));
            }
        }
        if (included.tables().isEmpty()) {
            results.add(new Result(name, "tables", Status.WARN, "no table matches 'tables.include' "
                    + config.tableFilter().includePatterns() + " yet", "check 'tables.include'"));
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id, @@global.time_zone, @@system_time_zone,"
                        + " TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")) {
            rs.next();
            serverIds.put(name, rs.getLong(1));
            results.add(timeZone(site, rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
    }

    /** Triggers on these tables that would run on Ferry's writes. */
    private void triggers(SiteConfig site, Connection c, List<TableId> tables) throws SQLException {
        TargetChecks.triggers(site, c, tables).forEach(v -> results.add(Result.of(site.name(), "triggers", v)));
    }

    /** The tables the sources of this site's directions include, as far as they could be read. */
    private List<TableId> tablesInto(SiteConfig site) {
        Set<TableId> tables = new TreeSet<>();
        config.directions().stream().filter(d -> d.to().equals(site.name()))
                .forEach(d -> tables.addAll(includedAt.getOrDefault(d.from(), List.of())));
        return List.copyOf(tables);
    }

    /**
     * The databases Ferry writes at a target: those of the tables its sources (and, two-way, it) include, and those
     * the include expressions name, which Ferry creates if they are missing.
     */
    private Set<String> databasesInto(SiteConfig site, SourceChecks.Included own) {
        Set<String> databases = new TreeSet<>(config.tableFilter().literalDatabases());
        tablesInto(site).forEach(t -> databases.add(t.database()));
        if (own != null) {
            own.tables().forEach(t -> databases.add(t.database()));
        }
        return databases;
    }

    /**
     * Rows at a site that is not the seeding site, in a table that has more rows there than at the seeding site:
     * no direction copies them (only the seeding site's rows are copied, and only changes are streamed), so they
     * would never reach the other sites. Counted up to a bound, so that a large table costs little.
     */
    private void rowsOnlyAtOtherSites() {
        DirectionConfig first = config.directions().get(0);
        if (first.startup() != DirectionConfig.Startup.INITIAL || !includedAt.containsKey(first.from())) {
            return;
        }
        SiteConfig seed = config.site(first.from());
        for (SiteConfig site : config.sites().values()) {
            if (site == seed || !isSource(site) || !includedAt.containsKey(site.name())) {
                continue;
            }
            List<String> more = new ArrayList<>();
            try (Connection at = Endpoints.of(site).connect(); Connection atSeed = Endpoints.of(seed).connect()) {
                for (TableId t : includedAt.get(site.name())) {
                    long here = boundedCount(at, t);
                    long there = here == 0 ? 0 : boundedCount(atSeed, t);
                    if (here > there) {
                        more.add(t + " (" + here + " row(s) here, " + there + " at '" + seed.name() + "')");
                    }
                }
            } catch (SQLException e) {
                results.add(new Result(site.name(), "rows only here", Status.WARN, "could not compare the row counts"
                        + " with site '" + seed.name() + "': " + e.getMessage(), "make both sites readable to"
                        + " Ferry's user and run check again"));
                continue;
            }
            results.add(more.isEmpty()
                    ? Result.ok(site.name(), "rows only here", "no table with more rows than at seeding site '"
                            + seed.name() + "'")
                    : new Result(site.name(), "rows only here", Status.WARN, "more rows than at seeding site '"
                            + seed.name() + "': " + String.join(", ", more) + "; only '" + seed.name() + "''s rows"
                            + " are copied, so rows that exist only here never reach the other sites",
                            "before the first start, copy those rows to '" + seed.name() + "' (or delete them here);"
                            + " 'ferry verify' lists the keys that differ"));
        }
    }

    private static final long COUNT_BOUND = 1_000_000;

    /** The table's rows, counted up to just over {@link #COUNT_BOUND}; 0 if the table does not exist. */
    private static long boundedCount(Connection c, TableId t) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM (SELECT 1 FROM "
                + Preflight.quote(t) + " LIMIT " + (COUNT_BOUND + 1) + ") x")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return 0;
            }
            throw e;
        }
    }

    /** Whether a direction from this site starts with an initial copy. */
    private boolean copiesFrom(SiteConfig site) {
        return config.directions().stream()
                .anyMatch(d -> d.from().equals(site.name()) && d.startup() == DirectionConfig.Startup.INITIAL);
    }

    /** The zone TIMESTAMP values are read in; a zone with daylight saving time needs an explicit setting. */
    private Result timeZone(SiteConfig site, String zone, String system, long offsetSeconds) {
        String offset = ServerTimeZone.offset(Math.round(offsetSeconds / 60.0) * 60);
        String detail = "time_zone=" + zone + (zone.equalsIgnoreCase("SYSTEM") ? " (" + system + ")" : "")
                + ", now " + offset;
        if (site.timeZone() != null) {
            return Result.ok(site.name(), "time zone", detail + "; configured: " + site.timeZone());
        }
        if (zone.equalsIgnoreCase("SYSTEM") && !system.matches("UTC|GMT|[+-]\\d\\d:?\\d\\d")) {
            return new Result(site.name(), "time zone", Status.WARN, detail + "; Ferry uses the current offset "
                    + offset + ", which is wrong after a daylight-saving change", "set 'sites." + site.name()
                    + ".time-zone' to the server's zone (e.g. \"Asia/Shanghai\"), or the server's time_zone to an"
                    + " offset");
        }
        return Result.ok(site.name(), "time zone", detail);
    }

    /** Every MySQL site has its own server_id, and no direction reads a binlog with one of them. */
    private void serverIdsAreUnique() {
        Map<Long, String> seen = new HashMap<>();
        for (Map.Entry<String, Long> e : serverIds.entrySet()) {
            String other = seen.putIfAbsent(e.getValue(), e.getKey());
            if (e.getValue() == 0 || other != null) {
                results.add(new Result(e.getKey(), "server_id", Status.FAIL, "server_id=" + e.getValue()
                        + (other != null ? ", the same as site '" + other + "'" : ", so it cannot have replicas"),
                        "give every server its own server_id in my.cnf ([mysqld] server_id=<n>) and restart"));
            }
        }
        for (DirectionConfig d : config.directions()) {
            Set<Long> clashes = new TreeSet<>();
            for (long id : serverIds.values()) {
                if (id >= d.serverIdStart() && id <= d.serverIdEnd()) {
                    clashes.add(id);
                }
            }
            results.add(clashes.isEmpty()
                    ? Result.ok(d.from(), "replica server ids", d.name() + " reads with " + d.serverIdRange())
                    : new Result(d.from(), "replica server ids", Status.FAIL, d.name() + " reads with server ids "
                            + d.serverIdRange() + ", which includes the server_id of a site: " + clashes,
                            "set 'sites." + d.from() + ".server-id' to a range no server uses"));
        }
    }

    private boolean isSource(SiteConfig site) {
        return config.directions().stream().anyMatch(d -> d.from().equals(site.name()));
    }

    private boolean isTarget(SiteConfig site) {
        return config.directions().stream().anyMatch(d -> d.to().equals(site.name()));
    }

    /** Lower-case name of a status for the report. */
    static String label(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
