package dev.ferry.it.checker;

import dev.ferry.testing.Await;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Schema changes mixed into the writes: a column added to a modeled table, or a table created, filled and dropped
 * within seconds. Only one site changes the schema at a time, and never two sites the same table at once (Ferry
 * does not order concurrent DDL of one table at two sites; the README asks for this): after each change a barrier
 * row is written at that site ({@code ck_probe}, after the DDL in its binlog), and the next change waits until the
 * barrier has reached the other site. A change that does not arrive within the time-out stops further schema changes
 * (the run then reports what is stuck); so does the end of the run. Statements interrupted by a server restart are
 * retried; an error that says the effect is already there counts as done.
 */
public final class SchemaChanger extends CheckerTask {
    /** duplicate column, table exists, unknown table, duplicate key: the statement's effect is already there */
    private static final Set<Integer> ALREADY_DONE = Set.of(1060, 1050, 1051, 1062);
    private static final int MAX_ADDED_COLUMNS_PER_TABLE = 6;
    private static final long BARRIER_BASE = 1_000_000;

    private final Map<String, TestDatabase> sites;
    private final String database;
    private final Columns columns;
    private final History history;
    private final Random random;
    private final Duration minGap;
    private final Duration maxGap;
    private final Duration timeout;
    private final AtomicBoolean stop;
    private final boolean tempTables;
    private final Map<String, Integer> addedPerTable = new java.util.HashMap<>();

    public SchemaChanger(Map<String, TestDatabase> sites, String database, Columns columns, History history,
            Random random, Duration minGap, Duration maxGap, Duration timeout, boolean tempTables, AtomicBoolean stop) {
        this.sites = sites;
        this.database = database;
        this.columns = columns;
        this.history = history;
        this.random = random;
        this.minGap = minGap;
        this.maxGap = maxGap;
        this.timeout = timeout;
        this.tempTables = tempTables;
        this.stop = stop;
    }

    @Override
    void work() {
        List<String> names = new ArrayList<>(sites.keySet());
        for (int n = 1; pause(); n++) {
            String site = names.get(random.nextInt(names.size()));
            String table = CheckerSchema.MODELED.get(random.nextInt(CheckerSchema.MODELED.size()));
            boolean addColumn = (random.nextBoolean() || !tempTables)
                    && addedPerTable.getOrDefault(table, 0) < MAX_ADDED_COLUMNS_PER_TABLE;
            if (!addColumn && !tempTables) {
                continue; // every table has its columns
            }
            String change;
            if (addColumn) {
                String column = "c" + n;
                exec(site, addColumn(site, table, column, n));
                columns.add(site, table, column);
                addedPerTable.merge(table, 1, Integer::sum);
                change = "add column " + table + "." + column;
            } else {
                String temp = "tmp_" + n;
                exec(site, "CREATE TABLE " + temp + " (id INT PRIMARY KEY, v VARCHAR(20))");
                exec(site, "INSERT INTO " + temp + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(2500)));
                exec(site, "DROP TABLE " + temp);
                change = "create, fill and drop " + temp;
            }
            history.event(addColumn ? "ddl-add-column" : "ddl-temp-table", site + ": " + change);
            long barrier = BARRIER_BASE + n;
            exec(site, "INSERT INTO " + CheckerSchema.PROBE + " VALUES (" + barrier + ")");
            for (String other : names) {
                if (other.equals(site)) {
                    continue;
                }
                if (!arrived(other, barrier)) {
                    if (!stop.get()) {
                        history.event("ddl-stuck", site + ": " + change + " did not reach " + other + " within "
                                + timeout.toSeconds() + " s; no more schema changes");
                    }
                    return;
                }
                if (addColumn) {
                    columns.add(other, table, "c" + n);
                }
            }
        }
    }

    /**
     * The ALTER that adds a column, half of the time with words that change no column and that the binlog reader's
     * parser does not know (cdc-compat's UnparseableStatements reads it without them; Ferry applies it as written).
     */
    private String addColumn(String site, String table, String column, int n) {
        String add = " ADD COLUMN " + column + " INT NULL DEFAULT " + n;
        if (random.nextBoolean()) {
            return "ALTER TABLE " + table + add;
        }
        return sites.get(site).kind() == ServerKind.MARIADB
                ? "ALTER TABLE IF EXISTS " + table + " WAIT 10" + add + ", ALGORITHM=NOCOPY"
                : "ALTER TABLE " + table + add + ", ADD CONSTRAINT " + table + "_" + column + "_ck CHECK (" + column
                        + " >= 0) NOT ENFORCED";
    }

    /** Waits a random gap; false once the run stops. */
    private boolean pause() {
        long until = System.nanoTime() + minGap.toNanos()
                + (long) (random.nextDouble() * (maxGap.toNanos() - minGap.toNanos()));
        while (System.nanoTime() < until) {
            if (stop.get()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return !stop.get();
    }

    /** Whether the barrier reached the site; false at the time-out, or at once when the run stops. */
    private boolean arrived(String site, long barrier) {
        boolean[] arrived = {false};
        try {
            Await.until(() -> {
                try {
                    arrived[0] = !sites.get(site).query("SELECT 1 FROM `" + database + "`." + CheckerSchema.PROBE
                            + " WHERE id = ?", barrier).isEmpty();
                } catch (RuntimeException down) {
                    arrived[0] = false; // the server is being restarted
                }
                return arrived[0] || stop.get();
            }, timeout, "barrier " + barrier + " at " + site);
        } catch (AssertionError timedOut) {
            return false;
        }
        return arrived[0];
    }

    /** Runs one statement at a site, again until it succeeds or says its effect is already there. */
    private void exec(String site, String sql) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection c = sites.get(site).connect(database); Statement s = c.createStatement()) {
                s.execute(sql);
                return;
            } catch (SQLException e) {
                if (ALREADY_DONE.contains(e.getErrorCode())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(site + ": " + sql + " failed: " + e.getMessage(), e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
    }
}
