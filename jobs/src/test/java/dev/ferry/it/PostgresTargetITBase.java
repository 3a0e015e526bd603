package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.FerryException;
import dev.ferry.job.Preflight;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-way MySQL (or MariaDB) -> PostgreSQL on a Flink MiniCluster, against real servers. Every test ends
 * by comparing the source and the target row by row; the failover test also proves from the commit
 * markers that every source row change was applied exactly once.
 */
abstract class PostgresTargetITBase {
    static final Duration TIMEOUT = OneDirection.TIMEOUT;
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path stateDir;

    TestDatabase source;
    PgSite pg;
    String pgAdminPassword;
    String database;
    String channel;
    JobClient job;

    abstract ServerKind sourceKind();

    @BeforeEach
    void createChannel() {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
        source = TestServers.site(sourceKind(), "sh");
        var target = TestServers.site(ServerKind.POSTGRESQL, "pg");
        pg = new PgSite(target.jdbcUrl(), target.adminUser(), target.adminPassword());
        pgAdminPassword = target.adminPassword();
        database = source.createDatabase("pgit");
        channel = "pg" + ProcessHandle.current().pid() + "_" + CHANNELS.incrementAndGet();
    }

    @AfterEach
    void cancelJob() throws Exception {
        OneDirection.cancel(job);
    }

    ChannelConfig config(String applyMode) {
        return OneDirection.oneWay(channel, source, "pg", pg.jdbcUrl, pg.user, pgAdminPassword, database, stateDir,
                applyMode);
    }

    JobClient start(ChannelConfig config) throws Exception {
        return OneDirection.start(config, stateDir, Optional.empty());
    }

    String t(String table) {
        return q(database) + "." + q(table);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void snapshotThenStreamingEveryTypeArrivesExactly() throws Exception {
        source.execute("CREATE TABLE " + t("types") + " (" + TypeMatrix.COLUMNS + ")",
                "CREATE TABLE " + t("order items") + " (`select` INT, `my col` VARCHAR(10), `from` INT,"
                        + " `values` VARCHAR(20), PRIMARY KEY (`select`, `from`))");
        TypeMatrix.insertRows(source, database, 1, false); // copied by the snapshot
        source.execute("INSERT INTO " + t("order items") + " VALUES (1, 'a b', 2, 'x'), (1, 'c', 3, NULL)");
        job = start(config("transactional"));
        awaitSame("types");

        TypeMatrix.insertRows(source, database, 100, true); // streamed from the binlog
        TypeMatrix.updateRows(source, database);
        source.execute("UPDATE " + t("types") + " SET si = COALESCE(si, 0) DIV 2 WHERE id BETWEEN 2 AND 99",
                "DELETE FROM " + t("types") + " WHERE id IN (" + TypeMatrix.ROWS + ", " + (99 + TypeMatrix.ROWS) + ")",
                "UPDATE " + t("order items") + " SET `values` = '值' WHERE `select` = 1",
                "INSERT INTO " + t("order items") + " VALUES (2, NULL, 2, '🚢')");
        awaitSame("types");
        awaitSame("order items");
        assertThat(pg.count(database, "types")).isEqualTo(2L * TypeMatrix.ROWS - 2);
        assertNoConflicts();
    }

    /** A source's generated columns arrive as their values, in the plain columns Ferry creates for them. */
    @Test
    void generatedColumnsArriveAsTheirValues() throws Exception {
        source.execute("CREATE TABLE " + t("lines") + " (id INT PRIMARY KEY, qty INT NOT NULL,"
                        + " total INT AS (qty * 2) VIRTUAL, label VARCHAR(20) AS (CONCAT('#', id)) STORED)",
                "INSERT INTO " + t("lines") + " (id, qty) VALUES (1, 2), (2, 3)");
        job = start(config("transactional"));
        awaitSame("lines");
        source.execute("INSERT INTO " + t("lines") + " (id, qty) VALUES (3, 5)",
                "UPDATE " + t("lines") + " SET qty = 10 WHERE id = 1", "DELETE FROM " + t("lines") + " WHERE id = 2");
        awaitSame("lines");
        assertThat(pg.count(database, "lines")).isEqualTo(2L);
        assertNoConflicts();
    }

    /** The seed's ALTER and every other kind of DDL arrive as PostgreSQL DDL, and the rows around them too. */
    @Test
    void ddlIsTranslatedFromTheStructuredChange() throws Exception {
        source.execute("CREATE TABLE " + t("vgp_order") + " (id BIGINT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL,"
                + " created DATETIME(6) NOT NULL)",
                "INSERT INTO " + t("vgp_order") + " VALUES (1, 9.99, '2024-01-02 03:04:05.123456')");
        job = start(config("transactional"));
        awaitSame("vgp_order");

        source.execute("alter table " + t("vgp_order") + " add booboo varchar(255) default 'superman'",
                "INSERT INTO " + t("vgp_order") + " (id, amount, created) VALUES (2, 1.50, NOW(6))",
                "INSERT INTO " + t("vgp_order") + " VALUES (3, 2.50, NOW(6), 'batman')");
        awaitSame("vgp_order");
        assertThat(pg.query("SELECT booboo FROM " + PgSite.table(database, "vgp_order") + " ORDER BY id"))
                .containsExactly(List.of("superman"), List.of("superman"), List.of("batman"));
        assertThat(pg.query("SELECT column_default FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'vgp_order' AND column_name = 'booboo'", database).get(0).get(0))
                .startsWith("'superman'");

        source.execute("ALTER TABLE " + t("vgp_order") + " MODIFY COLUMN amount DECIMAL(12,3) NOT NULL",
                "ALTER TABLE " + t("vgp_order") + " ADD COLUMN note VARCHAR(20) NULL, ADD COLUMN qty INT NOT NULL DEFAULT 1",
                "UPDATE " + t("vgp_order") + " SET amount = 123456789.125, note = 'n' WHERE id = 1",
                "ALTER TABLE " + t("vgp_order") + " DROP COLUMN note",
                "CREATE INDEX by_created ON " + t("vgp_order") + " (created)",
                "CREATE TABLE " + t("later") + " (k VARCHAR(20) PRIMARY KEY, v TEXT)",
                "INSERT INTO " + t("later") + " VALUES ('a', 'first'), ('b', 'second')");
        awaitSame("vgp_order");
        awaitSame("later");
        assertThat(pgType("vgp_order", "amount")).isEqualTo("numeric(12,3)");
        await(() -> !pg.query("SELECT 1 FROM pg_indexes WHERE schemaname = ? AND tablename = 'vgp_order'"
                + " AND indexdef LIKE '%(created)%'", database).isEmpty(), TIMEOUT, "the index at PostgreSQL");
        source.execute("ALTER TABLE " + t("vgp_order") + " ADD UNIQUE INDEX by_qty (qty, id)");
        await(() -> !pg.query("SELECT 1 FROM pg_indexes WHERE schemaname = ? AND tablename = 'vgp_order'"
                + " AND indexdef LIKE 'CREATE UNIQUE INDEX%(qty, id)%'", database).isEmpty(), TIMEOUT,
                "the unique index added by ALTER at PostgreSQL");

        source.execute("DROP INDEX by_created ON " + t("vgp_order"),
                "TRUNCATE TABLE " + t("later"),
                "INSERT INTO " + t("later") + " VALUES ('c', 'after truncate')",
                "RENAME TABLE " + t("later") + " TO " + t("renamed"),
                "INSERT INTO " + t("renamed") + " VALUES ('d', 'after rename')");
        awaitSame("renamed");
        assertThat(pg.tableExists(database, "later")).isFalse();
        await(() -> pg.query("SELECT 1 FROM pg_indexes WHERE schemaname = ? AND tablename = 'vgp_order'"
                + " AND indexdef LIKE '%(created)%'", database).isEmpty(), TIMEOUT, "the index dropped at PostgreSQL");

        source.execute("DROP TABLE " + t("renamed"), "INSERT INTO " + t("vgp_order") + " VALUES (4, 4, NOW(6), 'x', 2)");
        awaitSame("vgp_order");
        await(() -> !pg.tableExists(database, "renamed"), TIMEOUT, "the table dropped at PostgreSQL");
        assertThat(pg.query("SELECT outcome FROM ferry.ferry_ddl WHERE channel = ? AND outcome NOT IN"
                + " ('applied', 'nothing-to-do')", channel)).as("DDL not applied").isEmpty();
        assertNoConflicts();
    }

    /**
     * A column rename looks like a drop plus an add in the structured change, which Ferry refuses to guess
     * about: the table is held, other tables go on, and the operator's SQL releases it with nothing lost.
     */
    @Test
    void aDdlThatCannotBeTranslatedHoldsOnlyItsTableUntilTheOperatorDecides() throws Exception {
        source.execute("CREATE TABLE " + t("held") + " (id INT PRIMARY KEY, b INT)",
                "CREATE TABLE " + t("free") + " (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO " + t("held") + " VALUES (1, 1)", "INSERT INTO " + t("free") + " VALUES (1, 'a')");
        job = start(config("transactional"));
        awaitSame("held");

        source.execute("ALTER TABLE " + t("held") + " RENAME COLUMN b TO b2",
                "INSERT INTO " + t("held") + " VALUES (2, 2)", "UPDATE " + t("held") + " SET b2 = 10 WHERE id = 1",
                "INSERT INTO " + t("free") + " VALUES (2, 'b')");
        awaitSame("free"); // the other table goes on
        await(() -> !pg.query("SELECT 1 FROM ferry.ferry_ddl WHERE channel = ? AND outcome = 'held'", channel)
                .isEmpty(), TIMEOUT, "the rename to be held");
        await(() -> pg.query("SELECT 1 FROM ferry.ferry_held WHERE channel = ?", channel).size() == 2, TIMEOUT,
                "the held table's two changes to wait");
        source.execute("INSERT INTO " + t("free") + " VALUES (3, 'c')");
        awaitSame("free");
        assertThat(pg.count(database, "held")).as("nothing of the held table applied").isEqualTo(1);

        pg.execute("UPDATE ferry.ferry_ddl SET outcome = 'manual', manual_sql = 'ALTER TABLE "
                + PgSite.table(database, "held").replace("'", "''") + " RENAME COLUMN b TO b2'"
                + " WHERE channel = '" + channel + "' AND outcome = 'held'");
        source.execute("INSERT INTO " + t("held") + " VALUES (3, 3)");
        awaitSame("held");
        assertThat(pg.query("SELECT 1 FROM ferry.ferry_held WHERE channel = ?", channel)).isEmpty();
        assertThat(pg.query("SELECT outcome FROM ferry.ferry_ddl WHERE channel = ? AND table_name = 'held'", channel))
                .containsExactly(List.of("released"));
        awaitSame("free");
        assertNoConflicts();
    }

    /**
     * A row PostgreSQL refuses (a CHECK constraint the source lacks) holds its table with the reason and the fix
     * (issue 17); the other table goes on; once the constraint is dropped, 'retry' applies the waiting changes, each
     * once.
     */
    @Test
    void aRowThePostgreSqlTargetRefusesHoldsItsTableUntilRetried() throws Exception {
        source.execute("CREATE TABLE " + t("refused") + " (id INT PRIMARY KEY, qty INT)",
                "CREATE TABLE " + t("free") + " (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO " + t("refused") + " VALUES (1, 1)", "INSERT INTO " + t("free") + " VALUES (1, 'a')");
        job = start(config("transactional"));
        awaitSame("refused");
        awaitSame("free");
        pg.execute("ALTER TABLE " + PgSite.table(database, "refused") + " ADD CONSTRAINT positive CHECK (qty > 0)");

        source.execute("INSERT INTO " + t("refused") + " VALUES (2, -1)",
                "UPDATE " + t("refused") + " SET qty = 5 WHERE id = 1", "INSERT INTO " + t("free") + " VALUES (2, 'b')");
        awaitSame("free"); // the other table goes on
        await(() -> !pg.query("SELECT 1 FROM ferry.ferry_ddl WHERE channel = ? AND outcome = 'held'", channel)
                .isEmpty(), TIMEOUT, "the refused row to hold its table");
        assertThat(pg.query("SELECT table_name, detail FROM ferry.ferry_ddl WHERE channel = ? AND subtask = -1",
                channel)).singleElement().satisfies(r -> {
                    assertThat(r.get(0)).isEqualTo("refused");
                    assertThat(r.get(1)).contains("CHECK constraint", "23514", "positive", "Fix:", "'retry'");
                });
        assertThat(pg.query("SELECT id, qty FROM " + PgSite.table(database, "refused")))
                .as("nothing of the held table applied").containsExactly(List.of("1", "1"));

        pg.execute("ALTER TABLE " + PgSite.table(database, "refused") + " DROP CONSTRAINT positive",
                "UPDATE ferry.ferry_ddl SET outcome = 'retry' WHERE channel = '" + channel + "' AND outcome = 'held'");
        awaitSame("refused");
        assertThat(pg.query("SELECT 1 FROM ferry.ferry_held WHERE channel = ?", channel)).isEmpty();
        assertThat(pg.query("SELECT outcome FROM ferry.ferry_ddl WHERE channel = ?", channel))
                .containsExactly(List.of("released"));
        assertThat(pg.appliedRows(channel)).as("2 copied, 3 changes, each once").isEqualTo(5);
        assertNoConflicts();
    }

    /** Spatial columns: refused by the start-up check and by 'ferry check', naming table, column and the fix. */
    @Test
    void aColumnTypeWithoutAMappingStopsTheDirectionAtStartUpBeforeAnythingIsCopied() {
        source.execute("CREATE TABLE " + t("aaa") + " (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + t("places") + " (id INT PRIMARY KEY, spot POINT)");
        ChannelConfig config = config("transactional");
        String column = database + ".places.spot (POINT)";
        assertThatThrownBy(() -> Preflight.check(config, OneDirection.direction(config)))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("Spatial column(s) at site 'sh' [" + column + "] cannot be replicated to"
                        + " PostgreSQL site 'pg'")
                .hasMessageContaining("Fix: leave these tables out of the channel with 'tables.exclude: ['"
                        + database + "\\.places']'");
        assertThat(pg.tableExists(database, "places")).isFalse();
        assertThat(ChannelCheck.run(config)).filteredOn(r -> r.check().equals("types for pg"))
                .extracting(ChannelCheck.Result::site, ChannelCheck.Result::status, ChannelCheck.Result::detail)
                .singleElement().satisfies(r -> {
                    assertThat(r.toList()).startsWith("sh", ChannelCheck.Status.FAIL);
                    assertThat((String) r.toList().get(2)).contains(column);
                });
    }

    /** Ferry's PostgreSQL session runs triggers (it is not a replica session): an enabled one is refused. */
    @Test
    void anEnabledTriggerAtThePostgreSqlTargetIsRefusedUntilItIsDisabled() {
        source.execute("CREATE TABLE " + t("orders") + " (id INT PRIMARY KEY, note VARCHAR(20))",
                "INSERT INTO " + t("orders") + " VALUES (1, 'a')");
        String orders = PgSite.table(database, "orders");
        pg.execute("CREATE SCHEMA " + PgSite.q(database),
                "CREATE TABLE " + orders + " (id integer PRIMARY KEY, note varchar(20))",
                "CREATE FUNCTION " + PgSite.q(database) + ".shout() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN NEW.note := upper(NEW.note); RETURN NEW; END $$",
                "CREATE TRIGGER orders_shout BEFORE INSERT OR UPDATE ON " + orders + " FOR EACH ROW EXECUTE FUNCTION "
                        + PgSite.q(database) + ".shout()");
        ChannelConfig config = config("transactional");

        assertThatThrownBy(() -> Preflight.check(config, OneDirection.direction(config)))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("Trigger(s) at PostgreSQL site 'pg' would run again on the rows Ferry copies")
                .hasMessageContaining("\"orders_shout\" (BEFORE INSERT OR UPDATE ON " + orders + ")")
                .hasMessageContaining("ALTER TABLE " + orders + " DISABLE TRIGGER \"orders_shout\"");
        assertThat(pg.count(database, "orders")).as("nothing copied").isZero();
        assertThat(ChannelCheck.run(config)).filteredOn(r -> r.check().equals("triggers"))
                .extracting(ChannelCheck.Result::site, ChannelCheck.Result::status)
                .containsExactly(tuple("pg", ChannelCheck.Status.FAIL));

        pg.execute("ALTER TABLE " + orders + " DISABLE TRIGGER orders_shout");
        assertThat(ChannelCheck.run(config)).filteredOn(r -> r.check().equals("triggers"))
                .extracting(ChannelCheck.Result::site, ChannelCheck.Result::status)
                .containsExactly(tuple("pg", ChannelCheck.Status.OK));
        Preflight.check(config, OneDirection.direction(config));
    }

    @Test
    void taskManagerKilledUnderLoadLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster flink) throws Exception {
        Workload.createTables(source, database);
        job = start(config("transactional"));
        source.execute("INSERT INTO " + t("events") + " VALUES (0, 0, 'probe')");
        await(() -> pg.tableExists(database, "events") && pg.count(database, "events") == 1
                && pg.count(database, "counters") == Workload.COUNTERS, TIMEOUT, "the snapshot and a probe row");
        long transactions;
        try (Workload load = new Workload(source, database, 1, () -> pg.appliedRows(channel))) {
            await(() -> pg.count(database, "events") > 200, TIMEOUT, "the load to reach the target");
            flink.terminateTaskManager(0).get();
            long appliedAtKill = pg.appliedRows(channel);
            flink.startTaskManager();
            // the load stops once the restarted job applies again: it must not outrun the target for minutes
            await(() -> pg.appliedRows(channel) > appliedAtKill + 1000, TIMEOUT, "the restarted job to apply");
            transactions = load.stop();
        }
        long expectedRows = Workload.expectedAppliedRows(transactions);
        await(() -> pg.appliedRows(channel) >= expectedRows, TIMEOUT, expectedRows + " applied rows");
        awaitSame("events");
        awaitSame("counters");
        assertThat(pg.appliedRows(channel)).as("rows applied (no loss, no duplicates)").isEqualTo(expectedRows);
        assertThat(pg.count(database, "events")).isEqualTo(transactions + 1);
        assertNoConflicts();
    }

    // ------------------------------------------------------------------ comparison

    private String pgType(String table, String column) {
        return pg.query("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN pg_class c ON"
                + " c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND"
                + " c.relname = ? AND a.attname = ?", database, table, column).get(0).get(0);
    }

    void assertNoConflicts() {
        assertThat(pg.query("SELECT conflict_type, row_key, incoming_before, target_row FROM ferry.ferry_conflict"
                + " WHERE channel = ?", channel)).as("conflicts").isEmpty();
    }

    /** Polls until source and target hold the same rows, then asserts it (showing the difference). */
    void awaitSame(String table) {
        try {
            await(() -> CrossRows.source(source, database, table).equals(CrossRows.target(pg, database, table)),
                    TIMEOUT, database + "." + table + " to arrive at PostgreSQL");
        } finally {
            List<List<String>> expected = CrossRows.source(source, database, table);
            List<List<String>> actual = CrossRows.target(pg, database, table);
            List<String> differences = new ArrayList<>();
            for (int r = 0; r < Math.max(expected.size(), actual.size()) && differences.size() < 10; r++) {
                List<String> e = r < expected.size() ? expected.get(r) : null;
                List<String> a = r < actual.size() ? actual.get(r) : null;
                if (!java.util.Objects.equals(e, a)) {
                    differences.add("row " + r + ": " + e + " at the source vs " + a + " at PostgreSQL");
                }
            }
            assertThat(differences).as("%s.%s", database, table).isEmpty();
        }
    }
}
