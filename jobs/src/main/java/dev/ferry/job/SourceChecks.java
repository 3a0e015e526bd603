package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.SiteConfig;
import dev.ferry.dialect.check.MySqlAccount;
import dev.ferry.loop.FerryTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a site must offer to be read by Ferry: a ROW/FULL binlog, the replication privileges, and a
 * primary key on every included table. Read-only; shared by the start-up check and {@code ferry check}.
 */
public final class SourceChecks {
    private SourceChecks() {}

    /** The tables of a site that the channel includes, and those of them without a primary key. */
    public record Included(List<TableId> tables, List<TableId> withoutKey) {}

    public static Optional<Finding> binlog(SiteConfig site, Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
            rs.next();
            String where = "Site '" + site.name() + "'";
            if (!rs.getBoolean(1)) {
                return Optional.of(new Finding(where + " has no binary log (log_bin=OFF), so Ferry cannot read its"
                        + " changes.", "add 'log_bin=binlog' and 'server_id=<unique number>' to [mysqld] in my.cnf and"
                        + " restart."));
            }
            if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
                return Optional.of(new Finding(where + " writes its binlog with binlog_format=" + rs.getString(2)
                        + "; Ferry needs ROW to see every row change.", "SET PERSIST binlog_format='ROW'"
                        + " (MariaDB: SET GLOBAL) and 'binlog_format=ROW' in my.cnf."));
            }
            if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
                return Optional.of(new Finding(where + " has binlog_row_image=" + rs.getString(3)
                        + "; Ferry needs FULL to apply updates exactly.", "SET PERSIST binlog_row_image='FULL'"
                        + " (MariaDB: SET GLOBAL) and 'binlog_row_image=FULL' in my.cnf."));
            }
        }
        return compressedBinlog(site, c);
    }

    /**
     * The binlog reader inside Flink CDC 3.5.0 does not know compressed events (MySQL's transaction payloads,
     * MariaDB's compressed row and query events) and skips them without a word: their rows would never replicate
     * (Maxwell met the same with this library, zendesk/maxwell#2254).
     */
    static Optional<Finding> compressedBinlog(SiteConfig site, Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE"
                + " Variable_name IN ('binlog_transaction_compression', 'log_bin_compress')")) {
            while (rs.next()) {
                if ("ON".equalsIgnoreCase(rs.getString(2)) || "1".equals(rs.getString(2))) {
                    String variable = rs.getString(1).toLowerCase(Locale.ROOT);
                    return Optional.of(new Finding("Site '" + site.name() + "' compresses its binlog (" + variable
                            + "=ON). Ferry's binlog reader (Flink CDC 3.5.0) cannot read compressed events and would"
                            + " skip their rows without a trace.", "SET PERSIST " + variable + "=OFF"
                            + " (MariaDB: SET GLOBAL) and '" + variable + "=OFF' in my.cnf; rows written while it was"
                            + " on must be copied again (ferry verify --repair)."));
                }
            }
        }
        return Optional.empty();
    }

    public static Optional<Finding> replicationGrants(SiteConfig site, Connection c) throws SQLException {
        String g = globalGrants(c);
        boolean all = g.contains("ALL PRIVILEGES");
        List<String> missing = new ArrayList<>();
        if (!all && !g.contains("REPLICATION SLAVE") && !g.contains("REPLICATION REPLICA")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!all && !g.contains("REPLICATION CLIENT") && !g.contains("BINLOG MONITOR") && !g.contains("SUPER")) {
            missing.add("REPLICATION CLIENT");
        }
        if (!all && !g.contains("SELECT")) {
            missing.add("SELECT");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("User '" + site.user() + "' at site '" + site.name() + "' lacks "
                + String.join(", ", missing) + ", which reading the binlog needs.", "as an admin: GRANT "
                + String.join(", ", missing) + " ON *.* TO " + MySqlAccount.current(c) + ";"));
    }

    /** The user's grants on {@code *.*}, upper case, one per line. */
    static String globalGrants(Connection c) throws SQLException {
        StringBuilder grants = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                String g = rs.getString(1).toUpperCase(Locale.ROOT);
                if (g.contains(" ON *.* ")) {
                    grants.append(g).append('\n');
                }
            }
        }
        return grants.toString();
    }

    public static Included includedTables(ChannelConfig config, Connection c) throws SQLException {
        String system = " NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema', '" + FerryTables.SCHEMA
                + "')";
        // STATISTICS, not TABLE_CONSTRAINTS: MariaDB hides the constraints from a user with only SELECT on *.*
        // (the grant Ferry asks for), which made every table look keyless
        Set<TableId> keyed = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT TABLE_SCHEMA,"
                + " TABLE_NAME FROM information_schema.STATISTICS WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA"
                + system)) {
            while (rs.next()) {
                keyed.add(new TableId(rs.getString(1), rs.getString(2)));
            }
        }
        List<TableId> tables = new ArrayList<>();
        List<TableId> withoutKey = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM"
                + " information_schema.TABLES WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND TABLE_SCHEMA"
                + system)) { // MariaDB's system-versioned tables are tables with rows too
            while (rs.next()) {
                TableId t = new TableId(rs.getString(1), rs.getString(2));
                if (config.tableFilter().includes(t.database(), t.table())) {
                    tables.add(t);
                    if (!keyed.contains(t)) {
                        withoutKey.add(t);
                    }
                }
            }
        }
        return new Included(tables, withoutKey);
    }

    public static Optional<Finding> primaryKeys(SiteConfig site, Included included) {
        if (included.withoutKey().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("Table(s) without a primary key at site '" + site.name() + "': "
                + included.withoutKey() + ". Ferry needs a primary key to apply each change exactly once.",
                "add a primary key, or leave the table out with 'tables.exclude'."));
    }

    /**
     * Columns whose values the initial copy changes (Flink CDC 3.5.0 reads the copy as the server's text): FLOAT is
     * rounded to 6 significant digits, and a TIME between -01:00:00 and 00:00:00 loses its sign (its hours read
     * "-00"). Changes from the binlog stay exact. Known from the schema alone: no table is scanned.
     */
    public static Optional<Finding> initialCopyLosses(SiteConfig site, List<TableId> tables, Connection c)
            throws SQLException {
        List<String> floats = new ArrayList<>();
        List<String> times = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME,"
                + " COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE DATA_TYPE IN ('float', 'time')"
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
            while (rs.next()) {
                TableId t = new TableId(rs.getString(1), rs.getString(2));
                if (tables.contains(t)) {
                    ("float".equalsIgnoreCase(rs.getString(4)) ? floats : times).add(t + "." + rs.getString(3));
                }
            }
        }
        List<String> losses = new ArrayList<>();
        if (!floats.isEmpty()) {
            losses.add("FLOAT column(s) " + floats + ": the initial copy rounds their values to 6 significant digits");
        }
        if (!times.isEmpty()) {
            losses.add("TIME column(s) " + times + ": the initial copy drops the sign of a value between -01:00:00 and"
                    + " 00:00:00, if any holds one");
        }
        if (losses.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("At site '" + site.name() + "', " + String.join("; ", losses) + " (Flink CDC"
                + " 3.5.0 reads the copy as the server's text); changes from the binlog stay exact.", "once the initial"
                + " copy is done, run 'ferry verify --config <file> --repair --from " + site.name() + "' to copy the"
                + " exact values" + (floats.isEmpty() ? "." : ", or use DOUBLE for FLOAT.")));
    }

    /**
     * Date columns of the included tables at a source whose sql_mode lets rows hold zero dates ({@code 0000-00-00},
     * or a zero month or day): the initial copy reads such a value as NULL, or as 1970-01-01 in a NOT NULL column, so
     * it would arrive changed; from the binlog it holds its table (ZeroDateRows). Known from the schema and the
     * server's sql_mode alone: no table is scanned, so existing rows from before a stricter sql_mode are not looked at.
     */
    public static Optional<Finding> zeroDates(SiteConfig site, List<TableId> tables, Connection c) throws SQLException {
        String mode;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.sql_mode")) {
            mode = rs.next() ? String.valueOf(rs.getString(1)).toUpperCase(Locale.ROOT) : "";
        }
        if (mode.contains("NO_ZERO_DATE") && mode.contains("NO_ZERO_IN_DATE") && mode.contains("STRICT_")) {
            return Optional.empty();
        }
        TypedColumns dates = TypedColumns.of("'date', 'datetime', 'timestamp'", tables, c);
        if (dates.columns().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("At site '" + site.name() + "', sql_mode '" + mode + "' lets rows hold zero dates"
                + " (0000-00-00, or a zero month or day) in " + dates.columns() + ": the initial copy of Flink CDC"
                + " 3.5.0 reads such a value as NULL, or as 1970-01-01 in a NOT NULL column, so it would arrive"
                + " changed; written while a direction runs, it holds its table until corrected.",
                "add NO_ZERO_DATE,NO_ZERO_IN_DATE and a strict mode to sql_mode at '" + site.name()
                + "' (SET PERSIST sql_mode = ...; MariaDB: my.cnf) and correct any zero dates the rows hold (find them"
                + " with WHERE <column> < '0001-01-01' OR MONTH(<column>) = 0 OR DAY(<column>) = 0)."));
    }

    /** MySQL's spatial types (information_schema DATA_TYPE), which no PostgreSQL or Oracle type holds exactly. */
    private static final String SPATIAL_TYPES = "'geometry', 'point', 'linestring', 'polygon', 'multipoint',"
            + " 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection'";

    /**
     * Spatial columns of the included tables, refused toward a PostgreSQL or Oracle target: Ferry carries them as
     * MySQL's own SRID + WKB bytes, which only MySQL and MariaDB targets read back as the same value.
     */
    public static Optional<Finding> spatialColumns(SiteConfig source, SiteConfig target, List<TableId> tables,
            Connection c) throws SQLException {
        TypedColumns spatial = TypedColumns.of(SPATIAL_TYPES, tables, c);
        if (spatial.columns().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("Spatial column(s) at site '" + source.name() + "' " + spatial.columns()
                + " cannot be replicated to " + target.kind().displayName() + " site '" + target.name() + "': Ferry"
                + " carries spatial values exactly (SRID and WKB) between MySQL and MariaDB sites only.", "leave these"
                + " tables out of the channel with " + spatial.excludeLine() + ", or replicate them in a channel between"
                + " MySQL/MariaDB sites."));
    }

    /**
     * Columns of the included tables whose type the Debezium inside Flink CDC 3.5.0 cannot parse: MySQL 9's VECTOR,
     * MariaDB's UUID, INET4 and INET6. It knows no schema for such a table, so the direction would stop at its first
     * row (see cdc-compat, TableSchemaGuard). Tables outside the channel may hold them (see TableMapTypes).
     */
    public static Optional<Finding> unparseableColumns(SiteConfig source, List<TableId> tables, Connection c)
            throws SQLException {
        // MariaDB shows a COMPRESSED column's attribute in COLUMN_TYPE, and a system-versioned table in TABLE_TYPE
        TypedColumns unparseable = TypedColumns.where("LOWER(DATA_TYPE) IN ('vector', 'uuid', 'inet4', 'inet6')"
                + " OR LOWER(COLUMN_TYPE) LIKE '%compressed%'", "CASE WHEN LOWER(COLUMN_TYPE) LIKE '%compressed%'"
                + " THEN 'compressed' ELSE DATA_TYPE END", "UNION ALL SELECT TABLE_SCHEMA, TABLE_NAME, NULL,"
                + " 'system versioning', 0 FROM information_schema.TABLES WHERE TABLE_TYPE = 'SYSTEM VERSIONED'", tables,
                c);
        if (unparseable.columns().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("column(s) or table(s) at site '" + source.name() + "' " + unparseable.columns()
                + " cannot be replicated: the binlog reader inside Flink CDC 3.5.0 (Debezium 1.9.8) cannot parse a"
                + " table with a VECTOR, UUID, INET4, INET6 or COMPRESSED column or with system versioning, so it would"
                + " stop the direction at its first row.",
                "leave these tables out of the channel with " + unparseable.excludeLine() + " (tables outside the"
                + " channel may hold such columns), or change the columns' types at the source."));
    }

    /**
     * Invisible columns of the included tables (MySQL 8.0.23+, MariaDB 10.3+; also MySQL's generated invisible primary
     * key {@code my_row_id}). The initial copy of Flink CDC 3.5.0 reads a table with {@code SELECT *}, which leaves them
     * out while its schema has them: each of its rows fails ("Data row is smaller than a column index") and the copy
     * restarts in a loop. The binlog carries them, so a direction past its copy reads them.
     */
    public static Optional<Finding> invisibleColumns(SiteConfig source, List<TableId> tables, Connection c)
            throws SQLException {
        TypedColumns invisible = TypedColumns.where("UPPER(EXTRA) LIKE '%INVISIBLE%'", "'invisible'", "", tables, c);
        if (invisible.columns().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding("column(s) at site '" + source.name() + "' " + invisible.columns() + " cannot be"
                + " copied: the initial copy inside Flink CDC 3.5.0 reads rows with SELECT *, which leaves invisible"
                + " columns out, so it would fail at every row of these tables.",
                "make the columns visible for the copy (MySQL: ALTER TABLE ... ALTER COLUMN ... SET VISIBLE; MariaDB:"
                + " ALTER TABLE ... MODIFY the column without INVISIBLE), or leave these tables out with "
                + invisible.excludeLine() + ", or start with 'startup: latest' and bring their rows over with 'ferry"
                + " verify --repair'."));
    }

    /** Columns of the included tables with one of some types, and the 'tables.exclude' line that leaves them out. */
    private record TypedColumns(List<String> columns, List<String> excludes) {
        /** @param types the lower-case {@code DATA_TYPE}s, quoted and comma-separated for SQL */
        static TypedColumns of(String types, List<TableId> tables, Connection c) throws SQLException {
            return where("LOWER(DATA_TYPE) IN (" + types + ")", "DATA_TYPE", "", tables, c);
        }

        /**
         * Columns of information_schema.COLUMNS that meet {@code condition}, named with what {@code label} says, and
         * the rows of {@code union} (schema, table, NULL for a whole table, label, 0), in table and column order.
         */
        static TypedColumns where(String condition, String label, String union, List<TableId> tables, Connection c)
                throws SQLException {
            List<String> columns = new ArrayList<>();
            List<String> excludes = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME,"
                    + " COLUMN_NAME, " + label + ", ORDINAL_POSITION FROM information_schema.COLUMNS WHERE " + condition
                    + " " + union + " ORDER BY 1, 2, 5")) {
                while (rs.next()) {
                    TableId t = new TableId(rs.getString(1), rs.getString(2));
                    if (tables.contains(t)) {
                        columns.add(t + (rs.getString(3) == null ? "" : "." + rs.getString(3)) + " ("
                                + rs.getString(4).toUpperCase(Locale.ROOT) + ")");
                        String exclude = "'" + t.toString().replaceAll("[\\\\.\\[\\]{}()*+?^$|]", "\\\\$0") + "'";
                        if (!excludes.contains(exclude)) {
                            excludes.add(exclude);
                        }
                    }
                }
            }
            return new TypedColumns(columns, excludes);
        }

        String excludeLine() {
            return "'tables.exclude: [" + String.join(", ", excludes) + "]'";
        }
    }
}
