package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.check.MySqlAccount;
import dev.ferry.dialect.check.MySqlGrants;
import dev.ferry.dialect.check.Verdict;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a direction's two sites before its job starts, so a misconfiguration is reported with
 * its fix instead of failing later inside Flink. Also creates Ferry's system tables where they
 * are missing, and target tables (from the source's definition) where they are missing.
 */
public final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final int ER_DBACCESS_DENIED = 1044;
    private static final int ER_TABLEACCESS_DENIED = 1142;
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

    private Preflight() {}

    /** Checks a direction that starts afresh (see {@link #check(ChannelConfig, DirectionConfig, boolean)}). */
    public static void check(ChannelConfig config, DirectionConfig direction) {
        check(config, direction, false);
    }

    /**
     * Checks a direction before its job starts, and prepares Ferry's tables. A direction that starts afresh also gets
     * the tables its target lacks, from their definitions at the source. One that resumes from a checkpoint or
     * savepoint does not: the binlog it resumes from carries the statements that made its tables since, and a table
     * made from the source's definition of now can contradict them (the soak caught a table created, filled and
     * dropped at the source just while a runner restarted: created at the target from the source, never dropped).
     */
    public static void check(ChannelConfig config, DirectionConfig direction, boolean resuming) {
        SiteConfig from = config.site(direction.from());
        SiteConfig to = config.site(direction.to());
        try (Connection source = connect(from); Connection target = connect(to)) {
            checkBinlog(from, source);
            ensureFerryTables(from, source);
            failOn(SplitChannelCheck.find(config, direction, source));
            List<TableId> tables = includedTables(config, from, source);
            failOn(CascadeCheck.read(source, tables).finding(from));
            failOn(SourceChecks.unparseableColumns(from, tables, source));
            SourceChecks.zeroDates(from, tables, source).ifPresent(f -> LOG.warn("{}: {} Fix: {}", direction.name(),
                    f.problem(), f.fix()));
            if (direction.startup() == DirectionConfig.Startup.INITIAL) {
                refuseBacktickColumns(direction, from, source, tables);
                if (!resuming) {
                    // one that resumes may be past its copy, and then reads invisible columns from the binlog
                    failOn(SourceChecks.invisibleColumns(from, tables, source));
                }
                SourceChecks.initialCopyLosses(from, tables, source).ifPresent(f -> LOG.warn("{}: {} Fix: {}",
                        direction.name(), f.problem(), f.fix()));
            }
            if (to.kind().hasBinlog()) {
                failOnTriggers(to, target, SourceChecks.includedTables(config, target).tables());
                ensureFerryTables(to, target);
                if (!resuming) {
                    createMissingTargetTables(from, source, to, target, tables);
                }
            } else {
                failOn(SourceChecks.spatialColumns(from, to, tables, source));
                TargetPreflight.prepare(from, source, to, target, tables);
            }
        } catch (SQLException e) {
            throw new FerryException(direction.name() + ": preflight failed: " + e.getMessage(), e);
        }
    }

    static Connection connect(SiteConfig site) {
        try {
            return Endpoints.of(site).connect();
        } catch (SQLException e) {
            throw unreachable(site, e);
        }
    }

    static FerryException unreachable(SiteConfig site, SQLException e) {
        String where = "site '" + site.name() + "' (" + site.user() + "@" + site.host() + ":" + site.port() + ")";
        if (Dialects.factory(site.url()).isAccessDenied(e)) {
            return new FerryException("Cannot log in to " + where + ": access denied for user '" + site.user()
                    + "'. Fix: check the password given by 'sites." + site.name() + ".password' or 'password-file',"
                    + " and that the user exists for this host (CREATE USER '" + site.user() + "'@'%' ...).", e);
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return new FerryException("Cannot reach " + where + ": " + firstLine(e.getMessage())
                    + ". Fix: check 'sites." + site.name() + ".url', that the server is running and that this"
                    + " machine may connect to that port.", e);
        }
        return new FerryException("Cannot use " + where + ": " + firstLine(e.getMessage()), e);
    }

    static void checkBinlog(SiteConfig site, Connection c) throws SQLException {
        failOn(SourceChecks.binlog(site, c));
        failOn(SourceChecks.replicationGrants(site, c));
    }

    static void failOn(Optional<Finding> finding) {
        finding.ifPresent(f -> {
            throw new FerryException(f.message());
        });
    }

    /** Fails if a trigger there would run on Ferry's writes; a trigger check's warning does not stop the start. */
    static void failOnTriggers(SiteConfig site, Connection c, Collection<TableId> tables) throws SQLException {
        List<String> failures = TargetChecks.triggers(site, c, tables).stream()
                .filter(v -> v.status() == Verdict.Status.FAIL).map(Verdict::message).toList();
        if (!failures.isEmpty()) {
            throw new FerryException(String.join(" ", failures));
        }
    }

    static void ensureFerryTables(SiteConfig site, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : FerryTables.schemaStatements()) {
                s.execute(sql);
            }
            addColumn(c, s, FerryTables.DDL, "manual_sql", "MEDIUMTEXT NULL");
            addColumn(c, s, FerryTables.COMMIT, "source_position", "VARCHAR(255) NULL");
        } catch (SQLException e) {
            int code = e.getErrorCode();
            if (code == ER_DBACCESS_DENIED || code == ER_TABLEACCESS_DENIED || code == ER_SPECIFIC_ACCESS_DENIED) {
                throw new FerryException("Cannot create Ferry's system tables at site '" + site.name() + "': "
                        + e.getMessage() + ". Fix: as an admin, GRANT " + MySqlGrants.FERRY_SCHEMA_PRIVILEGES
                        + " ON `ferry`.* TO " + MySqlAccount.current(c) + "; ('ferry grants --config <file>' prints"
                        + " every grant Ferry needs), then run this again.", e);
            }
            throw e;
        }
    }

    /**
     * Columns that came after their table (ferry_ddl.manual_sql: an operator's SQL for a held table;
     * ferry_commit.source_position: what the other direction has seen): an older installation gets them here, as
     * CREATE TABLE IF NOT EXISTS leaves an existing table as it is.
     */
    private static void addColumn(Connection c, Statement s, TableId table, String column, String definition)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE `" + table.database() + "`.`" + table.table() + "` ADD COLUMN `" + column + "` "
                + definition);
    }

    /** The source's tables that the channel includes; refuses tables without a primary key. */
    static List<TableId> includedTables(ChannelConfig config, SiteConfig site, Connection c) throws SQLException {
        SourceChecks.Included included = SourceChecks.includedTables(config, c);
        failOn(SourceChecks.primaryKeys(site, included));
        if (included.tables().isEmpty()) {
            LOG.warn("No table at site '{}' matches 'tables.include' {} yet", site.name(),
                    config.tableFilter().includePatterns());
        }
        return included.tables();
    }

    /**
     * Flink CDC 3.5.0's snapshot reader cannot read a column whose name contains a backtick (it
     * fails with "Column ... not found in result set"); the binlog reader can.
     */
    private static void refuseBacktickColumns(DirectionConfig direction, SiteConfig site, Connection c,
            List<TableId> tables) throws SQLException {
        List<String> bad = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM"
                + " information_schema.COLUMNS WHERE COLUMN_NAME LIKE '%`%'")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableId t = new TableId(rs.getString(1), rs.getString(2));
                    if (tables.contains(t)) {
                        bad.add(t + "." + rs.getString(3));
                    }
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new FerryException(direction.name() + ": column(s) " + bad + " at site '" + site.name() + "' have a"
                    + " backtick in their name, which the initial snapshot (Flink CDC 3.5.0) cannot read. Fix: rename"
                    + " the column, or copy those tables to the target yourself and use 'startup: latest' for this"
                    + " direction (the binlog reader handles such names).");
        }
    }

    /**
     * Creates each included table the target lacks from the source's definition. Foreign key checks are off
     * meanwhile, as in a mysqldump restore: a table may then reference one that is created after it (tables come
     * in name order, and Sakila's {@code address} references {@code city}), or one in a cycle.
     */
    private static void createMissingTargetTables(SiteConfig from, Connection source, SiteConfig to,
            Connection target, List<TableId> tables) throws SQLException {
        try (Statement s = target.createStatement()) {
            s.execute("SET SESSION foreign_key_checks = 0");
        }
        try {
            createEachMissingTable(from, source, to, target, tables);
        } finally {
            try (Statement s = target.createStatement()) {
                s.execute("SET SESSION foreign_key_checks = 1");
            }
        }
    }

    private static void createEachMissingTable(SiteConfig from, Connection source, SiteConfig to,
            Connection target, List<TableId> tables) throws SQLException {
        for (TableId t : tables) {
            if (exists(target, t)) {
                continue;
            }
            String ddl;
            try (Statement s = source.createStatement();
                    ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + quote(t))) {
                rs.next();
                ddl = rs.getString(2);
            }
            try (Statement s = target.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + quote(t.database()));
                s.execute("USE " + quote(t.database()));
                s.execute(ddl);
            } catch (SQLException e) {
                throw new FerryException("Table " + t + " is missing at site '" + to.name() + "', and creating it from"
                        + " its definition at site '" + from.name() + "' failed: " + e.getMessage() + ". Fix: create"
                        + " the table at '" + to.name() + "' yourself, with the same columns and primary key.", e);
            }
            LOG.info("Created table {} at site '{}' from its definition at site '{}'", t, to.name(), from.name());
        }
    }

    private static boolean exists(Connection c, TableId t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.database());
            ps.setString(2, t.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String quote(TableId t) {
        return quote(t.database()) + "." + quote(t.table());
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
