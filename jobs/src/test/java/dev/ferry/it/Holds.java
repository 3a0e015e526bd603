package dev.ferry.it;

import dev.ferry.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/** A channel's held tables at its target, as an operator sees and decides them (ferry_ddl, ferry_held). */
final class Holds {
    private Holds() {}

    /** One hold record of a refused change. */
    record Hold(String outcome, String detail, String statement, long seq) {}

    /** The hold records of refused changes of {@code table}, oldest first. */
    static List<Hold> of(Channel channel, String table) {
        return channel.us.query("SELECT outcome, detail, statement, seq FROM ferry.ferry_ddl WHERE channel = ?"
                + " AND table_schema = ? AND table_name = ? AND subtask = -1 ORDER BY applied_at, seq", channel.name,
                channel.database, table).stream()
                .map(r -> new Hold((String) r.get(0), (String) r.get(1), (String) r.get(2),
                        ((Number) r.get(3)).longValue()))
                .toList();
    }

    /** Waits until {@code table} is held, and returns its record. */
    static Hold awaitHeld(Channel channel, String table, Duration timeout) {
        Sites.await(() -> of(channel, table).stream().anyMatch(h -> "held".equals(h.outcome())), timeout,
                channel.database + "." + table + " to be held");
        return of(channel, table).stream().filter(h -> "held".equals(h.outcome())).findFirst().orElseThrow();
    }

    /** Sets the operator's decision on every held record of {@code table}. */
    static void decide(Channel channel, String table, String outcome, String manualSql) {
        channel.us.query("UPDATE ferry.ferry_ddl SET outcome = ?, manual_sql = ? WHERE channel = ?"
                + " AND table_schema = ? AND table_name = ? AND outcome = 'held'", outcome, manualSql, channel.name,
                channel.database, table);
    }

    /** How many changes of the channel wait in ferry_held. */
    static long waiting(Channel channel) {
        return count(channel.us, "SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel.name);
    }

    private static long count(TestDatabase db, String sql, Object... args) {
        return ((Number) db.query(sql, args).get(0).get(0)).longValue();
    }
}
