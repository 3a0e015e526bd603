package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Await;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Every direction of a channel at once, through {@code ferry run}'s in-process runner, on real
 * servers of one kind. Each test ends with all sites equal row by row, and proves from the commit
 * markers that every site applied each other site's changes exactly once and nothing came back.
 */
abstract class TwoWayITBase extends MeshITBase {
    static final Duration TIMEOUT = ReplicationITBase.TIMEOUT;

    /** Row changes each direction had applied when the load started. */
    Map<String, Long> baseline;

    /** The seed scenario of issue 3, on the seed's own schema and tables. */
    @Test
    void seedScenario() throws Exception {
        TestDatabase sh = TestServers.site(kind(), "sh");
        TestDatabase us = TestServers.site(kind(), "us");
        String db = "vingoo_mc";
        for (TestDatabase site : List.of(sh, us)) {
            site.execute("DROP DATABASE IF EXISTS vingoo_mc", "CREATE DATABASE vingoo_mc",
                    "CREATE TABLE vingoo_mc.vgp_order (id BIGINT PRIMARY KEY, order_no VARCHAR(32) NOT NULL,"
                            + " amount DECIMAL(12,2), created DATETIME(6))",
                    "CREATE TABLE vingoo_mc.vgp_order_info (order_id BIGINT, line INT, sku VARCHAR(40),"
                            + " PRIMARY KEY (order_id, line))",
                    "CREATE TABLE vingoo_mc.vgp_payment (id BIGINT PRIMARY KEY, order_id BIGINT, paid DECIMAL(12,2))");
        }
        LinkedSites mesh = new LinkedSites(channelName(), db, twoSites(sh, us), stateDir, true);
        start(mesh);
        Map<String, Long> before = mesh.awaitReaders("vgp_payment", "(id, order_id, paid) VALUES (%d, 0, 0)");

        // 1. bulk inserts at sh arrive at us
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder orders = new StringBuilder();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                long id = batch * 100L + i + 1;
                orders.append(i == 0 ? "" : ",").append("(").append(id).append(", 'SO-").append(id)
                        .append("', ").append(id).append(".25, '2026-11-23 10:00:00.123456')");
                lines.append(i == 0 ? "" : ",").append("(").append(id).append(", 1, '观澜湖新城-B1'),(").append(id)
                        .append(", 2, 'sku')");
            }
            exec(sh, db, "INSERT INTO vgp_order VALUES " + orders, "INSERT INTO vgp_order_info VALUES " + lines,
                    "INSERT INTO vgp_payment VALUES (" + (batch + 1) + ", " + (batch * 100 + 1) + ", 10.5)");
        }
        awaitSameTables(sh, us, db, "vgp_order", "vgp_order_info", "vgp_payment");
        assertThat(count(us, db, "vgp_order")).isEqualTo(1000);

        // 2. the seed's ALTER at sh arrives at us, and rows written after it carry the new column
        exec(sh, db, "alter table vgp_order add booboo varchar(255) default 'superman'");
        exec(sh, db, "INSERT INTO vgp_order (id, order_no, booboo) VALUES (5000, 'SO-5000', 'batman')");
        awaitSameSchema(sh, us, db);
        awaitSameRows(sh, us, db, "vgp_order", TIMEOUT);
        assertThat(us.query("SELECT booboo FROM vingoo_mc.vgp_order WHERE id = 1").get(0).get(0)).isEqualTo("superman");

        // 3. a new table created at sh appears at us
        exec(sh, db, "create table booboo_test (id int auto_increment primary key, num int)");
        awaitSameSchema(sh, us, db);

        // 4. an insert at us arrives at sh
        exec(us, db, "insert into booboo_test set num=2");
        awaitSameRows(us, sh, db, "booboo_test", TIMEOUT);
        assertThat(count(sh, db, "booboo_test")).isEqualTo(1);

        // 5. a drop at us drops it at sh
        exec(us, db, "drop table booboo_test");
        await(() -> tables(sh, db).equals(List.of("vgp_order", "vgp_order_info", "vgp_payment")), TIMEOUT,
                "booboo_test to be dropped at sh");
        awaitSameSchema(sh, us, db);
        awaitSameTables(sh, us, db, "vgp_order", "vgp_order_info", "vgp_payment");

        // nothing echoed: each DDL was executed once, at the other site only
        assertThat(ddlRecords(us, mesh.name)).containsExactly(
                "sh->us applied alter table vgp_order add booboo varchar(255) default 'superman'",
                "sh->us applied create table booboo_test (id int auto_increment primary key, num int)");
        assertThat(ddlRecords(sh, mesh.name)).containsExactly("us->sh applied DROP TABLE `vingoo_mc`.`booboo_test`");
        // row changes at sh: 1000 orders, 2000 lines, 10 payments, 1 more order; at us: the booboo_test row
        assertThat(appliedRows(us, mesh.name, "sh->us") - before.get("sh->us")).isEqualTo(1000 + 2000 + 10 + 1);
        assertThat(appliedRows(sh, mesh.name, "us->sh") - before.get("us->sh")).isEqualTo(1);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyKindOfDdlReplicatesBothWaysAndNothingEchoes() throws Exception {
        LinkedSites mesh = mesh2("ddl", "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT)", true);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        String outside = sh.createDatabase("outside");
        start(mesh);
        mesh.awaitReaders("t", "(id, a, b) VALUES (%d, 'probe', 0)");

        String[][] steps = {
            {"sh", "ALTER TABLE t ADD COLUMN c INT DEFAULT 7", "INSERT INTO t (id, a, b, c) VALUES (1, 'one', 1, 1)"},
            {"us", "ALTER TABLE t MODIFY COLUMN a VARCHAR(50) NOT NULL DEFAULT ''",
                "INSERT INTO t (id, a, b) VALUES (2, 'a value longer than twenty', 2)"},
            {"sh", "ALTER TABLE t RENAME COLUMN b TO b2", "INSERT INTO t (id, a, b2) VALUES (3, 'three', 3)"},
            {"us", "ALTER TABLE t DROP COLUMN c", "UPDATE t SET b2 = b2 + 10 WHERE id = 1"},
            {"sh", "ALTER TABLE t ADD INDEX ia (a)", "INSERT INTO t (id, a, b2) VALUES (4, 'four', 4)"},
            {"us", "ALTER TABLE t DROP INDEX ia", "DELETE FROM t WHERE id = 2"},
            // Flink CDC 3.5.0 does not deliver these two; Ferry's index watcher sends them (see docs/two-way.md)
            {"sh", "CREATE UNIQUE INDEX ib ON t (b2)", "INSERT INTO t (id, a, b2) VALUES (5, 'five', 5)"},
            {"us", "DROP INDEX ib ON t", "INSERT INTO t (id, a, b2) VALUES (6, 'six', 6)"},
            {"sh", "CREATE TABLE t2 (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t2 VALUES (1, 'x'), (2, 'y')"},
            {"us", "RENAME TABLE t2 TO t3", "INSERT INTO t3 VALUES (3, 'z')"},
            {"sh", "TRUNCATE TABLE t3", "INSERT INTO t3 VALUES (4, 'truncated')"},
            {"us", "DROP TABLE t3", "INSERT INTO t (id, a, b2) VALUES (7, 'seven', 7)"},
        };
        for (String[] step : steps) {
            TestDatabase site = mesh.site(step[0]);
            exec(site, db, step[1], step[2]);
            awaitSameSchema(sh, us, db);
            for (String table : tables(sh, db)) {
                awaitSameRows(sh, us, db, table, TIMEOUT);
            }
        }

        // already satisfied at the target: recorded, and replication goes on
        exec(us, db, "SET SESSION sql_log_bin = 0", "ALTER TABLE t ADD COLUMN d INT", "SET SESSION sql_log_bin = 1");
        exec(sh, db, "ALTER TABLE t ADD COLUMN d INT", "INSERT INTO t (id, a, b2, d) VALUES (8, 'eight', 8, 8)");
        awaitSameRows(sh, us, db, "t", TIMEOUT);
        assertThat(us.query("SELECT outcome, detail FROM ferry.ferry_ddl WHERE channel = ? AND statement LIKE"
                + " '%ADD COLUMN d INT'", mesh.name)).singleElement()
                .satisfies(r -> assertThat(r.get(0)).isEqualTo("already-satisfied"))
                .satisfies(r -> assertThat((String) r.get(1)).contains("1060"));

        // DDL of a table outside the channel, and DCL, are not replicated and break nothing
        String user = "dcl_" + db;
        exec(sh, outside, "CREATE TABLE x (id INT PRIMARY KEY)", "ALTER TABLE x ADD COLUMN c INT",
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'not-replicated'",
                "GRANT SELECT ON " + q(db) + ".* TO '" + user + "'@'%'");
        exec(sh, db, "INSERT INTO t (id, a, b2) VALUES (9, 'nine', 9)");
        awaitSameRows(sh, us, db, "t", TIMEOUT);
        assertThat(us.query("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", outside)
                .get(0).get(0)).isEqualTo(0L);
        assertThat(us.query("SELECT COUNT(*) FROM mysql.user WHERE user = ?", user).get(0).get(0)).isEqualTo(0L);
        exec(sh, outside, "DROP USER '" + user + "'@'%'");

        // each statement ran once at the other site and never came back
        assertThat(ddlRecords(us, mesh.name)).hasSize(7).allMatch(r -> r.startsWith("sh->us "));
        assertThat(ddlRecords(sh, mesh.name)).hasSize(6).allMatch(r -> r.startsWith("us->sh "));
        assertThat(problems).isEmpty();
    }

    /**
     * A source server restarted cleanly (as for an upgrade) while both sites write: the lost connection is noticed
     * within seconds (ReaderWatchdog) and the direction reads on from its checkpoint. With Debezium's default
     * keep-alive (a minute) the direction read nothing for one to two minutes after the restart (seen by the
     * two-site checker), while it showed as running; with the keep-alive off and no watchdog, it never reads again.
     */
    @Test
    void aRestartedSourceServerIsReadAgainWithinSeconds() throws Exception {
        LinkedSites mesh = mesh2("srvrestart", SiteLoad.TABLE_DDL, false);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        inParallel(loads, load -> load.transactions(30));
        awaitAllEqual(mesh, loads);

        us.restart();
        inParallel(loads, load -> load.transactions(30));
        long expected = baseline.get("us->sh") + loads.get(1).rowChanges();
        await(() -> appliedRows(sh, mesh.name, "us->sh") >= expected, Duration.ofSeconds(40),
                "us->sh to read us again after its restart");
        awaitAllEqual(mesh, loads);
    }

    /**
     * A target held locked for longer than the reader's silence limit while a big transaction is read: the reader
     * waits, backpressured, in the middle of the transaction; nothing restarts and nothing is read twice. With the
     * binlog client's keep-alive (3 s) it reconnected in place instead, and on MySQL with GTIDs read the
     * transaction's first rows a second time (docs/exactly-once.md, "The reading side").
     */
    @Test
    void aLockedTargetHoldsBackTheReaderWithoutAReconnect() throws Exception {
        LinkedSites mesh = mesh2("locked", SiteLoad.TABLE_DDL, false);
        TestDatabase us = mesh.site("us");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        SiteLoad atSh = loads.stream().filter(l -> l.origin().equals("sh")).findFirst().orElseThrow();
        long restarts = FlinkRest.restarts(runner);
        try (java.sql.Connection lock = us.connect(mesh.database); java.sql.Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES events WRITE");
            // the commit of this one waits for the lock, and so the apply takes no more rows: the big transaction,
            // committed seconds later, backs up into the reader while it is being read
            atSh.transactions(1);
            atSh.bulk(1, 100_000); // more rows than the buffers between reader and apply hold
            Await.holds(() -> FlinkRest.restarts(runner) == restarts,
                    dev.ferry.job.DirectionJob.READER_SILENCE.plusSeconds(5), "no restart while the target is locked");
            s.execute("UNLOCK TABLES");
        }
        awaitAllEqual(mesh, loads);
        assertThat(FlinkRest.restarts(runner)).as("restarts").isEqualTo(restarts);
    }

    /**
     * Both directions restore from their checkpoints in the middle of dual writes with big
     * transactions. The TaskManager is killed again until a restore has landed inside a stamped
     * transaction (a checkpoint falls between two fetch batches of the transaction Ferry applied at
     * the other site), which the loop filter reports in a metric.
     */
    @Test
    void taskManagerKilledDuringDualWritesStillAppliesEverythingOnce() throws Exception {
        LinkedSites mesh = mesh2("kill", SiteLoad.TABLE_DDL, false);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> inParallel(loads, l -> {
            String direction = l.origin() + "->" + (l.origin().equals("sh") ? "us" : "sh");
            TestDatabase target = mesh.site(direction.split("->")[1]);
            while (writing.get()) {
                l.bulk(1, 5000);
                l.transactions(20);
                // a backlog of at most 20,000 rows: a runaway load only grows the tables compared at the end
                await(() -> !writing.get() || appliedRows(target, mesh.name, direction) - baseline.get(direction)
                        >= l.rowChanges() - 20_000, TIMEOUT, direction + " to keep up with the load");
            }
        }));
        boolean landedInsideStampedTransaction = false;
        for (int kill = 0; kill < 10 && !landedInsideStampedTransaction; kill++) {
            runner.cluster().terminateTaskManager(kill).get(); // each kill's replacement is appended to the list
            runner.cluster().startTaskManager();
            // both jobs run again and have applied more, so their metrics come from the restored run
            long sh2us = appliedRows(us, mesh.name, "sh->us");
            long us2sh = appliedRows(sh, mesh.name, "us->sh");
            await(() -> appliedRows(us, mesh.name, "sh->us") > sh2us + 6000
                    && appliedRows(sh, mesh.name, "us->sh") > us2sh + 6000, TIMEOUT, "both directions to apply more");
            landedInsideStampedTransaction = FlinkRest.anyOperatorReports(runner, "restoredInsideStampedTransaction", "1");
        }
        writing.set(false);
        load.get();
        assertThat(landedInsideStampedTransaction).as("a restore landed inside a stamped transaction").isTrue();
        awaitAllEqual(mesh, loads);
    }

    // ---------------------------------------------------------------------------------------------

    /** One load per site, each on its own keys, started once every reader runs. */
    List<SiteLoad> probedLoads(LinkedSites mesh) {
        baseline = mesh.awaitReaders("events", "(id, origin, n) VALUES (%d, 'probe', 0)");
        List<SiteLoad> loads = new ArrayList<>();
        long base = 1_000_000_000L; // far apart: a long kill test inserts over a million rows per site
        for (Map.Entry<String, TestDatabase> site : mesh.sites.entrySet()) {
            loads.add(new SiteLoad(site.getValue(), mesh.database, site.getKey(), base));
            base += 1_000_000_000L;
        }
        return loads;
    }

    /** All sites equal row by row, and each applied exactly the row changes each other site made. */
    void awaitAllEqual(LinkedSites mesh, List<SiteLoad> loads) {
        List<String> names = List.copyOf(mesh.sites.keySet());
        // every direction first: two sites that both still lack a third site's last transaction are
        // equal for a moment, so comparing rows before everything has arrived could pass too early
        // (or fail, when one of them receives it between the wait and the comparison); a hub's directions carry
        // what the other sites wrote too
        for (String direction : mesh.directions()) {
            long expected = baseline.get(direction) + mesh.origins(direction).stream()
                    .mapToLong(origin -> loads.get(names.indexOf(origin)).rowChanges()).sum();
            TestDatabase target = mesh.site(direction.split("->")[1]);
            await(() -> appliedRows(target, mesh.name, direction) >= expected, TIMEOUT, direction + " markers");
            assertThat(appliedRows(target, mesh.name, direction)).as("row changes %s applied", direction)
                    .isEqualTo(expected);
        }
        for (int i = 1; i < names.size(); i++) {
            awaitSameRows(mesh.site(names.get(0)), mesh.site(names.get(i)), mesh.database, "events", TIMEOUT);
        }
        assertThat(count(mesh.site(names.get(0)), mesh.database, "events")).isPositive();
        for (TestDatabase site : mesh.sites.values()) {
            // the sites write disjoint keys: any conflict, e.g. from a replay after a restore, is spurious
            assertThat(site.query("SELECT direction, conflict_type, row_key FROM ferry.ferry_conflict"
                    + " WHERE channel = ? AND row_key NOT LIKE '[-%'", mesh.name)) // a probe can miss: not started yet
                    .as("conflicts recorded at %s", site.name()).isEmpty();
        }
        assertBinlogsQuiet(mesh);
    }

    /**
     * No echo, seen in the binlogs: once the sites are equal, every site's binlog grows only by
     * heartbeat rows. Waits until each site has logged a few row events, then checks that all of
     * them were heartbeats (an echo or a ping-pong would log rows of the user's tables). Every site's
     * binlog end is taken first and the sites are then watched together: their heartbeats accrue at the
     * same time, so the wait is that of one site, not the sum over the sites.
     */
    static void assertBinlogsQuiet(LinkedSites mesh) {
        Map<TestDatabase, String> events = new LinkedHashMap<>();
        for (TestDatabase site : mesh.sites.values()) {
            List<Object> start = site.query(site.kind() == ServerKind.MYSQL ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS")
                    .get(0);
            events.put(site, "SHOW BINLOG EVENTS IN '" + start.get(0) + "' FROM " + start.get(1));
        }
        await(() -> events.entrySet().stream().allMatch(e -> tableMaps(e.getKey(), e.getValue()).size() >= 4),
                TIMEOUT, "heartbeats in the binlogs of " + mesh.sites.keySet());
        events.forEach((site, showEvents) -> assertThat(tableMaps(site, showEvents))
                .as("tables written at %s after the sites converged", site.name())
                .hasSizeGreaterThanOrEqualTo(4).allMatch(info -> info.endsWith("(ferry.ferry_heartbeat)")));
    }

    /** The Info column of the binlog's Table_map events: which table each row event writes. */
    private static List<String> tableMaps(TestDatabase site, String showEvents) {
        return site.query(showEvents).stream().filter(r -> "Table_map".equals(r.get(2)))
                .map(r -> String.valueOf(r.get(5))).toList();
    }

    static void inParallel(List<SiteLoad> loads, java.util.function.Consumer<SiteLoad> work) {
        CompletableFuture.allOf(loads.stream().map(l -> CompletableFuture.runAsync(() -> work.accept(l)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static void awaitSameTables(TestDatabase a, TestDatabase b, String db, String... tables) {
        for (String table : tables) {
            awaitSameRows(a, b, db, table, TIMEOUT);
        }
    }

    private static void awaitSameSchema(TestDatabase a, TestDatabase b, String db) {
        try {
            await(() -> Sites.schema(a, db).equals(Sites.schema(b, db)), TIMEOUT, "the schema of " + db + " to converge");
        } finally {
            assertThat(Sites.schema(b, db)).isEqualTo(Sites.schema(a, db));
        }
    }

    static List<String> tables(TestDatabase server, String db) {
        return server.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " ORDER BY TABLE_NAME", db).stream().map(r -> (String) r.get(0)).toList();
    }

    /** "direction outcome statement-without-tag" for each DDL Ferry executed at this site. */
    static List<String> ddlRecords(TestDatabase server, String channel) {
        return server.query("SELECT direction, outcome, statement FROM ferry.ferry_ddl WHERE channel = ?"
                + " ORDER BY applied_at", channel).stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + ((String) r.get(2)).replaceFirst(" /\\* ferry:[^*]*\\*/", ""))
                .toList();
    }

    static long appliedRows(TestDatabase target, String channel, String direction) {
        List<List<Object>> r = target.query("SELECT COALESCE(SUM(row_count), 0) FROM ferry.ferry_commit"
                + " WHERE channel = ? AND direction = ?", channel, direction);
        return ((Number) r.get(0).get(0)).longValue();
    }

    static void exec(TestDatabase server, String db, String... sql) {
        try (java.sql.Connection c = server.connect(db); java.sql.Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(server.name() + ": " + e.getMessage() + " in " + List.of(sql), e);
        }
    }
}
