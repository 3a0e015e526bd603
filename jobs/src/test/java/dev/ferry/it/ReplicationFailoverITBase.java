package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.cli.FerryCliAccess;
import dev.ferry.compat.tableschema.TableSchemaGuard;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.FailureMessages;
import dev.ferry.job.RestorePoint;
import dev.ferry.testing.ServerKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

/**
 * The one-direction tests plus failover under load (a TaskManager killed, a restore from the retained checkpoint)
 * and parallel apply: what each server kind runs, but a pair of server versions need not (MySqlVersionPairITBase).
 */
abstract class ReplicationFailoverITBase extends ReplicationITBase {
    @Test
    void taskManagerKilledUnderLoadLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster flink) throws Exception {
        underLoad("transactional", 200, load -> {
            flink.terminateTaskManager(0).get();
            flink.startTaskManager();
            long before = load.transactions();
            await(() -> load.transactions() > before + 500, TIMEOUT, "more load after the restart");
        });
    }

    @Test
    void cancelThenRestoreFromTheRetainedCheckpoint() throws Exception {
        stopUnderLoadThenResume(config -> {
            job.cancel().get();
            await(() -> status(job).isGloballyTerminalState(), TIMEOUT, "the job to be cancelled");
            Optional<Path> checkpoint = RestorePoint.latest(stateDir, direction(config).name());
            assertThat(checkpoint).as("a retained checkpoint").isPresent();
            assertThat(checkpoint.get().getFileName().toString()).startsWith("chk-");
            return checkpoint.get();
        });
    }

    @Test
    void parallelApplyConverges() throws Exception {
        underLoad("parallel", 500, load -> { });
    }

    /**
     * Runs the workload against a fresh job, does {@code duringLoad} once {@code arrived} events
     * reached the target, then stops the load and checks convergence.
     */
    private void underLoad(String applyMode, long arrived, DuringLoad duringLoad) throws Exception {
        Workload.createTables(channel.sh, channel.database);
        job = start(channel.config("initial", applyMode), Optional.empty());
        Workload.awaitSnapshotDone(channel.sh, channel.us, channel.database, TIMEOUT);
        long transactions;
        try (Workload load = new Workload(channel.sh, channel.database, 1)) {
            await(() -> count(channel.us, channel.database, "events") > arrived, TIMEOUT,
                    "the load to reach the target");
            duringLoad.run(load);
            transactions = load.stop();
        }
        assertConverged(transactions);
    }

    /**
     * Under load, the target's CHECK constraint refuses the events rows from id 300 on (issue 17): events is held with
     * the reason and the fix, RUNNING but not healthy in ferry status; counters, written by the same source
     * transactions, flows on. The operator drops the constraint and says retry: everything converges, each row once.
     */
    @Test
    void aTableTheTargetRefusesIsHeldWhileTheOthersFlowThenRetried(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        heldUnderLoad(flink, load -> { });
    }

    /** A TaskManager killed while a table is held and its rows keep arriving: after the release, none lost or twice. */
    @Test
    void aTaskManagerKilledWhileATableIsHeldLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        heldUnderLoad(flink, load -> {
            long waiting = Holds.waiting(channel);
            flink.terminateTaskManager(0).get();
            flink.startTaskManager();
            await(() -> Holds.waiting(channel) > waiting + 200, TIMEOUT, "rows of the held table to wait after the"
                    + " restart");
        });
    }

    private void heldUnderLoad(MiniCluster flink, DuringLoad whileHeld) throws Exception {
        Workload.createTables(channel.sh, channel.database);
        ChannelConfig config = channel.config("initial", "transactional");
        job = start(config, Optional.empty());
        Workload.awaitSnapshotDone(channel.sh, channel.us, channel.database, TIMEOUT);
        String events = q(channel.database) + ".events";
        channel.us.execute("ALTER TABLE " + events + " ADD CONSTRAINT below_300 CHECK (id < 300)");
        long transactions;
        try (Workload load = new Workload(channel.sh, channel.database, 1)) {
            Holds.Hold hold = Holds.awaitHeld(channel, "events", TIMEOUT);
            assertThat(hold.detail()).contains("CHECK constraint", "below_300", "Fix:", "'retry'");
            assertThat(hold.statement()).startsWith("INSERT " + channel.database + ".events key [3");
            long counted = sumOfCounters();
            await(() -> sumOfCounters() > counted + 200 && Holds.waiting(channel) > 200, TIMEOUT,
                    "counters to flow on while the rows of events wait");
            assertThat(Sites.count(channel.us, channel.database, "events")).as("events stopped at the refused row")
                    .isLessThan(301);
            String flinkUrl = flink.getRestAddress().get().toString();
            await(() -> statusOf(config, flinkUrl).output().contains("1 table(s) HELD"), TIMEOUT,
                    "the heldTables metric in ferry status");
            FerryCliAccess.Status status = statusOf(config, flinkUrl);
            assertThat(status.output()).contains("sh->us  RUNNING", channel.database + ".events HELD", "below_300",
                    "Fix:");
            assertThat(status.exitCode()).as("not healthy while a table is held").isEqualTo(1);
            whileHeld.run(load);

            channel.us.execute("ALTER TABLE " + events + " DROP CONSTRAINT below_300");
            Holds.decide(channel, "events", "retry", null);
            transactions = load.stop();
        }
        assertConverged(transactions);
        assertThat(Holds.of(channel, "events")).extracting(Holds.Hold::outcome).containsOnly("released");
        assertThat(Holds.waiting(channel)).isZero();
    }

    private long sumOfCounters() {
        return ((Number) channel.us.query("SELECT COALESCE(SUM(n), 0) FROM " + q(channel.database) + ".counters")
                .get(0).get(0)).longValue();
    }

    /** Starts the channel with one table, items (row 1), and waits until the target holds it. */
    ChannelConfig startWithItems() throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".items VALUES (1, 'a')");
        ChannelConfig config = channel.config("initial", "transactional");
        job = start(config, Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        return config;
    }

    /**
     * A column added by a statement Debezium 1.9.8 cannot parse only for words that change no column (MariaDB's
     * {@code ALTER TABLE IF EXISTS} and {@code WAIT n}, MySQL's {@code CHECK ... NOT ENFORCED}): the reader skipped the
     * statement and kept the table's old columns; with the column added FIRST each later value went one column off at
     * the target, without a word (session 16), and then the direction stopped at the table (session 17). Now the
     * reader reads the statement without those words, and the target gets it as the source ran it.
     */
    @Test
    void aColumnAddedByAStatementWithWordsTheReaderDoesNotKnowArrivesAsTheSourceRanIt(
            @InjectMiniCluster MiniCluster flink) throws Exception {
        String db = q(channel.database);
        startWithItemsStreaming();
        boolean mariaDb = kind() == ServerKind.MARIADB;
        channel.sh.execute(mariaDb ? "ALTER TABLE IF EXISTS " + db + ".items WAIT 5 ADD COLUMN c INT FIRST"
                        : "ALTER TABLE " + db + ".items ADD COLUMN c INT FIRST, ADD CONSTRAINT c_positive CHECK (c > 0)"
                                + " NOT ENFORCED",
                "INSERT INTO " + db + ".items VALUES (2, 7, 'after'), (-1, 8, 'below')");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(channel.us.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND"
                + " TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION", channel.database)).as("the column came first")
                .containsExactly(List.of("c"), List.of("id"), List.of("v"));
        assertThat(channel.us.query("SELECT c, id, v FROM " + db + ".items ORDER BY id")).as("no value shifted")
                .containsExactly(Arrays.asList(null, 1, "a"), List.of(2, 7, "after"), List.of(-1, 8, "below"));
        if (!mariaDb) {
            assertThat(channel.us.query("SELECT ENFORCED FROM information_schema.TABLE_CONSTRAINTS WHERE"
                    + " CONSTRAINT_SCHEMA = ? AND CONSTRAINT_NAME = 'c_positive'", channel.database))
                    .as("the statement as the source ran it").containsExactly(List.of("NO"));
        }
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
    }

    /**
     * A statement the reader cannot parse at all (MariaDB's {@code ADD SYSTEM VERSIONING}, MySQL's {@code ALTER COLUMN
     * ... SET INVISIBLE}) used to stop the whole direction at the table's next row. Now it holds its table there,
     * naming the statement and the fix, counts the table's later changes (never decoded: the reader no longer knows
     * its columns), through a restart from a checkpoint, while the other tables flow; the documented fix (recreate
     * the table with a statement the reader parses, then skip) releases it, and the sites end equal.
     */
    @Test
    void aStatementTheReaderCannotParseHoldsOnlyItsTableThroughARestartUntilTheTableIsRecreated(
            @InjectMiniCluster MiniCluster flink) throws Exception {
        String db = q(channel.database);
        String items = channel.database + ".items";
        startWithItemsStreaming();
        channel.sh.execute("CREATE TABLE " + db + ".others (id INT PRIMARY KEY)");
        String unparseable = kind() == ServerKind.MARIADB ? "ALTER TABLE " + db + ".items ADD SYSTEM VERSIONING"
                : "ALTER TABLE " + db + ".items ALTER COLUMN v SET INVISIBLE";
        channel.sh.execute(unparseable, "INSERT INTO " + db + ".items (id, v) VALUES (7, 'after')",
                "UPDATE " + db + ".items SET v = 'changed' WHERE id = 1", "INSERT INTO " + db + ".others VALUES (1)");
        Holds.Hold hold = Holds.awaitHeld(channel, "items", TIMEOUT);
        assertThat(hold.detail()).contains(items + " is held", "cannot parse", unparseable, "Fix:", "tables.exclude",
                "'skip'");
        awaitSameRows(channel.sh, channel.us, channel.database, "others", TIMEOUT);
        // the statement, the insert and the update (MariaDB logs an update of a system-versioned table as the update
        // and the insert of the old version)
        int changes = kind() == ServerKind.MARIADB ? 4 : 3;
        await(() -> Holds.of(channel, "items").get(0).statement().contains(": " + changes + " change(s) could not"),
                TIMEOUT, "the changes after the statement to be counted");

        // the hold was committed with a checkpoint past the statement: the restored reader knows the table is held
        flink.terminateTaskManager(0).get();
        flink.startTaskManager();
        channel.sh.execute("INSERT INTO " + db + ".items (id, v) VALUES (8, 'restarted')",
                "INSERT INTO " + db + ".others VALUES (2)");
        awaitSameRows(channel.sh, channel.us, channel.database, "others", TIMEOUT);
        String counted = ": " + (changes + 1) + " change(s) could not be read";
        await(() -> Holds.of(channel, "items").get(0).statement().contains(counted), TIMEOUT,
                "the insert after the restart to be counted");
        channel.sh.execute("INSERT INTO " + db + ".others VALUES (3)");
        awaitSameRows(channel.sh, channel.us, channel.database, "others", TIMEOUT);
        assertThat(Holds.of(channel, "items").get(0).statement()).as("nothing counted twice").contains(counted);
        assertThat(failure(flink)).as("the guard never stopped the direction").doesNotContain(TableSchemaGuard.MARKER);
        assertThat(channel.us.query("SELECT id, v FROM " + db + ".items ORDER BY id")).as("nothing of items applied")
                .containsExactly(List.of(1, "a"));

        channel.sh.execute("DROP TABLE " + db + ".items",
                "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".items VALUES (1, 'changed'), (7, 'after'), (8, 'restarted')");
        Holds.decide(channel, "items", "skip", null);
        await(() -> Holds.waiting(channel) == 0, TIMEOUT, "the table to be released");
        channel.sh.execute("INSERT INTO " + db + ".items VALUES (9, 'later')",
                "INSERT INTO " + db + ".others VALUES (4)");
        await(() -> {
            try {
                return count(channel.us, channel.database, "items") == 4;
            } catch (RuntimeException dropped) {
                return false; // between the DROP and the CREATE
            }
        }, TIMEOUT, "the recreated table's rows at the target");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "others", TIMEOUT);
        assertThat(status(job)).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
    }

    /**
     * As {@link #startWithItems}, and returns once the binlog phase has begun: cdc-compat's TableSchemaGuard listens
     * from its first fetch on.
     */
    ChannelConfig startWithItemsStreaming() throws Exception {
        ChannelConfig config = startWithItems();
        Sites.awaitBinlogReader(channel.sh, channel.us, q(channel.database) + ".items", "the binlog phase");
        return config;
    }

    static FerryCliAccess.Status statusOf(ChannelConfig config, String flinkUrl) {
        try {
            return FerryCliAccess.status(config, flinkUrl);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Schema drift: a column dropped at the target only holds its table (error 1054); the operator's manual SQL adds
     * it back, and the waiting rows apply.
     */
    @Test
    void aColumnDroppedAtTheTargetHoldsTheTableUntilTheOperatorsSqlAddsItBack() throws Exception {
        String items = q(channel.database) + ".items";
        channel.sh.execute("CREATE TABLE " + items + " (id INT PRIMARY KEY, name VARCHAR(20), qty INT)",
                "INSERT INTO " + items + " VALUES (1, 'apple', NULL), (2, 'pear', NULL)");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        channel.us.execute("ALTER TABLE " + items + " DROP COLUMN qty");

        channel.sh.execute("INSERT INTO " + items + " VALUES (3, 'plum', 7)",
                "UPDATE " + items + " SET qty = 5 WHERE id = 1", "DELETE FROM " + items + " WHERE id = 2");
        Holds.Hold hold = Holds.awaitHeld(channel, "items", TIMEOUT);
        assertThat(hold.detail()).contains("missing at the target", "42S22", "qty", "Fix:");
        assertThat(hold.statement()).contains("\"qty\": 7");

        Holds.decide(channel, "items", "manual", "ALTER TABLE " + items + " ADD COLUMN qty INT");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        await(() -> Holds.waiting(channel) == 0, TIMEOUT, "the waiting rows to be applied");
        assertThat(Holds.of(channel, "items")).extracting(Holds.Hold::outcome).containsExactly("released");
        assertThat(appliedRows(channel.us, channel.name)).as("2 copied, 3 changes, each once").isEqualTo(5);
    }

    /**
     * A {@code retry} before the target is fixed holds the table again with the new error; {@code skip} then drops
     * the refused change (its record says 'skipped' and keeps the row), and the table's other changes apply.
     */
    @Test
    void aRefusedChangeRetriedTooEarlyStaysHeldThenSkipDropsItWithARecord() throws Exception {
        String items = q(channel.database) + ".items";
        channel.sh.execute("CREATE TABLE " + items + " (id INT PRIMARY KEY, qty INT)",
                "CREATE TABLE " + q(channel.database) + ".other (id INT PRIMARY KEY, v INT)");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        channel.us.execute("CREATE TABLE IF NOT EXISTS " + items + " (id INT PRIMARY KEY, qty INT)",
                "ALTER TABLE " + items + " ADD CONSTRAINT positive CHECK (qty > 0)");
        channel.sh.execute("INSERT INTO " + items + " VALUES (1, 1)", "INSERT INTO " + items + " VALUES (2, -1)",
                "INSERT INTO " + items + " VALUES (3, 3)", "UPDATE " + items + " SET qty = 4 WHERE id = 3");
        Holds.Hold hold = Holds.awaitHeld(channel, "items", TIMEOUT);
        // an INSERT, or a READ if the initial copy was still reading the table
        assertThat(hold.statement()).endsWith(" " + channel.database + ".items key [2] after {\"id\": 2, \"qty\": -1}");
        channel.sh.execute("INSERT INTO " + q(channel.database) + ".other VALUES (1, 1)");
        awaitSameRows(channel.sh, channel.us, channel.database, "other", TIMEOUT);

        Holds.decide(channel, "items", "retry", null);
        await(() -> !"retry".equals(Holds.of(channel, "items").get(0).outcome()), TIMEOUT, "the retry to be tried");
        assertThat(Holds.of(channel, "items")).as("held again, at the same change")
                .extracting(Holds.Hold::outcome, Holds.Hold::seq).containsExactly(tuple("held", hold.seq()));

        Holds.decide(channel, "items", "skip", null);
        channel.sh.execute("INSERT INTO " + items + " VALUES (5, 5)");
        await(() -> Sites.count(channel.us, channel.database, "items") == 3 && Holds.waiting(channel) == 0, TIMEOUT,
                "the other rows of items to be applied");
        assertThat(Sites.rows(channel.us, channel.database, "items")).containsExactly(List.of("1", "1"),
                List.of("3", "4"), List.of("5", "5"));
        assertThat(Holds.of(channel, "items")).as("the dropped change's record")
                .extracting(Holds.Hold::outcome, Holds.Hold::statement)
                .containsExactly(tuple("skipped", hold.statement()));
    }

    /**
     * A table without a primary key created at the source while the direction runs (issue 17): Debezium reads its
     * rows, but Ferry cannot apply them exactly, so the reader marks them undecodable and only that table is held,
     * its record and ferry status naming the table, the source position, the reason and the fix, and counting the
     * changes with their first and last position. The other table flows on and the direction never fails. A retry
     * cannot apply them; the operator adds a primary key at the source and decides 'manual' with SQL that writes the
     * rows the unreadable changes made: it runs, the unreadable changes are dropped (the record says 'skipped' and
     * keeps their count), and the later ones (the ALTER TABLE first) apply.
     */
    @Test
    void aTableTheReaderCannotReadIsHeldWhileTheOthersFlowThenSkipped(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        String legacy = channel.database + ".legacy";
        channel.sh.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".items VALUES (1, 'a')");
        ChannelConfig config = channel.config("initial", "transactional");
        job = start(config, Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        // streaming: a CREATE TABLE during the initial copy is lost by Flink CDC 3.5.0 (docs/guarantees.md)
        channel.sh.execute("INSERT INTO " + db + ".items VALUES (2, 'b')");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);

        channel.sh.execute("CREATE TABLE " + db + ".legacy (id INT NOT NULL, v VARCHAR(20))",
                "INSERT INTO " + db + ".legacy VALUES (1, 'x'), (2, 'y')",
                "INSERT INTO " + db + ".items VALUES (3, 'c')",
                "UPDATE " + db + ".legacy SET v = 'z' WHERE id = 2");
        Holds.Hold hold = Holds.awaitHeld(channel, "legacy", TIMEOUT);
        assertThat(hold.detail()).contains(legacy + " is held", "INSERT at ", "has no primary key",
                "Fix: add a primary key", "tables.exclude", "'skip'", "verify --repair");
        assertThat(hold.statement()).startsWith("UNDECODABLE " + legacy + ": ");
        channel.sh.execute("INSERT INTO " + db + ".items VALUES (4, 'd')", "UPDATE " + db + ".items SET v = 'a2'"
                + " WHERE id = 1");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        await(() -> Holds.of(channel, "legacy").get(0).statement().contains(": 3 change(s) could not be read"), TIMEOUT,
                "the record to count the two inserts and the update");
        String recorded = Holds.of(channel, "legacy").get(0).statement();
        String first = channel.us.query("SELECT source_position FROM ferry.ferry_ddl WHERE channel = ? AND subtask ="
                + " -1", channel.name).get(0).get(0).toString();
        assertThat(recorded).contains("first at " + first + ", last at ").doesNotEndWith("last at " + first
                + "; not kept as values");

        String flinkUrl = flink.getRestAddress().get().toString();
        await(() -> statusOf(config, flinkUrl).output().contains("1 table(s) HELD"), TIMEOUT,
                "the heldTables metric in ferry status");
        FerryCliAccess.Status status = statusOf(config, flinkUrl);
        assertThat(status.output()).contains("sh->us  RUNNING", legacy + " HELD", recorded, "has no primary key",
                "Fix:");
        assertThat(status.exitCode()).as("not healthy while a table is held").isEqualTo(1);

        Holds.decide(channel, "legacy", "retry", null);
        await(() -> !"retry".equals(Holds.of(channel, "legacy").get(0).outcome()), TIMEOUT, "the retry to be tried");
        assertThat(Holds.of(channel, "legacy")).singleElement().satisfies(h -> {
            assertThat(h.outcome()).as("held again").isEqualTo("held");
            assertThat(h.detail()).startsWith("'retry' cannot apply changes the source reader could not read");
        });

        // the operator's fix at the source: a primary key; the ALTER TABLE and the rows after it wait with the table
        channel.sh.execute("ALTER TABLE " + db + ".legacy ADD PRIMARY KEY (id)",
                "INSERT INTO " + db + ".legacy VALUES (3, 'w')");
        await(() -> Holds.waiting(channel) == 3, TIMEOUT, "the first unreadable change, the ALTER and the row to wait");
        Holds.decide(channel, "legacy", "manual", "INSERT INTO " + db + ".legacy VALUES (1, 'x'), (2, 'z')");
        await(() -> Holds.waiting(channel) == 0 && count(channel.us, channel.database, "legacy") == 3, TIMEOUT,
                "the table to be released");
        assertThat(Sites.rows(channel.us, channel.database, "legacy")).containsExactly(List.of("1", "x"),
                List.of("2", "z"), List.of("3", "w"));
        assertThat(Holds.of(channel, "legacy")).as("the dropped changes' record, then the replayed ALTER's")
                .extracting(Holds.Hold::outcome, Holds.Hold::statement).first().isEqualTo(tuple("skipped", recorded));

        channel.sh.execute("INSERT INTO " + db + ".legacy VALUES (4, 'v')", "INSERT INTO " + db + ".items VALUES"
                + " (5, 'e')");
        awaitSameRows(channel.sh, channel.us, channel.database, "legacy", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(status(job)).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        assertThat(failure(flink)).as("the direction never failed, so never restarted").isEmpty();
    }

    /**
     * Dates with a year, month or day of 0, which MySQL stores unless the sql_mode forbids them: the binlog reader of
     * Flink CDC 3.5.0 reads them as NULL (or 1970-01-01 in a NOT NULL column), so they arrived changed without a word.
     * Now the table is held at the first one, naming column and value, the others flow, and the documented fix
     * releases it. Years below 100 arrive as they are (Debezium's time adjuster made 0050 into 2050), copied or
     * streamed.
     */
    @Test
    void aZeroDateHoldsItsTableNamingTheValueAndEarlyYearsArriveUnchanged(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        String events = channel.database + ".events";
        channel.sh.execute("CREATE TABLE " + db + ".events (id INT PRIMARY KEY, d DATE NULL, dt DATETIME(6) NULL)",
                "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".stamps (id INT PRIMARY KEY, ts TIMESTAMP NULL)",
                "INSERT INTO " + db + ".events VALUES (1, '0050-03-01', '0999-12-31 23:59:59.500000')",
                "INSERT INTO " + db + ".items VALUES (1, 'a')");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "events", TIMEOUT);
        channel.sh.execute("INSERT INTO " + db + ".events VALUES (2, '0001-01-01', '0050-06-30 12:00:00')");
        awaitSameRows(channel.sh, channel.us, channel.database, "events", TIMEOUT);
        assertThat(Sites.rows(channel.us, channel.database, "events")).extracting(r -> r.get(1).toString())
                .as("years below 100, copied and streamed").containsExactly("0050-03-01", "0001-01-01");

        channel.sh.execute("SET SESSION sql_mode = ''",
                "INSERT INTO " + db + ".events VALUES (3, '2024-00-10', NULL)",
                "UPDATE " + db + ".events SET dt = '0000-00-00 00:00:00' WHERE id = 1",
                "INSERT INTO " + db + ".items VALUES (2, 'b')");
        Holds.Hold hold = Holds.awaitHeld(channel, "events", TIMEOUT);
        assertThat(hold.detail()).contains(events + " is held", "INSERT at ", events + ".d", "'2024-00-10'",
                "NO_ZERO_DATE,NO_ZERO_IN_DATE", "'skip'");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        await(() -> Holds.of(channel, "events").get(0).statement().contains(": 2 change(s) could not be read"),
                TIMEOUT, "the record to count the insert and the update that wrote a zero date");
        assertThat(Sites.rows(channel.us, channel.database, "events")).as("nothing applied changed")
                .extracting(r -> r.get(0).toString()).containsExactly("1", "2");
        // a zero TIMESTAMP is logged as the epoch, which no TIMESTAMP holds otherwise; the target would refuse it
        channel.sh.execute("SET SESSION sql_mode = ''", "SET time_zone = '+00:00'", // as the manual SQL below runs
                "INSERT INTO " + db + ".stamps VALUES (1, '0000-00-00 00:00:00')",
                "UPDATE " + db + ".stamps SET ts = '2001-02-03 04:05:06' WHERE id = 1");
        assertThat(Holds.awaitHeld(channel, "stamps", TIMEOUT).detail()).contains(channel.database + ".stamps.ts",
                "'0000-00-00 00:00:00'");
        await(() -> Holds.of(channel, "stamps").get(0).statement().contains(": 2 change(s) could not be read"),
                TIMEOUT, "the update that replaced the zero TIMESTAMP to be counted (its before image holds it)");
        Holds.decide(channel, "stamps", "manual", "INSERT INTO " + db + ".stamps VALUES (1, '2001-02-03 04:05:06')");

        // the documented fix: real values at the source (these changes cannot be read either: their before images
        // hold the zero dates), then a manual decision that writes the rows' values at the target
        channel.sh.execute("SET SESSION sql_mode = ''",
                "UPDATE " + db + ".events SET d = '2024-01-10' WHERE id = 3",
                "UPDATE " + db + ".events SET dt = NULL WHERE id = 1");
        await(() -> Holds.of(channel, "events").get(0).statement().contains(": 4 change(s) could not be read"),
                TIMEOUT, "the fixing updates to be counted too");
        Holds.decide(channel, "events", "manual", "REPLACE INTO " + db + ".events VALUES (1, '0050-03-01', NULL),"
                + " (3, '2024-01-10', NULL)");
        await(() -> Holds.waiting(channel) == 0, TIMEOUT, "the table to be released");
        channel.sh.execute("INSERT INTO " + db + ".events VALUES (4, '2025-01-01', '2025-01-01 00:00:01')",
                "INSERT INTO " + db + ".items VALUES (3, 'c')");
        awaitSameRows(channel.sh, channel.us, channel.database, "events", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "stamps", TIMEOUT);
        assertThat(Holds.of(channel, "events")).extracting(Holds.Hold::outcome).first().isEqualTo("skipped");
        assertThat(status(job)).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        assertThat(failure(flink)).as("the direction never failed, so never restarted").isEmpty();
    }

    private interface DuringLoad {
        void run(Workload load) throws Exception;
    }
}
