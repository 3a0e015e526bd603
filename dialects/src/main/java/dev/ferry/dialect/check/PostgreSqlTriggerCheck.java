package dev.ferry.dialect.check;

import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Triggers on the replicated tables of a PostgreSQL target. Ferry's session there keeps the default
 * {@code session_replication_role = origin} (setting {@code replica} needs a superuser), so every enabled trigger
 * would run on the rows it copies and make the copy differ from the source. A trigger disabled, or enabled for
 * replica sessions only ({@code ENABLE REPLICA TRIGGER}), does not run for Ferry and is accepted. Internal
 * triggers (those of foreign keys) are not the user's and are left alone. Read-only.
 */
public final class PostgreSqlTriggerCheck implements TriggerCheck {
    /** pg_trigger.tgtype bits. */
    private static final int BEFORE = 1 << 1;
    private static final int INSTEAD = 1 << 6;
    private static final String[] EVENTS = {"INSERT", "DELETE", "UPDATE", "TRUNCATE"};

    /** The enabled triggers on these tables (source names, as the dialect spells them there). */
    @Override
    public List<Verdict> check(Connection c, CheckedSite site, Dialect dialect, Collection<TableId> tables)
            throws SQLException {
        Set<List<String>> names = tables.stream()
                .map(t -> List.of(dialect.targetName(t.database()), dialect.targetName(t.table())))
                .collect(Collectors.toSet());
        List<String> named = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname, r.relname, t.tgname,"
                + " t.tgtype FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n"
                + " ON n.oid = r.relnamespace WHERE NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')"
                + " ORDER BY n.nspname, r.relname, t.tgname")) {
            while (rs.next()) {
                if (names.contains(List.of(rs.getString(1), rs.getString(2)))) {
                    String table = dialect.quoteIdentifier(rs.getString(1)) + "." + dialect.quoteIdentifier(rs.getString(2));
                    String trigger = dialect.quoteIdentifier(rs.getString(3));
                    named.add(trigger + " (" + timing(rs.getInt(4)) + " ON " + table + ")");
                    fixes.add("ALTER TABLE " + table + " DISABLE TRIGGER " + trigger);
                }
            }
        }
        if (named.isEmpty()) {
            return List.of(Verdict.ok("no enabled trigger on a replicated table"));
        }
        return List.of(Verdict.fail("Trigger(s) at PostgreSQL site '" + site.name() + "' would run again on the"
                + " rows Ferry copies there and make them differ from the source: " + String.join(", ", named) + ".",
                "the site is a copy: drop each there, or disable it (" + String.join("; ", fixes) + ")."));
    }

    /** E.g. "BEFORE INSERT OR UPDATE". */
    private static String timing(int type) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS.length; i++) {
            if ((type & (1 << (i + 2))) != 0) {
                events.add(EVENTS[i]);
            }
        }
        String when = (type & BEFORE) != 0 ? "BEFORE" : (type & INSTEAD) != 0 ? "INSTEAD OF" : "AFTER";
        return when + " " + String.join(" OR ", events);
    }
}
