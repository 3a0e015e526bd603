package dev.ferry.verify;

import dev.ferry.common.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A MySQL table as verify reads it: its columns, its primary key, and the SQL that digests rows so that
 * two servers can compare them without moving the rows. Identifiers are quoted; key values are bound.
 */
final class VerifiedTable {
    final TableId id;
    final List<String> columns;
    final List<String> key;
    /** FLOAT columns: their text form has 6 digits only, so they are digested as the exact DOUBLE they hold. */
    private final Set<String> floats;

    VerifiedTable(TableId id, List<String> columns, List<String> key, Set<String> floats) {
        this.id = id;
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.floats = Set.copyOf(floats);
    }

    static VerifiedTable read(Connection c, TableId id) throws SQLException {
        List<String> columns = names(c, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", id);
        List<String> key = names(c, "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE"
                + " TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION", id);
        List<String> floats = names(c, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME = ? AND DATA_TYPE = 'float'", id);
        return new VerifiedTable(id, columns, key, new HashSet<>(floats));
    }

    private static List<String> names(Connection c, String sql, TableId id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static String q(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    String table() {
        return q(id.database()) + "." + q(id.table());
    }

    String keyList() {
        return String.join(", ", key.stream().map(VerifiedTable::q).toList());
    }

    /** {@code (k1, k2)} compared with as many parameters. */
    String keyRow(String operator) {
        return "(" + keyList() + ") " + operator + " (" + String.join(", ", key.stream().map(k -> "?").toList()) + ")";
    }

    /**
     * A 64-bit digest of the whole row: every column as the bytes of its text form, NULL marked apart
     * from any value. Text forms are the server's own, so two servers of one kind digest equal rows alike. SHA2,
     * not MD5: MySQL 9.7 as Debian builds it has neither MD5 nor SHA1 ("No database selected": it looks for a
     * stored function of that name).
     */
    String rowDigest() {
        List<String> parts = columns.stream()
                .map(c -> "IFNULL(HEX(CAST(" + exactValue(c) + " AS BINARY)), 'NULL')").toList();
        return "CAST(CONV(SUBSTRING(SHA2(CONCAT_WS('|', " + String.join(", ", parts) + "), 256), 1, 16), 16, 10)"
                + " AS UNSIGNED)";
    }

    /** A column's value with nothing lost in its text form: FLOAT widened to the DOUBLE it holds exactly. */
    private String exactValue(String column) {
        return floats.contains(column) ? q(column) + " + 0E0" : q(column);
    }

    /** Every column, named as in the table, each as {@link #exactValue}: for copying a row through its text. */
    String exactSelectList() {
        return String.join(", ", columns.stream().map(c -> exactValue(c) + " AS " + q(c)).toList());
    }

    /** Key and digest of each row in the range, in key order. */
    String chunkRows(boolean lower, boolean upper) {
        return "SELECT " + keyList() + ", " + rowDigest() + " FROM " + table() + range(lower, upper) + " ORDER BY "
                + keyList();
    }

    /**
     * The keys that end the next {@code count} chunks of {@code size} rows after {@code lower} (open if false), in
     * key order; fewer once the table ends. One round trip for many chunks.
     */
    String nextBoundaries(boolean lower, int size, int count) {
        String keys = keyList();
        return "SELECT " + keys + " FROM (SELECT " + keys + ", ROW_NUMBER() OVER (ORDER BY " + keys + ") AS ferry_row"
                + " FROM (SELECT " + keys + " FROM " + table() + (lower ? " WHERE " + keyRow(">") : "") + " ORDER BY "
                + keys + " LIMIT " + (long) size * count + ") AS ferry_keys) AS ferry_numbered WHERE ferry_row % " + size
                + " = 0 ORDER BY " + keys;
    }

    /**
     * Per chunk, its number, row count and XOR of row digests, computed at the server in one round trip: chunk
     * {@code i} holds the rows up to the {@code i}-th of {@code ends} bound keys (after the one before it, or after
     * {@code lower}); with {@code openEnd}, chunk {@code ends} holds every row after the last. Parameters: the
     * {@code ends} keys, then lower (if any), then the last end (unless open-ended). A chunk without rows has no
     * result row.
     */
    String chunkChecksums(boolean lower, int ends, boolean openEnd) {
        StringBuilder chunk = new StringBuilder(ends == 0 ? "0" : "CASE");
        for (int i = 0; i < ends; i++) {
            chunk.append(" WHEN ").append(keyRow("<=")).append(" THEN ").append(i);
        }
        if (ends > 0) {
            chunk.append(" ELSE ").append(ends).append(" END");
        }
        return "SELECT " + chunk + " AS ferry_chunk, COUNT(*), COALESCE(BIT_XOR(" + rowDigest() + "), 0) FROM "
                + table() + range(lower, !openEnd) + " GROUP BY ferry_chunk";
    }

    /** Key and digest of the rows with any of {@code count} keys (bound in order). */
    String rowsByKeys(int count) {
        String one = "(" + String.join(", ", key.stream().map(k -> "?").toList()) + ")";
        return "SELECT " + keyList() + ", " + rowDigest() + " FROM " + table() + " WHERE (" + keyList() + ") IN ("
                + String.join(", ", Collections.nCopies(count, one)) + ")";
    }

    private String range(boolean lower, boolean upper) {
        if (!lower && !upper) {
            return "";
        }
        return " WHERE " + (lower ? keyRow(">") : "") + (lower && upper ? " AND " : "") + (upper ? keyRow("<=") : "");
    }
}
