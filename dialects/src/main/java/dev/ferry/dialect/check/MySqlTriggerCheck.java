package dev.ferry.dialect.check;

import static dev.ferry.dialect.MySqlDialect.APPLYING_VARIABLE;

import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Triggers on the replicated tables of a MySQL or MariaDB target. A trigger has already run at the site where
 * a row was written, and its effect is in that row (or in other rows of the same transaction); run again on
 * Ferry's copy it would make the sites differ. So a trigger there is accepted only if its body refers to
 * {@code @ferry_applying}, which Ferry's apply session sets (MySqlDialect#sessionSetup): guarded, it runs for
 * the application's own writes only. Read-only; used by start-up and {@code ferry check}.
 */
public final class MySqlTriggerCheck implements TriggerCheck {
    /** What a guarded trigger body looks like. */
    static final String GUARD = "IF " + APPLYING_VARIABLE + " IS NULL THEN <its statements>; END IF";
    /** {@code @ferry_applying}, also quoted or in another case; not the system variable {@code @@ferry_applying}. */
    private static final Pattern REFERS_TO_GUARD = Pattern.compile(
            "(?<![@\\w])" + APPLYING_VARIABLE + "\\b|(?<!@)@[`'\"]" + APPLYING_VARIABLE.substring(1) + "[`'\"]",
            Pattern.CASE_INSENSITIVE);

    /** A trigger as information_schema.TRIGGERS shows it; {@code body} is null where the user may not read it. */
    record Trigger(TableId table, String name, String timing, String event, String body) {
        String describe() {
            return "`" + name + "` (" + timing + " " + event + " ON " + table + ")";
        }
    }

    /** The names are MySQL's own: the dialect has nothing to spell. */
    @Override
    public List<Verdict> check(Connection c, CheckedSite site, Dialect dialect, Collection<TableId> tables)
            throws SQLException {
        List<Trigger> triggers = read(c, tables);
        List<Verdict> findings = new ArrayList<>();
        unguarded(site, triggers).ifPresent(findings::add);
        // MariaDB shows a trigger without the TRIGGER privilege, but not its body; MySQL does not show it at all
        Collection<TableId> unseen = new TreeSet<>(TriggerVisibility.hiddenTables(c, tables));
        triggers.stream().filter(t -> t.body() == null).map(Trigger::table).forEach(unseen::add);
        if (!unseen.isEmpty()) {
            TriggerVisibility.finding(site, unseen, MySqlAccount.current(c)).ifPresent(findings::add);
        }
        return findings.isEmpty() ? List.of(Verdict.ok("no trigger that would run on Ferry's writes")) : findings;
    }

    /** Whether a trigger body refers to Ferry's session variable, as the guard does. */
    static boolean isGuarded(String body) {
        return REFERS_TO_GUARD.matcher(body).find();
    }

    private static Optional<Verdict> unguarded(CheckedSite site, List<Trigger> triggers) {
        List<String> named = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        for (Trigger t : triggers) {
            if (t.body() != null && !isGuarded(t.body())) {
                named.add(t.describe());
                drops.add("DROP TRIGGER " + MySqlAccount.quoteName(t.table().database()) + "."
                        + MySqlAccount.quoteName(t.name()));
            }
        }
        if (named.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Verdict.fail("Trigger(s) at site '" + site.name() + "' would run again on the rows Ferry"
                + " replicates there and make the sites differ: " + String.join(", ", named) + ".", "at site '"
                + site.name() + "' drop each (" + String.join("; ", drops) + "), or wrap its body in Ferry's guard so"
                + " that it runs for local writes only: CREATE TRIGGER ... FOR EACH ROW " + GUARD + ";"));
    }

    private static List<Trigger> read(Connection c, Collection<TableId> tables) throws SQLException {
        List<Trigger> triggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT EVENT_OBJECT_SCHEMA,"
                + " EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT"
                + " FROM information_schema.TRIGGERS ORDER BY EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME")) {
            while (rs.next()) {
                TableId table = new TableId(rs.getString(1), rs.getString(2));
                if (tables.contains(table)) {
                    triggers.add(new Trigger(table, rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return triggers;
    }
}
