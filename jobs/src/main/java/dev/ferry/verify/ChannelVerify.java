package dev.ferry.verify;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.job.Endpoints;
import dev.ferry.operators.Endpoint;
import java.sql.DriverManager;
import java.util.Properties;
import dev.ferry.job.FerryException;
import dev.ferry.job.SourceChecks;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry verify}: every included table compared between each pair of sites that a direction connects,
 * while replication runs. Rows that differ are checked again after {@code settle} (longer than the lag), up to
 * three times, so that changes still in flight are not reported; what still differs is reported, and with
 * {@code repairFrom} rewritten from that site.
 */
public final class ChannelVerify {
    private static final int RECHECKS = 3;

    /** How to verify. {@code repairFrom} is a site name, or {@code null} to only report. */
    public record Options(String repairFrom, int chunkSize, Duration settle) {}

    /**
     * One table between two sites.
     *
     * @param differingKeys the keys still differing after the re-checks (after a repair: still differing after it)
     * @param settled rows that differed at first and were the same at a re-check: changes that were in flight
     * @param note why the table was not compared, or {@code null}
     */
    public record TableResult(String siteA, String siteB, TableId table, List<String> differingKeys, int settled,
            int repaired, String note) {}

    private final ChannelConfig config;
    private final Options options;
    private final ProgressBar progress;
    private final RepairStamp stamp;

    private ChannelVerify(ChannelConfig config, Options options, PrintStream progress) {
        this.config = config;
        this.options = options;
        this.progress = new ProgressBar(progress);
        this.stamp = new RepairStamp(config.channel(), System.currentTimeMillis());
    }

    public static List<TableResult> run(ChannelConfig config, Options options, PrintStream progress)
            throws InterruptedException {
        if (options.repairFrom() != null && !config.sites().containsKey(options.repairFrom())) {
            throw new FerryException("--from '" + options.repairFrom() + "' is not a site of channel '"
                    + config.channel() + "'. Fix: use one of " + config.sites().keySet() + ".");
        }
        if (options.repairFrom() != null && !config.site(options.repairFrom()).kind().hasBinlog()) {
            SiteConfig from = config.site(options.repairFrom());
            throw new FerryException("--from '" + from.name() + "': verify does not repair from " + from.kind()
                    .displayName() + " site '" + from.name() + "'. It is only ever a target, a copy of its MySQL or"
                    + " MariaDB source, so its rows are rewritten from that source, never the other way. Fix: --from "
                    + String.join(" or ", sourcesOf(config, from.name())) + ".");
        }
        ChannelVerify verify = new ChannelVerify(config, options, progress);
        List<TableResult> results = new ArrayList<>();
        for (List<SiteConfig> pair : pairs(config)) {
            results.addAll(verify.pair(pair.get(0), pair.get(1)));
        }
        return results;
    }

    /** The sites that a direction connects, each pair once, in the order the file lists the sites. */
    static List<List<SiteConfig>> pairs(ChannelConfig config) {
        List<String> order = new ArrayList<>(config.sites().keySet());
        Set<List<String>> seen = new LinkedHashSet<>();
        for (DirectionConfig d : config.directions()) {
            boolean fromFirst = order.indexOf(d.from()) < order.indexOf(d.to());
            seen.add(fromFirst ? List.of(d.from(), d.to()) : List.of(d.to(), d.from()));
        }
        return seen.stream().map(p -> List.of(config.site(p.get(0)), config.site(p.get(1)))).toList();
    }

    private List<TableResult> pair(SiteConfig siteA, SiteConfig siteB) throws InterruptedException {
        if (!siteA.kind().hasBinlog() && !siteB.kind().hasBinlog()) {
            return List.of(new TableResult(siteA.name(), siteB.name(), null, List.of(), 0, 0, "not compared: neither "
                    + siteA.name() + " nor " + siteB.name() + " is a MySQL or MariaDB site"));
        }
        if (!siteA.kind().hasBinlog() || !siteB.kind().hasBinlog()) {
            return crossPair(siteA, siteB);
        }
        List<TableResult> results = new ArrayList<>();
        try (Connection a = open(siteA); Connection b = open(siteB)) {
            for (TableId t : SourceChecks.includedTables(config, a).tables()) {
                results.add(table(siteA, siteB, a, b, t));
            }
        } catch (SQLException e) {
            throw new FerryException("verify " + siteA.name() + " ~ " + siteB.name() + " failed: " + e.getMessage(), e);
        }
        return results;
    }

    private TableResult table(SiteConfig siteA, SiteConfig siteB, Connection a, Connection b, TableId id)
            throws SQLException, InterruptedException {
        VerifiedTable table = VerifiedTable.read(a, id);
        VerifiedTable other = VerifiedTable.read(b, id);
        if (!table.columns.equals(other.columns) || !table.key.equals(other.key)) {
            return new TableResult(siteA.name(), siteB.name(), id, List.of(), 0, 0, "not compared: the columns differ ("
                    + siteA.name() + " " + table.columns + ", " + siteB.name() + " " + other.columns + ")");
        }
        TableComparison comparison = new TableComparison(table, a, b, options.chunkSize());
        boolean fromA = siteA.name().equals(options.repairFrom());
        Repair repair = fromA || siteB.name().equals(options.repairFrom())
                ? keys -> new RowRepair(fromA ? a : b, fromA ? b : a, stamp).repair(table, keys) : null;
        return compare(siteA, siteB, id, comparison, estimatedRows(a, id), repair);
    }

    /**
     * A MySQL or MariaDB source and a PostgreSQL or Oracle target: rows read and digested here, names as the
     * target's dialect spells them, repairs only toward the target.
     */
    private List<TableResult> crossPair(SiteConfig siteA, SiteConfig siteB) throws InterruptedException {
        SiteConfig sourceSite = siteA.kind().hasBinlog() ? siteA : siteB;
        SiteConfig targetSite = sourceSite == siteA ? siteB : siteA;
        List<TableResult> results = new ArrayList<>();
        try (Connection source = openCrossSource(sourceSite); Connection target = Endpoints.of(targetSite).connect()) {
            Dialect sourceDialect = Dialects.forUrl(sourceSite.url(), source.getMetaData().getDatabaseProductVersion());
            Dialect targetDialect = Dialects.forUrl(targetSite.url(), null, targetSite.identifiers());
            try (Statement s = target.createStatement()) {
                for (String sql : targetDialect.sessionSetup()) {
                    s.execute(sql);
                }
            }
            for (TableId id : SourceChecks.includedTables(config, source).tables()) {
                CrossTable table;
                try {
                    table = CrossTable.read(source, sourceDialect, target, targetDialect, id,
                            targetDialect.emptyIsNull(), targetSite.name());
                } catch (CrossTable.NotComparable e) {
                    results.add(new TableResult(siteA.name(), siteB.name(), id, List.of(), 0, 0, e.getMessage()));
                    continue;
                }
                Repair repair = sourceSite.name().equals(options.repairFrom())
                        ? keys -> new CrossRepair(source, target, targetDialect, stamp).repair(table, keys) : null;
                results.add(compare(siteA, siteB, id, new CrossComparison(table, source, target, options.chunkSize()),
                        2 * estimatedRows(source, id), repair));
            }
        } catch (SQLException e) {
            throw new FerryException("verify " + siteA.name() + " ~ " + siteB.name() + " failed: " + e.getMessage(), e);
        }
        return results;
    }

    /** Rewrites the rows with these keys at the other site from {@code --from}. */
    private interface Repair {
        void rows(List<Object[]> keys) throws SQLException;
    }

    /** Compares, re-checks what differs after the settle time, repairs if asked ({@code repair} non-null). */
    private TableResult compare(SiteConfig siteA, SiteConfig siteB, TableId id, Comparison comparison,
            long estimatedRows, Repair repair) throws SQLException, InterruptedException {
        String what = "verify " + siteA.name() + " ~ " + siteB.name() + " " + id;
        long expected = Math.max(1, (estimatedRows + options.chunkSize() - 1) / options.chunkSize());
        List<Object[]> differing = comparison.differingKeys(done -> progress.show(what, done, expected));
        int atFirst = differing.size();
        for (int round = 0; round < RECHECKS && !differing.isEmpty(); round++) {
            Thread.sleep(options.settle().toMillis()); // changes in flight arrive within the lag
            differing = comparison.stillDiffering(differing);
        }
        int settled = atFirst - differing.size();
        int repaired = 0;
        if (!differing.isEmpty() && repair != null) {
            repair.rows(differing);
            repaired = differing.size();
            differing = comparison.stillDiffering(differing);
        }
        List<String> keys = differing.stream().map(comparison::keyText).toList();
        progress.done(what + ": " + (keys.isEmpty() ? "same" : keys.size() + " row(s) differ")
                + (repaired > 0 ? ", " + repaired + " repaired from " + options.repairFrom() : ""));
        return new TableResult(siteA.name(), siteB.name(), id, keys, settled, repaired, null);
    }

    /** The sites that a direction to {@code target} comes from. */
    private static List<String> sourcesOf(ChannelConfig config, String target) {
        return config.directions().stream().filter(d -> d.to().equals(target)).map(DirectionConfig::from).distinct()
                .toList();
    }


    private static long estimatedRows(Connection c, TableId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * A MySQL or MariaDB connection in UTC that reads through server-side prepared statements: their binary
     * protocol carries FLOAT and DOUBLE as their exact bits (the text protocol prints FLOAT with 6 digits).
     */
    private static Connection openCrossSource(SiteConfig site) throws SQLException {
        Endpoint endpoint = Endpoints.of(site);
        Properties p = endpoint.jdbcProperties();
        p.setProperty("user", endpoint.user());
        p.setProperty("password", endpoint.revealPassword());
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("useServerPrepStmts", "true");
        p.setProperty("connectTimeout", "10000");
        Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), p);
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    /** A connection in UTC, so that TIMESTAMP columns read alike at sites in different zones. */
    private static Connection open(SiteConfig site) throws SQLException {
        Connection c = Endpoints.of(site).connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
        return c;
    }
}
