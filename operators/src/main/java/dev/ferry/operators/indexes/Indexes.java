package dev.ferry.operators.indexes;

import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads secondary index definitions from {@code information_schema.STATISTICS} as canonical index
 * sets (one definition per line, sorted by name, e.g. {@code INDEX `ia` (`a`(10), `c` DESC)}), turns
 * the difference between two sets into an {@link dev.ferry.common.IndexDelta}, and a delta into one
 * {@code ALTER TABLE}. Primary keys are left out: they change through replicated ALTER TABLE. Index
 * parts on expressions (MySQL functional indexes) are not represented, so such indexes are skipped.
 */
public final class Indexes {
    private static final String QUERY = "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE,"
            + " SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, COLLATION FROM information_schema.STATISTICS"
            + " WHERE INDEX_NAME <> 'PRIMARY' AND TABLE_SCHEMA NOT IN"
            + " ('mysql', 'sys', 'information_schema', 'performance_schema', 'ferry')";
    private static final String ORDER = " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

    private Indexes() {}

    /** Index sets of every table in scope that has a table row (tables without secondary indexes map to ""). */
    public static Map<TableId, String> read(Connection c, TableScope scope) throws SQLException {
        Map<TableId, String> sets = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN"
                + " ('mysql', 'sys', 'information_schema', 'performance_schema', 'ferry')");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableId t = new TableId(rs.getString(1), rs.getString(2));
                if (scope.includes(t)) {
                    sets.put(t, "");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(QUERY + ORDER)) {
            collect(ps, sets, scope);
        }
        return sets;
    }

    /** The index set of one table. */
    public static String read(Connection c, TableId table) throws SQLException {
        Map<TableId, String> sets = new HashMap<>();
        sets.put(table, "");
        try (PreparedStatement ps = c.prepareStatement(QUERY + " AND TABLE_SCHEMA = ? AND TABLE_NAME = ?" + ORDER)) {
            ps.setString(1, table.database());
            ps.setString(2, table.table());
            collect(ps, sets, table::equals);
        }
        return sets.get(table);
    }

    private static void collect(PreparedStatement ps, Map<TableId, String> sets, TableScope scope)
            throws SQLException {
        Map<TableId, Map<String, IndexDef>> indexes = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableId t = new TableId(rs.getString("TABLE_SCHEMA"), rs.getString("TABLE_NAME"));
                if (!sets.containsKey(t) || !scope.includes(t)) {
                    continue;
                }
                String name = rs.getString("INDEX_NAME");
                IndexDef def = indexes.computeIfAbsent(t, k -> new TreeMap<>()).computeIfAbsent(name,
                        n -> new IndexDef(n, kind(rsString(rs, "NON_UNIQUE"), rsString(rs, "INDEX_TYPE"))));
                String column = rs.getString("COLUMN_NAME");
                if (column == null) {
                    def.expression = true;
                    continue;
                }
                String part = quote(column);
                long sub = rs.getLong("SUB_PART");
                if (!rs.wasNull()) {
                    part += "(" + sub + ")";
                }
                if ("D".equals(rs.getString("COLLATION"))) {
                    part += " DESC";
                }
                def.parts.add(part);
            }
        }
        indexes.forEach((t, defs) -> {
            List<String> lines = new ArrayList<>();
            for (IndexDef d : defs.values()) {
                if (!d.expression) {
                    lines.add(d.toString());
                }
            }
            sets.put(t, String.join("\n", lines));
        });
    }

    private static String rsString(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kind(String nonUnique, String type) {
        if ("FULLTEXT".equalsIgnoreCase(type)) {
            return "FULLTEXT INDEX";
        }
        if ("SPATIAL".equalsIgnoreCase(type)) {
            return "SPATIAL INDEX";
        }
        return "0".equals(nonUnique) ? "UNIQUE INDEX" : "INDEX";
    }

    /**
     * The change from index set {@code was} to {@code now} as an {@link dev.ferry.common.IndexDelta}:
     * {@code DROP `name`} for each index gone or redefined, then {@code ADD <definition>} for each new
     * or redefined one. Empty if the sets are equal.
     */
    public static String delta(String was, String now) {
        Map<String, String> before = byName(was);
        Map<String, String> after = byName(now);
        List<String> lines = new ArrayList<>();
        before.forEach((name, line) -> {
            if (!line.equals(after.get(name))) {
                lines.add("DROP " + quote(name));
            }
        });
        after.forEach((name, line) -> {
            if (!line.equals(before.get(name))) {
                lines.add("ADD " + line);
            }
        });
        return String.join("\n", lines);
    }

    /**
     * The ALTER TABLE that applies {@code delta} to a table whose index set is {@code current}, or
     * null if there is nothing to do: indexes to drop that are gone and indexes to add that exist
     * with the same definition are skipped; one that exists with another definition is replaced.
     */
    public static String alter(TableId table, String current, String delta) {
        Map<String, String> have = byName(current);
        Map<String, String> adds = new LinkedHashMap<>();
        List<String> drops = new ArrayList<>();
        for (String line : delta.split("\n")) {
            if (line.startsWith("DROP ")) {
                drops.add(nameIn(line.substring(5)));
            } else if (line.startsWith("ADD ")) {
                adds.put(nameIn(line.substring(4)), line.substring(4));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("not an index change: " + line);
            }
        }
        List<String> clauses = new ArrayList<>();
        for (String name : drops) {
            // a redefinition (DROP and ADD of one name) the target already has is left alone
            if (have.containsKey(name) && !have.get(name).equals(adds.get(name))) {
                clauses.add("DROP INDEX " + quote(name));
                have.remove(name);
            }
        }
        adds.forEach((name, definition) -> {
            String existing = have.get(name);
            if (existing == null) {
                clauses.add("ADD " + definition);
            } else if (!existing.equals(definition)) {
                clauses.add("DROP INDEX " + quote(name));
                clauses.add("ADD " + definition);
            }
        });
        if (clauses.isEmpty()) {
            return null;
        }
        return "ALTER TABLE " + quote(table.database()) + "." + quote(table.table()) + " " + String.join(", ", clauses);
    }

    private static Map<String, String> byName(String set) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : set.split("\n")) {
            if (!line.isBlank()) {
                out.put(nameIn(line), line);
            }
        }
        return out;
    }

    /** The first quoted identifier in {@code text}, unquoted. */
    private static String nameIn(String text) {
        int start = text.indexOf('`');
        int end = start + 1;
        while (end < text.length()) { // the name ends at a backtick that is not doubled
            if (text.charAt(end) == '`') {
                if (end + 1 < text.length() && text.charAt(end + 1) == '`') {
                    end += 2;
                    continue;
                }
                break;
            }
            end++;
        }
        return text.substring(start + 1, end).replace("``", "`");
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static final class IndexDef {
        final String name;
        final String kind;
        final List<String> parts = new ArrayList<>();
        boolean expression;

        IndexDef(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        @Override
        public String toString() {
            return kind + " " + quote(name) + " (" + String.join(", ", parts) + ")";
        }
    }
}
