package dev.ferry.dialect;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;

/**
 * MySQL and MariaDB. Temporal values are bound as text in the session's UTC time zone, so neither
 * the JVM's nor the server's time zone can shift them.
 */
public final class MySqlDialect extends AbstractDialect {
    private static final long serialVersionUID = 1L;
    /**
     * The session user variable that tells a guarded trigger ({@code IF @ferry_applying IS NULL THEN ... END IF})
     * a write is Ferry's: such a trigger already ran at the site where the row was first written.
     */
    public static final String APPLYING_VARIABLE = "@ferry_applying";
    /** Sets {@link #APPLYING_VARIABLE} on a session that writes replicated rows. */
    public static final String MARK_APPLYING = "SET " + APPLYING_VARIABLE + " = 1";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private final boolean rowAlias;

    /**
     * @param rowAlias use {@code INSERT ... AS new ... UPDATE c = new.c} (MySQL 8.0.19+) instead
     *     of the deprecated {@code VALUES(c)} that MariaDB still needs
     */
    public MySqlDialect(boolean rowAlias) {
        this.rowAlias = rowAlias;
    }

    /** Picks the upsert form from the server's version string. */
    public static MySqlDialect forServerVersion(String version) {
        if (version.contains("MariaDB")) {
            return new MySqlDialect(false);
        }
        String[] parts = version.split("[.-]");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        int patch = parts.length > 2 && parts[2].matches("\\d+") ? Integer.parseInt(parts[2]) : 0;
        boolean alias = major > 8 || (major == 8 && (minor > 0 || patch >= 19));
        return new MySqlDialect(alias);
    }

    @Override
    public String name() {
        return rowAlias ? "MySQL 8.0.19+" : "MySQL/MariaDB";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String upsert(TableId table, RowSchema schema) {
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner marks = new StringJoiner(", ");
        StringJoiner updates = new StringJoiner(", ");
        for (int i = 0; i < schema.size(); i++) {
            String c = quoteIdentifier(schema.column(i));
            columns.add(c);
            marks.add("?");
            if (!schema.isKey(i)) {
                updates.add(c + " = " + newValue(c));
            }
        }
        if (updates.length() == 0) {
            // every column is a key column: an existing row already is the wanted row. The value comes from the new
            // row, as for other columns: next to MySQL's row alias a bare `first` is ambiguous (error 1052)
            String first = quoteIdentifier(schema.column(schema.keyIndexes()[0]));
            updates.add(first + " = " + newValue(first));
        }
        return "INSERT INTO " + quoteTable(table) + " (" + columns + ") VALUES (" + marks + ")"
                + (rowAlias ? " AS `new`" : "") + " ON DUPLICATE KEY UPDATE " + updates;
    }

    private String newValue(String quotedColumn) {
        return rowAlias ? "`new`." + quotedColumn : "VALUES(" + quotedColumn + ")";
    }

    @Override
    public String nullSafeEquals(String quotedColumn, ColumnInfo column, String value) {
        if (column.isText()) {
            // byte for byte in the column's own character set: a case-insensitive collation must not hide a change
            return "CAST(" + quotedColumn + " AS BINARY) <=> CAST(CONVERT(" + value + " USING " + column.charset()
                    + ") AS BINARY)";
        }
        return switch (column.dataType()) {
            // MySQL's JSON compares by value; MariaDB's JSON is LONGTEXT and takes the text branch above
            case "json" -> quotedColumn + " <=> CAST(" + value + " AS JSON)";
            // the binlog may strip BINARY(n)'s trailing zero bytes; the cast pads them back
            case "binary" -> quotedColumn + " <=> CAST(" + value + " AS BINARY(" + column.length() + "))";
            // as TIME values: compared with the bare text, MySQL 9.7 found negative TIMEs unequal to their own text
            case "time" -> quotedColumn + " <=> CAST(" + value + " AS TIME(6))";
            // BIT(1) arrives as a boolean, wider BIT as big-endian bytes
            case "bit" -> column.length() == 1 ? quotedColumn + " <=> " + value
                    : "CAST(" + quotedColumn + " AS BINARY) <=> " + value;
            default -> quotedColumn + " <=> " + value;
        };
    }

    /**
     * A FLOAT is bound as the exact double it holds. The driver would send the float's shortest text, which the
     * server reads as a double: "1.1" is not 1.1f in a comparison, and "3.4028235E38" (the largest float) is out
     * of a FLOAT column's range, which stopped the direction.
     */
    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof Float f) {
            ps.setDouble(index, f.doubleValue());
        } else {
            super.bind(ps, index, value);
        }
    }

    @Override
    public String lockConflictRow(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version) {
        String same = columnsEqual(compared);
        String order = version == null ? "NULL" : versionOrder("?", quoteIdentifier(version.name()));
        return "SELECT " + jsonObject(schema, "") + " AS " + PROBE_ROW + ", " + (compared.length == 0 ? "TRUE" : same)
                + " AS " + PROBE_FITS + ", " + order + " AS " + PROBE_ORDER + " FROM " + quoteTable(table) + " WHERE "
                + keyEquals(schema, "") + " FOR UPDATE";
    }

    /** 1 if {@code incoming} is newer than the stored {@code stored}, 0 if equal, -1 if older; NULL is older than any. */
    private static String versionOrder(String incoming, String stored) {
        return "CASE WHEN " + incoming + " IS NULL THEN IF(" + stored + " IS NULL, 0, -1) WHEN " + stored + " IS NULL OR "
                + incoming + " > " + stored + " THEN 1 WHEN " + incoming + " = " + stored + " THEN 0 ELSE -1 END";
    }

    private String jsonObject(RowSchema schema, String qualifier) {
        StringJoiner json = new StringJoiner(", ");
        for (int i = 0; i < schema.size(); i++) {
            json.add("'" + schema.column(i).replace("\\", "\\\\").replace("'", "''") + "', " + qualifier
                    + quoteIdentifier(schema.column(i)));
        }
        return "JSON_OBJECT(" + json + ")";
    }

    /**
     * {@code SELECT v.`i`, found, matches FROM (SELECT ? AS `i`, ? AS `k0`, ? AS `g0` UNION ALL SELECT ?, ?, ?
     * ...) AS v LEFT JOIN t ON t.k = v.`k0` FOR UPDATE}.
     */
    @Override
    public String probeRows(TableId table, RowSchema schema, ColumnInfo[] guards, int rows) {
        return "SELECT v.`i`, " + found(schema) + " AS " + PROBE_FOUND + ", " + matches(guards) + " AS " + PROBE_FITS
                + " FROM " + boundRows(schema, guards, false, rows)
                + " LEFT JOIN " + quoteTable(table) + " AS t ON " + joinOnKey(schema) + " FOR UPDATE";
    }

    @Override
    public String lockConflictRows(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version,
            int rows) {
        String order = version == null ? "NULL" : versionOrder("v.`ver`", "t." + quoteIdentifier(version.name()));
        return "SELECT v.`i`, " + found(schema) + " AS " + PROBE_FOUND + ", " + jsonObject(schema, "t.") + " AS "
                + PROBE_ROW + ", " + matches(compared) + " AS " + PROBE_FITS + ", " + order + " AS " + PROBE_ORDER
                + " FROM " + boundRows(schema, compared, version != null, rows) + " LEFT JOIN "
                + quoteTable(table) + " AS t ON " + joinOnKey(schema) + " FOR UPDATE";
    }

    /** The bound values as a derived table {@code v}: per row {@code i}, the key, the compared columns, the version. */
    private static String boundRows(RowSchema schema, ColumnInfo[] compared, boolean version, int rows) {
        StringJoiner first = new StringJoiner(", ", "SELECT ", "");
        StringJoiner more = new StringJoiner(", ", "SELECT ", "");
        first.add("? AS `i`");
        more.add("?");
        for (int k = 0; k < schema.keyIndexes().length; k++) {
            first.add("? AS `k" + k + "`");
            more.add("?");
        }
        for (int g = 0; g < compared.length; g++) {
            first.add("? AS `g" + g + "`");
            more.add("?");
        }
        if (version) {
            first.add("? AS `ver`");
            more.add("?");
        }
        StringJoiner values = new StringJoiner(" UNION ALL ", "(", ") AS v");
        values.add(first.toString());
        for (int r = 1; r < rows; r++) {
            values.add(more.toString());
        }
        return values.toString();
    }

    private String joinOnKey(RowSchema schema) {
        int[] keys = schema.keyIndexes();
        StringJoiner join = new StringJoiner(" AND ");
        for (int k = 0; k < keys.length; k++) {
            join.add("t." + quoteIdentifier(schema.column(keys[k])) + " = v.`k" + k + "`");
        }
        return join.toString();
    }

    private String found(RowSchema schema) {
        return "t." + quoteIdentifier(schema.column(schema.keyIndexes()[0])) + " IS NOT NULL";
    }

    private String matches(ColumnInfo[] compared) {
        StringBuilder matches = new StringBuilder("TRUE");
        for (int g = 0; g < compared.length; g++) {
            matches.append(" AND ").append(nullSafeEquals("t." + quoteIdentifier(compared[g].name()), compared[g],
                    "v.`g" + g + "`"));
        }
        return matches.toString();
    }

    @Override
    public List<String> sessionSetup() {
        return List.of(
                "SET time_zone = '+00:00'",
                // replicate id 0 as 0, refuse to truncate silently
                "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
                // rows arrive in source commit order; the source already enforced its foreign keys
                "SET foreign_key_checks = 0",
                // guarded triggers (IF @ferry_applying IS NULL THEN ...) skip Ferry's writes: they ran at the origin
                MARK_APPLYING,
                "SET NAMES utf8mb4");
    }

    @Override
    public boolean applyIgnoresForeignKeys() {
        return true; // foreign_key_checks = 0 in sessionSetup
    }

    /** Temporal values as text in the session's UTC time zone: neither JVM nor server zone can shift them. */
    @Override
    protected void bindDate(PreparedStatement ps, int index, LocalDate d) throws SQLException {
        ps.setString(index, d.toString());
    }

    @Override
    protected void bindDateTime(PreparedStatement ps, int index, LocalDateTime t) throws SQLException {
        ps.setString(index, DATETIME.format(t));
    }

    @Override
    protected void bindInstant(PreparedStatement ps, int index, Instant i) throws SQLException {
        ps.setString(index, DATETIME.format(i.atOffset(ZoneOffset.UTC)));
    }

    @Override
    protected void bindTime(PreparedStatement ps, int index, MysqlTime t) throws SQLException {
        ps.setString(index, t.toSqlLiteral());
    }
}
