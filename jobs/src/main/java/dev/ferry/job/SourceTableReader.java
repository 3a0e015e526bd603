package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.SourceColumn;
import dev.ferry.dialect.schema.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MySQL or MariaDB table's definition from information_schema, in the same terms as Flink CDC's
 * structured schema changes (lengths as declared in COLUMN_TYPE), for creating it at a PostgreSQL or
 * Oracle target before the snapshot.
 */
final class SourceTableReader {
    private static final Pattern DECLARED = Pattern.compile("^[a-z ]+\\((\\d+)(?:,(\\d+))?\\)");
    private static final Pattern ENUM_VALUE = Pattern.compile("'((?:[^']|'')*)'");
    private static final String COLUMNS = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,"
            + " CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
            + " ORDER BY ORDINAL_POSITION";
    /** STATISTICS, which a user with SELECT sees (MariaDB hides KEY_COLUMN_USAGE from it; see SourceChecks). */
    private static final String KEY = "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";

    private SourceTableReader() {}

    static SourceTable read(Connection source, TableId table, boolean mariaDb) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(COLUMNS)) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(rs, mariaDb));
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(KEY)) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return new SourceTable(table, columns, key);
    }

    private static SourceColumn column(ResultSet rs, boolean mariaDb) throws SQLException {
        String dataType = rs.getString(2).toUpperCase(Locale.ROOT);
        String columnType = rs.getString(3).toLowerCase(Locale.ROOT);
        boolean nullable = "YES".equals(rs.getString(4));
        String rawDefault = rs.getString(5);
        String extra = rs.getString(6) == null ? "" : rs.getString(6).toLowerCase(Locale.ROOT);
        int length = -1;
        int scale = -1;
        List<String> values = new ArrayList<>();
        if (dataType.equals("ENUM") || dataType.equals("SET")) {
            Matcher v = ENUM_VALUE.matcher(rs.getString(3));
            while (v.find()) {
                values.add(v.group(1).replace("''", "'"));
            }
        } else {
            Matcher m = DECLARED.matcher(columnType);
            if (m.find()) {
                length = Integer.parseInt(m.group(1));
                scale = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            }
        }
        Default d = mariaDb ? mariaDbDefault(rawDefault) : mySqlDefault(rawDefault, extra);
        boolean hasDefault = d.present || nullable;
        return new SourceColumn(rs.getString(1), dataType, columnType.contains("unsigned"), length, scale, nullable,
                extra.contains("auto_increment"), hasDefault, d.value, d.expression, values, rs.getString(7));
    }

    private record Default(boolean present, String value, boolean expression) {}

    /** MySQL: the literal as text, NULL if none; DEFAULT_GENERATED marks an expression such as CURRENT_TIMESTAMP. */
    private static Default mySqlDefault(String raw, String extra) {
        if (raw == null) {
            return new Default(false, null, false);
        }
        return new Default(true, raw, extra.contains("default_generated"));
    }

    /** MariaDB 10.2+: string literals quoted, {@code NULL} for a NULL default, expressions as written. */
    private static Default mariaDbDefault(String raw) {
        if (raw == null || raw.equals("NULL")) {
            return new Default(raw != null, null, false);
        }
        if (raw.startsWith("'") && raw.endsWith("'") && raw.length() >= 2) {
            return new Default(true, raw.substring(1, raw.length() - 1).replace("''", "'").replace("\\\\", "\\"),
                    false);
        }
        boolean number = raw.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
        return new Default(true, raw, !number);
    }
}
