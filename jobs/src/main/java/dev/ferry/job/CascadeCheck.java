package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.SiteConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Foreign keys at a source whose ON UPDATE or ON DELETE action changes other rows (CASCADE, SET NULL, SET
 * DEFAULT). MariaDB, and MySQL with InnoDB's own foreign keys, make those changes inside the storage engine, so
 * the binlog does not carry them; and Ferry applies with foreign_key_checks=0, so they do not happen at the
 * target either: the sites would differ silently. MySQL's SQL-layer foreign keys
 * ({@code innodb_native_foreign_keys=OFF}, the default of MySQL 9.7) log them as row events, which replicate
 * exactly. Read-only; used by start-up and {@code ferry check}.
 */
final class CascadeCheck {
    private static final Set<String> ACTING = Set.of("CASCADE", "SET NULL", "SET DEFAULT");

    /** One foreign key, its columns in order. */
    record ForeignKey(String name, TableId child, List<String> columns, TableId parent, List<String> parentColumns,
            String onUpdate, String onDelete) {
        String actions() {
            List<String> actions = new ArrayList<>();
            if (ACTING.contains(onUpdate)) {
                actions.add("ON UPDATE " + onUpdate);
            }
            if (ACTING.contains(onDelete)) {
                actions.add("ON DELETE " + onDelete);
            }
            return String.join(" ", actions);
        }

        String describe() {
            return "`" + name + "` on " + child + " " + columns + " REFERENCES " + parent + " " + parentColumns + " "
                    + actions();
        }

        /** The same key without the action, as the fix (two statements: neither server reuses the name in one). */
        String restricted() {
            String alter = "ALTER TABLE " + Preflight.quote(child);
            return alter + " DROP FOREIGN KEY " + Preflight.quote(name) + "; " + alter + " ADD CONSTRAINT "
                    + Preflight.quote(name) + " FOREIGN KEY " + quoted(columns) + " REFERENCES "
                    + Preflight.quote(parent) + " " + quoted(parentColumns) + " ON UPDATE RESTRICT ON DELETE RESTRICT";
        }

        private static String quoted(List<String> columns) {
            return "(" + String.join(", ", columns.stream().map(Preflight::quote).toList()) + ")";
        }
    }

    /** The acting foreign keys of a site that touch a replicated table, and whether its binlog carries their changes. */
    record Cascades(List<ForeignKey> keys, boolean logged) {
        Optional<Finding> finding(SiteConfig site) {
            if (keys.isEmpty() || logged) {
                return Optional.empty();
            }
            return Optional.of(new Finding("Foreign key(s) at site '" + site.name() + "' change rows by themselves,"
                    + " which the binlog does not carry and Ferry does not repeat at the target, so the sites would"
                    + " differ silently: " + String.join("; ", keys.stream().map(ForeignKey::describe).toList()) + ".",
                    "make each RESTRICT (or NO ACTION) and have the application change the child rows itself, so that"
                    + " every change is a row event (" + String.join("; ", keys.stream().map(ForeignKey::restricted)
                    .toList()) + "); or leave both tables out with 'tables.exclude'."));
        }

        String summary() {
            return keys.isEmpty() ? "no foreign key that cascades on a replicated table" : keys.size() + " cascading"
                    + " foreign key(s); this server logs their changes as row events (innodb_native_foreign_keys=OFF)";
        }
    }

    private CascadeCheck() {}

    /**
     * The acting foreign keys whose child or parent table is one of {@code tables}. Keys come from
     * {@code KEY_COLUMN_USAGE} and their actions from {@code SHOW CREATE TABLE}: MariaDB shows a user who has only
     * SELECT (as a source's user has) no {@code REFERENTIAL_CONSTRAINTS} rows, which would pass every check.
     */
    static Cascades read(Connection c, List<TableId> tables) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        Map<TableId, Map<String, String[]>> actionsByChild = new HashMap<>();
        for (ForeignKey k : foreignKeys(c)) {
            if (!tables.contains(k.child()) && !tables.contains(k.parent())) {
                continue;
            }
            Map<String, String[]> actions = actionsByChild.get(k.child());
            if (actions == null) {
                actions = actions(c, k.child());
                actionsByChild.put(k.child(), actions);
            }
            String[] onUpdateOnDelete = actions.getOrDefault(k.name(), new String[] {"RESTRICT", "RESTRICT"});
            ForeignKey acting = new ForeignKey(k.name(), k.child(), k.columns(), k.parent(), k.parentColumns(),
                    onUpdateOnDelete[0], onUpdateOnDelete[1]);
            if (!acting.actions().isEmpty()) {
                keys.add(acting);
            }
        }
        return new Cascades(keys, logsCascades(c));
    }

    /** Every foreign key the user can see, without its actions. */
    private static List<ForeignKey> foreignKeys(Connection c) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONSTRAINT_SCHEMA, TABLE_NAME,"
                + " CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME"
                + " FROM information_schema.KEY_COLUMN_USAGE WHERE REFERENCED_TABLE_NAME IS NOT NULL"
                + " ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION")) {
            ForeignKey last = null;
            while (rs.next()) {
                TableId child = new TableId(rs.getString(1), rs.getString(2));
                if (last == null || !last.child().equals(child) || !last.name().equals(rs.getString(3))) {
                    last = new ForeignKey(rs.getString(3), child, new ArrayList<>(),
                            new TableId(rs.getString(5), rs.getString(6)), new ArrayList<>(), null, null);
                    keys.add(last);
                }
                last.columns().add(rs.getString(4));
                last.parentColumns().add(rs.getString(7));
            }
        }
        return keys;
    }

    /** ON UPDATE and ON DELETE of each foreign key of {@code table}, by constraint name, from its definition. */
    static Map<String, String[]> actions(Connection c, TableId table) throws SQLException {
        String ddl;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + Preflight.quote(table))) {
            rs.next();
            ddl = rs.getString(2);
        }
        return actionsIn(ddl);
    }

    /**
     * Parses the server's own rendering of foreign keys, one per line:
     * {@code CONSTRAINT `name` FOREIGN KEY (...) REFERENCES `t` (...) [ON DELETE a] [ON UPDATE b]}; an action it
     * leaves out is RESTRICT.
     */
    static Map<String, String[]> actionsIn(String createTable) {
        Map<String, String[]> out = new HashMap<>();
        for (String line : createTable.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("CONSTRAINT `") || !l.contains(" FOREIGN KEY ")) {
                continue;
            }
            StringBuilder name = new StringBuilder();
            int i = "CONSTRAINT `".length();
            for (; i < l.length(); i++) {
                if (l.charAt(i) == '`') {
                    if (i + 1 < l.length() && l.charAt(i + 1) == '`') {
                        i++;
                    } else {
                        break;
                    }
                }
                name.append(l.charAt(i));
            }
            String tail = l.substring(l.lastIndexOf(')') + 1);
            out.put(name.toString(), new String[] {action(tail, " ON UPDATE "), action(tail, " ON DELETE ")});
        }
        return out;
    }

    private static String action(String tail, String clause) {
        int at = tail.indexOf(clause);
        if (at < 0) {
            return "RESTRICT";
        }
        String rest = tail.substring(at + clause.length());
        for (String a : List.of("CASCADE", "SET NULL", "SET DEFAULT", "NO ACTION", "RESTRICT")) {
            if (rest.startsWith(a)) {
                return a;
            }
        }
        return "RESTRICT";
    }

    /** MySQL's SQL-layer foreign keys write their cascaded changes to the binlog as row events. */
    private static boolean logsCascades(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'innodb_native_foreign_keys'")) {
            return rs.next() && "OFF".equalsIgnoreCase(rs.getString(2));
        }
    }
}
