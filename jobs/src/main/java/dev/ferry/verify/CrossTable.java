package dev.ferry.verify;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.verify.CrossValues.Column;
import dev.ferry.verify.CrossValues.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One table at a MySQL source and at its PostgreSQL or Oracle target, read as Ferry values (see
 * {@link CrossValues}). Names at the target are the target dialect's (schema mapping, identifier case,
 * quoting); every value is bound, through the dialect of the side it is bound at. Rows are matched by their
 * canonical key, never by the servers' order or collation: a lookup that a case-insensitive source collation
 * answers with another spelling of the key does not count as that key.
 */
final class CrossTable {
    /** Keys per lookup statement (Oracle allows 1000 expressions in an IN list). */
    static final int LOOKUP_BATCH = 500;

    final TableId id;
    final List<Column> columns;
    final int[] keyIndexes;
    final List<Column> keyColumns;
    final RowSchema schema;
    final boolean emptyIsNull;
    private final Dialect source;
    private final Dialect target;

    private CrossTable(TableId id, List<Column> columns, int[] keyIndexes, Dialect source, Dialect target,
            boolean emptyIsNull) {
        this.id = id;
        this.columns = List.copyOf(columns);
        this.keyIndexes = keyIndexes.clone();
        List<Column> keys = new ArrayList<>();
        for (int k : keyIndexes) {
            keys.add(columns.get(k));
        }
        this.keyColumns = List.copyOf(keys);
        this.schema = new RowSchema(columns.stream().map(Column::name).toArray(String[]::new), keyIndexes);
        this.source = source;
        this.target = target;
        this.emptyIsNull = emptyIsNull;
    }

    /** The table, or the reason it cannot be compared ({@link NotComparable}). */
    static CrossTable read(Connection sourceConnection, Dialect source, Connection targetConnection, Dialect target,
            TableId id, boolean emptyIsNull, String targetSite) throws SQLException {
        List<Column> columns = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        try (PreparedStatement ps = sourceConnection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Kind kind = CrossValues.kindOf(rs.getString(2), rs.getString(3));
                    if (kind == null) {
                        unsupported.add(rs.getString(1) + " " + rs.getString(3).toUpperCase(Locale.ROOT));
                    }
                    columns.add(new Column(rs.getString(1), kind));
                }
            }
        }
        if (!unsupported.isEmpty()) {
            throw new NotComparable("not compared: column(s) " + unsupported + " have no comparable form at "
                    + target.name() + " (Ferry does not replicate such types)");
        }
        List<String> names = columns.stream().map(Column::name).toList();
        List<Integer> key = new ArrayList<>();
        try (PreparedStatement ps = sourceConnection.prepareStatement("SELECT COLUMN_NAME FROM"
                + " information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(names.indexOf(rs.getString(1)));
                }
            }
        }
        if (key.isEmpty()) {
            throw new NotComparable("not compared: the table has no primary key");
        }
        Set<String> atTarget = new HashSet<>();
        try (PreparedStatement ps = targetConnection.prepareStatement(target.columnInfoQuery())) {
            ps.setString(1, target.targetName(id.database()));
            ps.setString(2, target.targetName(id.table()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    atTarget.add(rs.getString(1));
                }
            }
        }
        Set<String> expected = new HashSet<>();
        for (String n : names) {
            expected.add(target.targetName(n));
        }
        if (atTarget.isEmpty()) {
            throw new NotComparable("not compared: the table " + target.quoteTable(id) + " is missing at " + targetSite);
        }
        if (!atTarget.equals(expected)) {
            throw new NotComparable("not compared: the columns differ (source " + expected + ", " + targetSite + " "
                    + atTarget + ")");
        }
        return new CrossTable(id, columns, key.stream().mapToInt(Integer::intValue).toArray(), source, target,
                emptyIsNull);
    }

    /** Why a table is not compared. */
    static final class NotComparable extends RuntimeException {
        NotComparable(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ rows

    Object[] keyOf(Object[] row) {
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[keyIndexes[i]];
        }
        return key;
    }

    /** The key as text that equal keys share whatever side they were read from. */
    String keyText(Object[] key) {
        StringJoiner j = new StringJoiner("\u0001");
        for (String c : CrossValues.canonical(key, keyColumns, false)) {
            j.add(String.valueOf(c));
        }
        return j.toString();
    }

    String digest(Object[] row) {
        return CrossValues.digest(CrossValues.canonical(row, columns, emptyIsNull));
    }

    /** The next {@code size} source rows after {@code after} (from the start if null), in the source's key order. */
    List<Object[]> sourceChunk(Connection c, Object[] after, int size) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(sourceList(columns)).append(" FROM ")
                .append(source.quoteTable(id));
        if (after != null) {
            sql.append(" WHERE (").append(names(source, keyColumns)).append(") > (")
                    .append(marks(keyColumns.size())).append(")");
        }
        sql.append(" ORDER BY ").append(names(source, keyColumns)).append(" LIMIT ").append(size);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            if (after != null) {
                bind(source, ps, 1, after);
            }
            return read(ps, columns, true);
        }
    }

    /**
     * The next {@code size} keys at the target after {@code after}, in the target's own key order (a keyset
     * condition spelled out, {@code k1 > ? OR (k1 = ? AND k2 > ?)}, which Oracle and PostgreSQL both accept).
     */
    List<Object[]> targetKeys(Connection c, Object[] after, int size) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(names(target, keyColumns)).append(" FROM ")
                .append(target.quoteTable(id));
        List<Object> params = new ArrayList<>();
        if (after != null) {
            StringJoiner or = new StringJoiner(" OR ");
            for (int k = 0; k < keyColumns.size(); k++) {
                StringJoiner and = new StringJoiner(" AND ", "(", ")");
                for (int e = 0; e < k; e++) {
                    and.add(target.quoteIdentifier(keyColumns.get(e).name()) + " = ?");
                    params.add(after[e]);
                }
                and.add(target.quoteIdentifier(keyColumns.get(k).name()) + " > ?");
                params.add(after[k]);
                or.add(and.toString());
            }
            sql.append(" WHERE ").append(or);
        }
        sql.append(" ORDER BY ").append(names(target, keyColumns)).append(" FETCH FIRST ").append(size)
                .append(" ROWS ONLY");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(target, ps, 1, params.toArray());
            return read(ps, keyColumns, false);
        }
    }

    /** Whole source rows with these keys, by key text. */
    Map<String, Object[]> sourceRows(Connection c, List<Object[]> keys) throws SQLException {
        return byKey(c, keys, true, columns, true);
    }

    /** Whole target rows with these keys, by key text. */
    Map<String, Object[]> targetRows(Connection c, List<Object[]> keys) throws SQLException {
        return byKey(c, keys, false, columns, true);
    }

    /** Which of these keys the source has, as key texts. */
    Set<String> sourceKeys(Connection c, List<Object[]> keys) throws SQLException {
        return byKey(c, keys, true, keyColumns, false).keySet();
    }

    private Map<String, Object[]> byKey(Connection c, List<Object[]> keys, boolean atSource, List<Column> select,
            boolean wholeRows) throws SQLException {
        Dialect d = atSource ? source : target;
        Map<String, Object[]> out = new LinkedHashMap<>();
        Set<String> wanted = new HashSet<>();
        for (Object[] k : keys) {
            wanted.add(keyText(k));
        }
        for (int from = 0; from < keys.size(); from += LOOKUP_BATCH) {
            List<Object[]> batch = keys.subList(from, Math.min(keys.size(), from + LOOKUP_BATCH));
            String sql = "SELECT " + (atSource ? sourceList(select) : names(d, select)) + " FROM " + d.quoteTable(id)
                    + " WHERE " + keyMatch(d, batch.size());
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int index = 1;
                for (Object[] k : batch) {
                    index = bind(d, ps, index, k);
                }
                for (Object[] row : read(ps, select, atSource)) {
                    String text = keyText(wholeRows ? keyOf(row) : row);
                    if (wanted.contains(text)) { // not another spelling that the source's collation matched
                        out.put(text, row);
                    }
                }
            }
        }
        return out;
    }

    /** {@code k IN (?, ...)}, or {@code (k1 = ? AND k2 = ?) OR ...} for a composite key. */
    private String keyMatch(Dialect d, int keys) {
        if (keyColumns.size() == 1) {
            return d.quoteIdentifier(keyColumns.get(0).name()) + " IN (" + marks(keys) + ")";
        }
        StringJoiner one = new StringJoiner(" AND ", "(", ")");
        for (Column k : keyColumns) {
            one.add(d.quoteIdentifier(k.name()) + " = ?");
        }
        StringJoiner all = new StringJoiner(" OR ");
        for (int i = 0; i < keys; i++) {
            all.add(one.toString());
        }
        return all.toString();
    }

    private String sourceList(List<Column> select) {
        StringJoiner j = new StringJoiner(", ");
        for (Column c : select) {
            j.add(CrossValues.sourceExpression(source.quoteIdentifier(c.name()), c.kind()));
        }
        return j.toString();
    }

    private static String names(Dialect d, List<Column> select) {
        StringJoiner j = new StringJoiner(", ");
        for (Column c : select) {
            j.add(d.quoteIdentifier(c.name()));
        }
        return j.toString();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static List<Object[]> read(PreparedStatement ps, List<Column> select, boolean atSource)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[select.size()];
                for (int i = 0; i < row.length; i++) {
                    Kind kind = select.get(i).kind();
                    row[i] = atSource ? CrossValues.readSource(rs, i + 1, kind) : CrossValues.readTarget(rs, i + 1, kind);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Binds Ferry values through a dialect from {@code index}; returns the next index. */
    static int bind(Dialect d, PreparedStatement ps, int index, Object[] values) throws SQLException {
        for (Object v : values) {
            d.bind(ps, index++, v);
        }
        return index;
    }
}
