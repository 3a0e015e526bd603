package dev.ferry.it;

import static dev.ferry.it.ConflictITBase.records;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.TwoWayITBase.TIMEOUT;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the failures users saw with two sites, sh (the home site) and us, both
 * directions running (issue 16). Each test is one failure, made deterministic and small, and ends
 * with the sites equal row by row plus the check that the failure broke.
 *
 * <p>"Everything settled" is proven, not slept for: a round trip of probe rows (sh to us, then us
 * to sh, {@link LinkedSites#awaitReaders}) follows, in each direction's binlog order, whatever the sites
 * wrote before it, so once the probes arrived, anything Ferry was to send back because of the
 * test's writes has arrived too. Then each binlog must grow by heartbeat rows only for a few
 * heartbeats ({@link TwoWayITBase#assertBinlogsQuiet}), and the rows are compared again.
 */
abstract class TwoWayRegressionITBase extends MeshITBase {
    private static final String TABLE = "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL, n INT NOT NULL)";
    private static final String PROBE = "(id, v, n) VALUES (%d, 'probe', 0)";

    /**
     * Failure 1 (sysbench oltp_write_only): us deletes a row and inserts it again with the same id in one
     * transaction. sh applied it, then a Ferry-stamped transaction deleted the row at us, and the sites
     * never converged.
     */
    @Test
    void deleteAndReinsertInOneTransactionAtUsStaysAtBothSites() throws Exception {
        deleteAndReinsertInOneTransaction("us", false);
    }

    /**
     * Failure 1 as sysbench met it: its transactions hit a few rows most of the time, so the row deleted and
     * re-inserted at us had met a conflict shortly before (both sites updated it at once).
     */
    @Test
    void deleteAndReinsertAtUsOfARowThatHadAConflictStaysAtBothSites() throws Exception {
        deleteAndReinsertInOneTransaction("us", true);
    }

    /** Failure 1 the other way round: the home site deletes and re-inserts. */
    @Test
    void deleteAndReinsertInOneTransactionAtShStaysAtBothSites() throws Exception {
        deleteAndReinsertInOneTransaction("sh", false);
    }

    /**
     * Failure 2 without waiting for sh: the five writes follow each other by about two checkpoints of
     * each direction (each 500 ms), so each goes to sh in its own committable, and whatever comes back
     * for the earlier ones meets the later ones at us.
     */
    @Test
    void writesAtUsAfterAConflictInQuickSuccessionAllSurvive() throws Exception {
        writesAtUsAfterAConflict(false);
    }

    /**
     * Failure 3, the seed's booboo_test steps, all at us within a second: create the table, insert a
     * row, drop it. us->sh applies all three; sh->us then failed for good on the row it sent back,
     * because the table was gone at us ("table vingoo_mc.booboo_test does not exist at the target").
     * Rows written at sh afterwards must still reach us, and no direction may fail or restart.
     */
    @Test
    void aTableCreatedFilledAndDroppedAtUsDoesNotStopShToUs() throws Exception {
        LinkedSites mesh = mesh2("vingoo_mc", "CREATE TABLE vgp_order (id BIGINT PRIMARY KEY, order_no VARCHAR(32) NOT NULL)",
                false);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        start(mesh);
        mesh.awaitReaders("vgp_order", "(id, order_no) VALUES (%d, 'probe')");

        exec(us, db, "create table booboo_test (id int auto_increment primary key, num int)",
                "insert into booboo_test set num=2", "drop table booboo_test");
        List<String> applied = List.of(
                "us->sh applied create table booboo_test (id int auto_increment primary key, num int)",
                "us->sh applied DROP TABLE `" + db + "`.`booboo_test`");
        try {
            await(() -> TwoWayITBase.ddlRecords(sh, mesh.name).equals(applied), TIMEOUT,
                    "the create and the drop of booboo_test to be applied at sh"); // a 'pending' record comes first
        } finally {
            assertThat(TwoWayITBase.ddlRecords(sh, mesh.name)).isEqualTo(applied);
        }

        // written at sh after the drop: must reach us
        exec(sh, db, "INSERT INTO vgp_order VALUES (1, 'SO-1'), (2, 'SO-2')", "UPDATE vgp_order SET order_no = 'SO-1b'"
                + " WHERE id = 1");
        awaitSameRows(sh, us, db, "vgp_order", TIMEOUT);
        assertThat(Sites.rows(us, db, "vgp_order")).containsExactly(List.of("1", "SO-1b"), List.of("2", "SO-2"));

        settle(mesh, "vgp_order", "(id, order_no) VALUES (%d, 'probe')");
        Sites.assertSameRows(sh, us, db, "vgp_order");
        for (TestDatabase site : List.of(sh, us)) {
            assertThat(TwoWayITBase.tables(site, db)).as("tables at %s", site.name()).containsExactly("vgp_order");
        }
        assertThat(records(sh, mesh)).isEmpty();
        assertThat(records(us, mesh)).isEmpty();
        assertEveryDirectionRunsWithoutRestart();
    }

    // ---------------------------------------------------------------------------------------------

    private void deleteAndReinsertInOneTransaction(String at, boolean afterAConflict) throws Exception {
        LinkedSites mesh = startWithRows("reinsert", "(1, 'one', 1), (2, 'two', 2), (3, 'three', 3)");
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        List<String> conflictAtSh = records(sh, mesh);
        List<String> conflictAtUs = records(us, mesh);
        if (afterAConflict) {
            conflictOn(mesh, 2);
            conflictAtSh = records(sh, mesh);
            conflictAtUs = records(us, mesh);
        }

        TestDatabase writer = mesh.site(at);
        TestDatabase other = writer == sh ? us : sh;
        exec(writer, db, "START TRANSACTION", "DELETE FROM t WHERE id = 2",
                "INSERT INTO t VALUES (2, 'reinserted at " + at + "', 20)", "COMMIT");
        List<List<String>> expected = List.of(List.of("1", "one", "1"), List.of("2", "reinserted at " + at, "20"),
                List.of("3", "three", "3"));
        await(() -> Sites.rows(other, db, "t").equals(expected), TIMEOUT,
                "the re-inserted row to reach " + other.name());

        settle(mesh, "t", PROBE);
        for (TestDatabase site : List.of(sh, us)) {
            assertThat(Sites.rows(site, db, "t")).as("rows at %s once everything settled", site.name())
                    .isEqualTo(expected);
        }
        assertThat(records(sh, mesh)).as("conflicts recorded at sh").isEqualTo(conflictAtSh);
        assertThat(records(us, mesh)).as("conflicts recorded at us").isEqualTo(conflictAtUs);
        assertEveryDirectionRunsWithoutRestart();
    }

    private void writesAtUsAfterAConflict(boolean awaitEachAtSh) throws Exception {
        LinkedSites mesh = startWithRows("afterconflict", "(1, 'start', 0)");
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        conflictOn(mesh, 1);
        List<String> conflictAtSh = records(sh, mesh);
        List<String> conflictAtUs = records(us, mesh);

        // then us alone writes the row, five times
        for (int i = 1; i <= 5; i++) {
            String value = "write " + i + " at us";
            long checkpoints = FlinkRest.completedCheckpoints(runner);
            exec(us, db, "UPDATE t SET v = '" + value + "', n = " + (60000 + i) + " WHERE id = 1");
            if (awaitEachAtSh) {
                await(() -> value.equals(sh.query("SELECT v FROM " + Sites.q(db) + ".t WHERE id = 1").get(0).get(0)),
                        TIMEOUT, "'" + value + "' to reach sh");
            } else {
                // two more checkpoints: every job has committed what it read before this write, whatever its phase
                await(() -> FlinkRest.completedCheckpoints(runner) >= checkpoints + 2 * runner.jobs().size(), TIMEOUT,
                        "the next checkpoints after '" + value + "'");
            }
        }
        List<String> expected = List.of("1", "write 5 at us", "60005");
        await(() -> Sites.rows(sh, db, "t").equals(List.of(expected)), TIMEOUT, "us's last write to reach sh");

        settle(mesh, "t", PROBE);
        for (TestDatabase site : List.of(sh, us)) {
            assertThat(Sites.rows(site, db, "t")).as("rows at %s once everything settled: us's last write",
                    site.name()).containsExactly(expected);
        }
        assertThat(records(sh, mesh)).as("conflicts at sh: only the first one's").isEqualTo(conflictAtSh);
        assertThat(records(us, mesh)).as("conflicts at us: only the first one's").isEqualTo(conflictAtUs);
        assertEveryDirectionRunsWithoutRestart();
    }

    /**
     * Sites sh and us with table t holding the same {@code rows} at both before both directions start
     * ({@code latest}; priority of sh on conflicts, the default made explicit), once both readers run.
     */
    private LinkedSites startWithRows(String prefix, String rows) throws Exception {
        LinkedSites mesh = mesh2(prefix, TABLE, false);
        for (TestDatabase site : mesh.sites.values()) {
            exec(site, mesh.database, "INSERT INTO t VALUES " + rows);
        }
        mesh.extraYaml = "conflicts:\n  default: { priority: sh }\n";
        start(mesh);
        mesh.awaitReaders("t", PROBE);
        return mesh;
    }

    /**
     * A real conflict on row {@code id} of t: both sites update it at once. Returns once both sites
     * recorded it, sh's version (the home site's) is at both, and everything settled.
     */
    private static void conflictOn(LinkedSites mesh, int id) {
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> exec(sh, db, "UPDATE t SET v = 'conflict at sh', n = 42330"
                        + " WHERE id = " + id)),
                CompletableFuture.runAsync(() -> exec(us, db, "UPDATE t SET v = 'conflict at us', n = 11111"
                        + " WHERE id = " + id)))
                .join();
        String key = "[" + id + "]";
        await(() -> records(sh, mesh).stream().anyMatch(c -> c.startsWith("us->sh " + key + " "))
                && records(us, mesh).stream().anyMatch(c -> c.startsWith("sh->us " + key + " ")), TIMEOUT,
                "the conflict on row " + id + " to be recorded at both sites");
        settle(mesh, "t", PROBE);
        assertThat(us.query("SELECT v, n FROM " + Sites.q(db) + ".t WHERE id = ?", id))
                .as("row %d at us after the conflict", id).containsExactly(List.of("conflict at sh", 42330));
        assertThat(records(sh, mesh)).as("the conflict at sh")
                .allMatch(c -> c.equals("us->sh " + key + " update-mismatch target-kept"));
        assertThat(records(us, mesh)).as("the conflict at us")
                .allMatch(c -> c.equals("sh->us " + key + " update-mismatch incoming-applied"));
    }

    /**
     * Waits until everything the sites wrote so far has gone where it goes and come back if it comes
     * back (a round trip of probe rows through {@code table}), then until the sites hold the same rows in
     * it and their binlogs grow by heartbeats only.
     */
    private static void settle(LinkedSites mesh, String table, String probeValues) {
        mesh.awaitReaders(table, probeValues);
        awaitSameRows(mesh.site("sh"), mesh.site("us"), mesh.database, table, TIMEOUT);
        TwoWayITBase.assertBinlogsQuiet(mesh);
    }
}
