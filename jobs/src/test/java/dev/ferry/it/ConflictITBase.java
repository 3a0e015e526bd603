package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Both sites write the same rows while both directions run. Under priority, newer-wins and
 * source-wins the sites must end identical; under target-wins and manual every remaining
 * difference must be explained by a recorded conflict. Replication never pauses.
 */
abstract class ConflictITBase extends MeshITBase {
    private static final Duration TIMEOUT = TwoWayITBase.TIMEOUT;
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final String ORDER_DDL = " (id BIGINT PRIMARY KEY, order_no VARCHAR(32) NOT NULL,"
            + " amount DECIMAL(12,2), updated DATETIME(6), UNIQUE KEY order_no (order_no))";

    long failedAtStart;

    /**
     * The seed's dual write: the same order updated at both sites at once, one table per policy,
     * plus an insert at each site that collides on a unique key. Then later changes to the same rows
     * replicate without new conflicts.
     */
    @Test
    void theSeedsDualWriteResolvesTheSameWayAtBothSitesUnderEveryPolicy() throws Exception {
        LinkedSites mesh = twoSites("dual");
        String db = mesh.database;
        List<String> tables = List.of("prio_sh", "prio_us", "newer", "source", "target", "manual");
        for (TestDatabase site : mesh.sites.values()) {
            for (String t : tables) {
                exec(site, db, "CREATE TABLE vgp_order_" + t + ORDER_DDL,
                        "INSERT INTO vgp_order_" + t + " VALUES (1, 'SO-1', 100.00, '2026-11-24 09:00:00.000000')");
            }
        }
        String p = db.replace(".", "\\\\.");
        mesh.extraYaml = "conflicts:\n"
                + "  default: { priority: sh }\n"
                + "  tables:\n"
                + "    - { match: '" + p + "\\.vgp_order_prio_us', priority: us }\n"
                + "    - { match: '" + p + "\\.vgp_order_newer', newer-wins: updated }\n"
                + "    - { match: '" + p + "\\.vgp_order_source', policy: source-wins }\n"
                + "    - { match: '" + p + "\\.vgp_order_target', policy: target-wins }\n"
                + "    - { match: '" + p + "\\.vgp_order_manual', policy: manual }\n";
        start(mesh);
        mesh.awaitReaders("vgp_order_prio_sh", "VALUES (%1$d, 'probe%1$d', 0, NULL)");
        failedAtStart = FlinkRest.failedCheckpoints(runner);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");

        // both sites update order 1 in every table in one transaction each, at the same time; us's
        // version is the newer one; and each inserts an order whose number the other one also uses
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> dualWrite(sh, db, tables, "111.00", "2026-11-24 10:00:00.000001", 10)),
                CompletableFuture.runAsync(() -> dualWrite(us, db, tables, "222.00", "2026-11-24 10:00:00.000002", 20)))
                .join();

        for (String t : List.of("prio_sh", "prio_us", "newer", "source")) {
            awaitSameRows(sh, us, db, "vgp_order_" + t, TIMEOUT);
        }
        assertThat(amount(us, db, "prio_sh")).isEqualTo("111.00");
        assertThat(amount(sh, db, "prio_us")).isEqualTo("222.00");
        assertThat(amount(sh, db, "newer")).isEqualTo("222.00");
        // source-wins in a two-way channel: the home site takes the other site's version, which the other site keeps
        assertThat(amount(sh, db, "source")).isEqualTo("222.00");
        // the colliding inserts: sh's order survives at both sites (priority sh, the default)
        assertThat(ids(sh, db, "prio_sh")).containsExactly(1L, 10L);

        // target-wins and manual keep each site's own version; the conflict records explain it
        await(() -> conflicts(sh, mesh, "target").size() == 2 && conflicts(us, mesh, "target").size() == 2
                && conflicts(sh, mesh, "manual").size() == 2 && conflicts(us, mesh, "manual").size() == 2,
                TIMEOUT, "the target-wins and manual conflicts to be recorded at both sites");
        assertThat(amount(sh, db, "target")).isEqualTo("111.00");
        assertThat(amount(us, db, "target")).isEqualTo("222.00");
        assertThat(conflicts(sh, mesh, "manual")).containsExactlyInAnyOrder(
                "us->sh [1] update-mismatch kept-for-operator", "us->sh [20] insert-unique-key kept-for-operator");
        assertThat(conflicts(us, mesh, "target")).containsExactlyInAnyOrder(
                "sh->us [1] update-mismatch target-kept", "sh->us [10] insert-unique-key target-kept");

        // every conflict is recorded where it was met, with the resolution both sites agree on
        assertThat(conflicts(us, mesh, "prio_sh")).containsExactlyInAnyOrder(
                "sh->us [1] update-mismatch incoming-applied", "sh->us [10] insert-unique-key incoming-applied",
                "sh->us [20] insert-unique-key incoming-applied"); // us's order 20 gave way to sh's order 10
        assertThat(conflicts(sh, mesh, "prio_sh")).containsExactlyInAnyOrder(
                "us->sh [1] update-mismatch target-kept", "us->sh [20] insert-unique-key target-kept");
        assertThat(conflicts(sh, mesh, "newer")).contains("us->sh [1] update-mismatch incoming-applied");
        assertThat(conflicts(us, mesh, "newer")).contains("sh->us [1] update-mismatch target-kept");
        assertThat(conflicts(us, mesh, "source")).contains("sh->us [1] update-mismatch target-kept");
        assertThat(conflicts(sh, mesh, "source")).contains("us->sh [1] update-mismatch incoming-applied");
        assertThat(ids(us, db, "source")).containsExactly(1L, 20L);

        // an operator decides order 1's manual conflict for sh's version by writing it at us: it reaches
        // sh, which already has it, so no new conflict
        long beforeDecision = allConflicts(sh, mesh) + allConflicts(us, mesh);
        long appliedAtSh = TwoWayITBase.appliedRows(sh, mesh.name, "us->sh");
        exec(us, db, "UPDATE vgp_order_manual SET amount = 111.00, updated = '2026-11-24 10:00:00.000001' WHERE id = 1");
        await(() -> TwoWayITBase.appliedRows(sh, mesh.name, "us->sh") > appliedAtSh, TIMEOUT,
                "the operator's change to reach sh");
        assertThat(Sites.rows(sh, db, "vgp_order_manual").get(0)).isEqualTo(Sites.rows(us, db, "vgp_order_manual").get(0));
        assertThat(allConflicts(sh, mesh) + allConflicts(us, mesh)).isEqualTo(beforeDecision);

        // later changes to the same key, one site after the other, replicate as usual with no new conflicts
        long recorded = allConflicts(sh, mesh) + allConflicts(us, mesh);
        for (String t : List.of("prio_sh", "prio_us", "newer", "source")) {
            exec(us, db, "UPDATE vgp_order_" + t + " SET amount = 333.00, updated = '2026-11-24 11:00:00' WHERE id = 1");
            await(() -> "333.00".equals(amount(sh, db, t)), TIMEOUT, "a later change of " + t + " at us to reach sh");
            exec(sh, db, "UPDATE vgp_order_" + t + " SET order_no = 'SO-1b' WHERE id = 1");
            await(() -> "SO-1b".equals(orderNo(us, db, t)), TIMEOUT, "a later change of " + t + " at sh to reach us");
            awaitSameRows(sh, us, db, "vgp_order_" + t, TIMEOUT);
        }
        assertThat(allConflicts(sh, mesh) + allConflicts(us, mesh)).isEqualTo(recorded);
        assertNeverPaused();
    }

    /**
     * Randomized dual writes: both sites insert, update and delete on the same 300 keys of two
     * tables (priority of sh, and newer-wins on a version column), in single statements and small
     * transactions. Then the load stops and both sites must end identical, with every conflict
     * counted in the metrics also recorded in the table, and replication never paused.
     */
    @Test
    void randomizedDualWritesOnOverlappingKeysConverge() throws Exception {
        LinkedSites mesh = twoSites("random");
        String db = mesh.database;
        startRandomTables(mesh);
        failedAtStart = FlinkRest.failedCheckpoints(runner);

        int operations = Integer.getInteger("ferry.it.conflictOps", 20_000);
        AtomicLong version = new AtomicLong();
        CompletableFuture.allOf(mesh.sites.entrySet().stream().map(site -> CompletableFuture.runAsync(
                () -> randomLoad(site.getValue(), db, operations, version, site.getKey().hashCode(), () -> false)))
                .toArray(CompletableFuture[]::new)).join();

        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        awaitRandomTablesEqual(mesh);
        long recorded = allConflicts(sh, mesh) + allConflicts(us, mesh);
        assertThat(recorded).as("conflicts met under overlapping writes").isPositive();
        System.out.printf("randomized dual writes (%s, %d operations per site): %d conflicts recorded, %d follow-ups%n",
                kind(), operations, recorded, followUps(sh, mesh) + followUps(us, mesh));
        long followUps = followUps(sh, mesh) + followUps(us, mesh);
        await(() -> FlinkRest.metricSum(runner, ConflictITBase::isConflictTotal) == recorded
                && FlinkRest.metricSum(runner, id -> id.endsWith(".conflictFollowUps")) == followUps, TIMEOUT,
                "the conflict metrics to match the conflict tables");
        assertNeverPaused();
    }

    /**
     * The TaskManager is killed twice while both sites write the same 300 keys. Both directions restore
     * from their checkpoints; the sites must still end identical, each direction must have applied
     * exactly the row changes the other site committed (none twice, none lost), and the replay after a
     * restore must record no conflict a second time: no two records of a direction share a source
     * position and key.
     */
    @Test
    void taskManagerKilledDuringOverlappingDualWritesConvergesWithoutSpuriousConflicts() throws Exception {
        LinkedSites mesh = twoSites("kill");
        String db = mesh.database;
        Map<String, Long> baseline = startRandomTables(mesh);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");

        // both sites write until both kills are done and the restored jobs have applied more of it
        int operations = Integer.getInteger("ferry.it.conflictKillOps", 5_000);
        AtomicLong version = new AtomicLong();
        AtomicBoolean killing = new AtomicBoolean(true);
        CompletableFuture<Long> fromSh = CompletableFuture.supplyAsync(
                () -> randomLoad(sh, db, operations, version, 1, killing::get));
        CompletableFuture<Long> fromUs = CompletableFuture.supplyAsync(
                () -> randomLoad(us, db, operations, version, 2, killing::get));
        for (int kill = 0; kill <= 2; kill++) {
            long sh2us = TwoWayITBase.appliedRows(us, mesh.name, "sh->us");
            long us2sh = TwoWayITBase.appliedRows(sh, mesh.name, "us->sh");
            await(() -> TwoWayITBase.appliedRows(us, mesh.name, "sh->us") > sh2us + 1000
                    && TwoWayITBase.appliedRows(sh, mesh.name, "us->sh") > us2sh + 1000, TIMEOUT,
                    "both directions to apply more of the dual writes");
            if (kill < 2) {
                runner.cluster().terminateTaskManager(kill).get(); // each kill's replacement is appended to the list
                runner.cluster().startTaskManager();
            }
        }
        killing.set(false);
        long changesAtSh = fromSh.get();
        long changesAtUs = fromUs.get();

        awaitRandomTablesEqual(mesh);
        for (String[] d : new String[][] {{"sh->us", "us"}, {"us->sh", "sh"}}) {
            TestDatabase target = mesh.site(d[1]);
            long expected = baseline.get(d[0]) + (d[0].startsWith("sh") ? changesAtSh : changesAtUs);
            await(() -> TwoWayITBase.appliedRows(target, mesh.name, d[0]) >= expected, TIMEOUT, d[0] + " markers");
            assertThat(TwoWayITBase.appliedRows(target, mesh.name, d[0])).as("row changes %s applied", d[0])
                    .isEqualTo(expected);
        }
        long recorded = allConflicts(sh, mesh) + allConflicts(us, mesh);
        System.out.printf("dual writes with 2 TaskManager kills (%s): %d and %d row changes at sh and us,"
                + " %d conflicts recorded%n", kind(), changesAtSh, changesAtUs, recorded);
        assertThat(recorded).as("conflicts met under overlapping writes").isPositive();
        for (TestDatabase site : List.of(sh, us)) {
            assertThat(site.query("SELECT direction, source_position, table_name, row_key, COUNT(*)"
                    + " FROM ferry.ferry_conflict WHERE channel = ? GROUP BY direction, source_position, table_name,"
                    + " row_key HAVING COUNT(*) > 1", mesh.name))
                    .as("conflicts recorded twice at %s (a replay after a restore)", site.name()).isEmpty();
        }
        assertThat(problems).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    private static void dualWrite(TestDatabase site, String db, List<String> tables, String amount, String updated,
            long newId) {
        List<String> sql = new ArrayList<>();
        sql.add("START TRANSACTION");
        for (String t : tables) {
            sql.add("UPDATE vgp_order_" + t + " SET amount = " + amount + ", updated = '" + updated + "' WHERE id = 1");
            sql.add("INSERT INTO vgp_order_" + t + " VALUES (" + newId + ", 'SO-X', " + amount + ", '" + updated + "')");
        }
        sql.add("COMMIT");
        exec(site, db, sql.toArray(String[]::new));
    }

    /**
     * Runs at least {@code operations} random changes, and more while {@code more} says so; returns how
     * many rows they changed in transactions that committed.
     */
    private static long randomLoad(TestDatabase site, String db, int operations, AtomicLong version, long seed,
            BooleanSupplier more) {
        Random random = new Random(seed);
        long committed = 0;
        try (Connection c = site.connect(db)) {
            for (int done = 0; done < operations || more.getAsBoolean(); ) {
                int inTransaction = random.nextInt(10) == 0 ? 3 : 1;
                c.setAutoCommit(inTransaction == 1);
                long changed = 0;
                try {
                    for (int i = 0; i < inTransaction; i++, done++) {
                        changed += randomChange(c, random, version);
                    }
                    if (inTransaction > 1) {
                        c.commit();
                    }
                    committed += changed;
                } catch (SQLTransactionRollbackException deadlock) {
                    // Ferry's apply transaction holds the same rows: as a user would, give up this one
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                }
            }
            return committed;
        } catch (SQLException e) {
            throw new IllegalStateException(site.name() + ": random load failed", e);
        }
    }

    /**
     * Creates the randomized tests' two tables at both sites (r_priority: priority of sh; r_newer:
     * newer-wins on ver), starts both directions and waits for both readers; returns the rows each
     * direction applied so far.
     */
    private Map<String, Long> startRandomTables(LinkedSites mesh) throws Exception {
        for (TestDatabase site : mesh.sites.values()) {
            exec(site, mesh.database,
                    "CREATE TABLE r_priority (id BIGINT PRIMARY KEY, v VARCHAR(40), ver BIGINT NOT NULL)",
                    "CREATE TABLE r_newer (id BIGINT PRIMARY KEY, v VARCHAR(40), ver BIGINT NOT NULL)");
        }
        mesh.extraYaml = "conflicts:\n  tables:\n    - { match: '.*\\.r_newer', newer-wins: ver }\n";
        start(mesh);
        return mesh.awaitReaders("r_priority", "VALUES (%d, 'probe', 0)");
    }

    /** Both random tables equal row by row at both sites; on a difference, prints what each site recorded. */
    private static void awaitRandomTablesEqual(LinkedSites mesh) {
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        for (String table : List.of("r_priority", "r_newer")) {
            try {
                awaitSameRows(sh, us, mesh.database, table, TIMEOUT);
            } catch (AssertionError e) {
                debugDump(sh, us, mesh.database, table, mesh);
                throw e;
            }
        }
    }

    /** One random statement; returns the rows it changed (each a row event in the binlog). */
    private static int randomChange(Connection c, Random random, AtomicLong version) throws SQLException {
        String table = random.nextBoolean() ? "r_priority" : "r_newer";
        long key = 1 + random.nextInt(300);
        int action = random.nextInt(10);
        String sql = action < 4 ? "UPDATE " + table + " SET v = ?, ver = ? WHERE id = ?"
                : action < 7 ? "INSERT INTO " + table + " (v, ver, id) VALUES (?, ?, ?)"
                : "DELETE FROM " + table + " WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (action < 7) {
                ps.setString(1, Long.toHexString(random.nextLong()));
                ps.setLong(2, version.incrementAndGet());
                ps.setLong(3, key);
            } else {
                ps.setLong(1, key);
            }
            return ps.executeUpdate(); // v and ver always change, so a matched row is a changed row
        } catch (SQLIntegrityConstraintViolationException exists) {
            // an insert of a key this site has: as a user would, move on
            return 0;
        }
    }

    /** On divergence: the first differing keys, with every conflict both sites recorded for them. */
    private static void debugDump(TestDatabase sh, TestDatabase us, String db, String table, LinkedSites mesh) {
        java.util.Set<Object> keys = new java.util.TreeSet<>();
        Map<Object, String> a = new java.util.HashMap<>();
        Map<Object, String> b = new java.util.HashMap<>();
        for (List<Object> r : sh.query("SELECT id, v, ver FROM " + q(db) + "." + table)) {
            a.put(((Number) r.get(0)).longValue(), r.get(1) + "/" + r.get(2));
        }
        for (List<Object> r : us.query("SELECT id, v, ver FROM " + q(db) + "." + table)) {
            b.put(((Number) r.get(0)).longValue(), r.get(1) + "/" + r.get(2));
        }
        keys.addAll(a.keySet());
        keys.addAll(b.keySet());
        int shown = 0;
        for (Object k : keys) {
            if (!java.util.Objects.equals(a.get(k), b.get(k)) && shown++ < 6) {
                System.out.println("DIFF key " + k + " sh=" + a.get(k) + " us=" + b.get(k));
                for (TestDatabase site : List.of(sh, us)) {
                    for (List<Object> r : site.query("SELECT direction, conflict_type, resolution, incoming_before,"
                            + " incoming_after, target_row, detected_at FROM ferry.ferry_conflict WHERE channel = ?"
                            + " AND table_name = ? AND row_key = ? ORDER BY id", mesh.name, table, "[" + k + "]")) {
                        System.out.println("  at " + site.name() + ": " + r);
                    }
                }
            }
        }
    }

    static boolean isConflictTotal(String metricId) {
        return metricId.endsWith(".conflicts") && !metricId.contains("conflictType")
                && !metricId.contains("conflictResolution");
    }

    /** No job restarted, and no checkpoint failed once the jobs were running (before that, triggers are refused). */
    private void assertNeverPaused() {
        assertThat(FlinkRest.restarts(runner)).as("job restarts").isZero();
        assertThat(FlinkRest.failedCheckpoints(runner) - failedAtStart).as("failed checkpoints").isZero();
        assertThat(problems).isEmpty();
    }

    private LinkedSites twoSites(String prefix) {
        return LinkedSites.twoSites("cf" + ProcessHandle.current().pid() + "_" + CHANNELS.incrementAndGet(), prefix,
                TestServers.site(kind(), "sh"), TestServers.site(kind(), "us"), stateDir, false);
    }

    private static String amount(TestDatabase site, String db, String table) {
        return String.valueOf(site.query("SELECT amount FROM " + q(db) + ".vgp_order_" + table + " WHERE id = 1")
                .get(0).get(0));
    }

    private static String orderNo(TestDatabase site, String db, String table) {
        return String.valueOf(site.query("SELECT order_no FROM " + q(db) + ".vgp_order_" + table + " WHERE id = 1")
                .get(0).get(0));
    }

    private static List<Long> ids(TestDatabase site, String db, String table) {
        return site.query("SELECT id FROM " + q(db) + ".vgp_order_" + table + " WHERE id > 0 ORDER BY id").stream()
                .map(r -> ((Number) r.get(0)).longValue()).toList();
    }

    /** "direction key type resolution" of each conflict recorded at {@code site} on one table. */
    private static List<String> conflicts(TestDatabase site, LinkedSites mesh, String table) {
        return site.query("SELECT direction, row_key, conflict_type, resolution FROM ferry.ferry_conflict"
                + " WHERE channel = ? AND table_name = ? AND row_key NOT LIKE '[-%' ORDER BY id", // not the probes
                mesh.name, "vgp_order_" + table).stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3)).toList();
    }

    /** "direction key type resolution" of each conflict recorded at {@code site} in the channel. */
    static List<String> records(TestDatabase site, LinkedSites mesh) {
        return site.query("SELECT direction, row_key, conflict_type, resolution FROM ferry.ferry_conflict"
                + " WHERE channel = ? AND row_key NOT LIKE '[-%' ORDER BY id", mesh.name).stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3)).toList();
    }

    static long followUps(TestDatabase site, LinkedSites mesh) {
        return ((Number) site.query("SELECT COALESCE(SUM(follow_ups), 0) FROM ferry.ferry_conflict WHERE channel = ?",
                mesh.name).get(0).get(0)).longValue();
    }

    static long allConflicts(TestDatabase site, LinkedSites mesh) {
        return ((Number) site.query("SELECT COUNT(*) FROM ferry.ferry_conflict WHERE channel = ?", mesh.name)
                .get(0).get(0)).longValue();
    }
}
