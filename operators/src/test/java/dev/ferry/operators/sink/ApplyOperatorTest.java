package dev.ferry.operators.sink;

import static dev.ferry.operators.Events.ddl;
import static dev.ferry.operators.Events.delete;
import static dev.ferry.operators.Events.insert;
import static dev.ferry.operators.Events.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.operators.Events;
import dev.ferry.common.TableId;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import dev.ferry.conflict.ConflictRules;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The apply operator in Flink's keyed operator test harness, against a real target server: the two-phase
 * commit, and the conflict memory in keyed state.
 */
class ApplyOperatorTest {
    private TestDatabase target;
    private TableId table;
    private final AtomicLong now = new AtomicLong(1_000_000);

    void setUp(ServerKind kind) throws Exception {
        target = TestServers.site(kind, "us");
        target.execute(FerryTables.schemaStatements().toArray(String[]::new));
        String db = target.createDatabase("committer");
        table = new TableId(db, "t");
        target.execute("CREATE TABLE `" + db + "`.t (id BIGINT PRIMARY KEY, v VARCHAR(20))");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void appliesCommittablesInOrderAfterTheCheckpointCompletes(ServerKind kind) throws Exception {
        setUp(kind);
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), insert(table, "f:1", 2, "b"),
                    update(table, "f:2", 1, "a", 10, "a2"), delete(table, "f:3", 2, "b"), insert(table, "f:4", 3, "c"));
            h.snapshot(1, 1);
            assertThat(rows()).as("nothing applied before the checkpoint completes").isEmpty();
            h.notifyOfCompletedCheckpoint(1);
        }
        assertThat(rows()).containsExactly("10=a2"); // f:4 is still open, so held back by the writer
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aCommitRepeatedAfterARestoreIsSkipped(ServerKind kind) throws Exception {
        setUp(kind);
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), insert(table, "f:2", 2, "b"), insert(table, "f:3", 3, "open"));
            checkpoint = completeCheckpoint(h, 1);
        }
        assertThat(rows()).containsExactly("1=a", "2=b");
        // a later change at the target that a re-applied committable would overwrite
        target.execute("UPDATE `" + table.database() + "`.t SET v = 'later' WHERE id = 1");

        restore(homeWins(), checkpoint).close();
        assertThat(rows()).containsExactly("1=later", "2=b");
        assertThat(markerCount()).isEqualTo(1L);
    }

    /**
     * An error that no table's hold can cure (here a trigger at the target that updates its own table, error 1442)
     * still fails the job.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aStatementFailingForAnotherReasonLeavesNothingHalfApplied(ServerKind kind) throws Exception {
        setUp(kind);
        TableId looping = new TableId(table.database(), "looping");
        target.execute("CREATE TABLE `" + table.database() + "`.looping (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TRIGGER `" + table.database() + "`.looping_ai AFTER INSERT ON `" + table.database()
                        + "`.looping FOR EACH ROW UPDATE `" + table.database() + "`.looping SET v = 'x'");
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), insert(looping, "f:2", 2, "b"), insert(table, "f:3", 3, "c"),
                    insert(table, "f:4", 4, "open"));
            h.snapshot(1, 1);
            assertThatThrownBy(() -> h.notifyOfCompletedCheckpoint(1))
                    .hasStackTraceContaining("looping")
                    .hasStackTraceContaining("Nothing of this committable was applied");
        }
        assertThat(rows()).isEmpty();
        assertThat(markerCount()).isEqualTo(0L);
    }

    /**
     * A table missing at the target holds that table: the other rows apply, its row waits with a record naming the
     * reason and the fix; once the table exists, a {@code retry} applies the waiting rows at the next commit.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aTableMissingAtTheTargetIsHeldThenRetried(ServerKind kind) throws Exception {
        setUp(kind);
        TableId missing = new TableId(table.database(), "no_such_table");
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), insert(missing, "f:2", 2, "b"), insert(table, "f:3", 3, "c"),
                    insert(missing, "f:4", 4, "d"), insert(table, "f:5", 5, "open"));
            checkpoint = completeCheckpoint(h, 1);
        }
        assertThat(rows()).containsExactly("1=a", "3=c");
        assertThat(target.query("SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel()).get(0).get(0))
                .isEqualTo(2L);
        List<List<Object>> hold = target.query("SELECT table_name, outcome, detail, statement, source_position FROM"
                + " ferry.ferry_ddl WHERE channel = ? AND subtask = -1", channel());
        assertThat(hold).singleElement().satisfies(r -> {
            assertThat(r.subList(0, 2)).containsExactly("no_such_table", "held");
            assertThat((String) r.get(2)).contains("missing at the target", "1146", "retry");
            assertThat((String) r.get(3)).startsWith("INSERT").contains("\"b\"");
            assertThat((String) r.get(4)).startsWith("f:2");
        });
        assertThat(target.query("SELECT SUM(row_count) FROM ferry.ferry_commit WHERE channel = ?", channel()).get(0)
                .get(0).toString()).as("rows applied").isEqualTo("2");

        target.execute("CREATE TABLE `" + table.database() + "`.no_such_table (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "UPDATE ferry.ferry_ddl SET outcome = 'retry' WHERE channel = '" + channel() + "' AND subtask = -1");
        try (Harness h = restore(homeWins(), checkpoint)) {
            write(h, insert(table, "f:6", 6, "e"));
            completeCheckpoint(h, 2);
        }
        assertThat(target.query("SELECT id, v FROM `" + table.database() + "`.no_such_table ORDER BY id").stream()
                .map(Object::toString).toList()).containsExactly("[2, b]", "[4, d]");
        assertThat(target.query("SELECT outcome FROM ferry.ferry_ddl WHERE channel = ?", channel()))
                .containsExactly(List.of("released"));
        assertThat(target.query("SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel()).get(0).get(0))
                .isEqualTo(0L);
        assertThat(target.query("SELECT SUM(row_count) FROM ferry.ferry_commit WHERE channel = ?", channel()).get(0)
                .get(0).toString()).as("rows applied, each once (f:6 is still open)").isEqualTo("5");
    }

    /**
     * Changes the source reader could not read (issue 17) hold only their table: the other table's rows apply, the
     * first waits in ferry_held as the hold's place, the later ones are counted in its record with the first and last
     * position, also across commits; the table's readable changes wait. A {@code retry} cannot apply them and leaves
     * the table held, saying why; a {@code skip} drops them (the record keeps the count) and applies the rest.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void changesTheReaderCouldNotReadHoldOnlyTheirTableUntilSkipDropsThem(ServerKind kind) throws Exception {
        setUp(kind);
        TableId legacy = new TableId(table.database(), "legacy");
        target.execute("CREATE TABLE `" + table.database() + "`.legacy (id BIGINT PRIMARY KEY, v VARCHAR(20))");
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), insert(legacy, "f:1", 1, "x"), unreadable(legacy, "f:2"),
                    insert(table, "f:2", 2, "b"), unreadable(legacy, "f:3"), insert(legacy, "f:4", 4, "y"),
                    insert(table, "f:5", 5, "c"));
            completeCheckpoint(h, 1);
            write(h, unreadable(legacy, "f:6"), insert(table, "f:7", 7, "d"));
            checkpoint = completeCheckpoint(h, 2);
        }
        assertThat(rows()).containsExactly("1=a", "2=b", "5=c");
        assertThat(legacyRows()).isEmpty();
        assertThat(heldCount()).as("the row before, the first unreadable change, the row after").isEqualTo(3L);
        List<Object> hold = holdRecord();
        assertThat(hold.subList(0, 2)).containsExactly("legacy", "held");
        assertThat((String) hold.get(2)).contains(legacy + " is held", "INSERT at f:2:1", "has no primary key",
                "Fix: add a primary key", "tables.exclude", "'skip'", "'retry' cannot");
        assertThat(hold.get(3)).isEqualTo("UNDECODABLE " + legacy + ": 3 change(s) could not be read from the binlog,"
                + " first at f:2:1, last at f:6:1; not kept as values");
        assertThat(hold.get(4)).isEqualTo("f:2:1");

        target.execute("UPDATE ferry.ferry_ddl SET outcome = 'retry' WHERE channel = '" + channel() + "'");
        try (Harness h = restore(homeWins(), checkpoint)) {
            write(h, insert(table, "f:8", 8, "e"), insert(table, "f:9", 9, "open"));
            checkpoint = completeCheckpoint(h, 3);
        }
        assertThat(holdRecord().subList(0, 2)).as("held again").containsExactly("legacy", "held");
        assertThat((String) holdRecord().get(2)).startsWith("'retry' cannot apply changes the source reader could not"
                + " read").contains("has no primary key");
        assertThat(legacyRows()).isEmpty();

        target.execute("UPDATE ferry.ferry_ddl SET outcome = 'skip' WHERE channel = '" + channel() + "'");
        try (Harness h = restore(homeWins(), checkpoint)) {
            write(h, insert(table, "f:10", 10, "f"));
            completeCheckpoint(h, 4);
        }
        assertThat(legacyRows()).as("the readable changes, in order").containsExactly("1=x", "4=y");
        assertThat(holdRecord().subList(1, 2)).containsExactly("skipped");
        assertThat(holdRecord().get(3)).as("the dropped changes stay on record")
                .isEqualTo("UNDECODABLE " + legacy + ": 3 change(s) could not be read from the binlog, first at f:2:1,"
                        + " last at f:6:1; not kept as values");
        assertThat(heldCount()).isZero();
        assertThat(rows()).containsExactly("1=a", "2=b", "5=c", "7=d", "8=e", "9=open");
        assertThat(target.query("SELECT SUM(row_count) FROM ferry.ferry_commit WHERE channel = ?", channel()).get(0)
                .get(0).toString()).as("rows applied, each once, none for the unreadable changes").isEqualTo("8");
    }

    /**
     * A change the reader could not read, of a table already held by a target refusal, waits with the table's
     * changes; the retry of that hold applies up to it and holds the table again there, counting the later such
     * changes in the new record (and no longer keeping them); a skip of that hold then applies the rest.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void anUnreadableChangeOfATableHeldForAnotherReasonHoldsItAgainWhenTheReplayReachesIt(ServerKind kind)
            throws Exception {
        setUp(kind);
        TableId gone = new TableId(table.database(), "gone");
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, insert(gone, "f:1", 1, "a"), insert(table, "f:1", 1, "a"), insert(table, "f:2", 2, "open"));
            completeCheckpoint(h, 1);
            write(h, unreadable(gone, "f:2"), insert(gone, "f:3", 3, "c"), unreadable(gone, "f:4"),
                    insert(gone, "f:5", 5, "e"), insert(table, "f:6", 6, "open"));
            checkpoint = completeCheckpoint(h, 2);
        }
        assertThat(heldCount()).as("every change of the held table waits").isEqualTo(5L);
        assertThat(holds()).extracting(r -> r.get(1)).containsExactly("held");

        target.execute("CREATE TABLE `" + table.database() + "`.gone (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "UPDATE ferry.ferry_ddl SET outcome = 'retry' WHERE channel = '" + channel() + "'");
        try (Harness h = restore(homeWins(), checkpoint)) {
            write(h, insert(table, "f:7", 7, "open"));
            checkpoint = completeCheckpoint(h, 3);
        }
        assertThat(goneRows()).as("applied up to the unreadable change").containsExactly("1=a");
        assertThat(holds()).satisfiesExactly(
                r -> assertThat(r.get(1)).isEqualTo("released"),
                r -> {
                    assertThat(r.get(1)).isEqualTo("held");
                    assertThat(r.get(2)).isEqualTo("UNDECODABLE " + gone + ": 2 change(s) could not be read from the"
                            + " binlog, first at f:2:1, last at f:4:1; not kept as values");
                    assertThat((String) r.get(3)).startsWith(gone + " is held: the source reader cannot read");
                });
        assertThat(heldCount()).as("the first unreadable change and the two rows").isEqualTo(3L);

        target.execute("UPDATE ferry.ferry_ddl SET outcome = 'skip' WHERE channel = '" + channel() + "' AND outcome"
                + " = 'held'");
        try (Harness h = restore(homeWins(), checkpoint)) {
            write(h, insert(table, "f:8", 8, "x"));
            completeCheckpoint(h, 4);
        }
        assertThat(goneRows()).containsExactly("1=a", "3=c", "5=e");
        assertThat(holds()).extracting(r -> r.get(1)).containsExactly("released", "skipped");
        assertThat(heldCount()).isZero();
    }

    /** This channel's hold records, by seq: seq, outcome, statement, detail. */
    private List<List<Object>> holds() {
        return target.query("SELECT seq, outcome, statement, detail FROM ferry.ferry_ddl WHERE channel = ? AND"
                + " subtask = -1 ORDER BY seq", channel());
    }

    private List<String> goneRows() {
        return target.query("SELECT id, v FROM `" + table.database() + "`.gone ORDER BY id").stream()
                .map(r -> r.get(0) + "=" + r.get(1)).toList();
    }

    private static ChangeEvent unreadable(TableId t, String tx) {
        return ChangeEvent.undecodable(t, ChangeEvent.Unreadable.NO_PRIMARY_KEY, "", "INSERT at " + tx + ":1: table "
                + t + " has no primary key; Ferry needs one to apply changes exactly", tx, tx + ":1", 0);
    }

    private List<Object> holdRecord() {
        return target.query("SELECT table_name, outcome, detail, statement, source_position FROM ferry.ferry_ddl"
                + " WHERE channel = ? AND subtask = -1", channel()).get(0);
    }

    private long heldCount() {
        return ((Number) target.query("SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel()).get(0)
                .get(0)).longValue();
    }

    private List<String> legacyRows() {
        return target.query("SELECT id, v FROM `" + table.database() + "`.legacy ORDER BY id").stream()
                .map(r -> r.get(0) + "=" + r.get(1)).toList();
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aDdlRunsTaggedBetweenItsRowsAndARepeatIsSkippedOrFoundSatisfied(ServerKind kind) throws Exception {
        setUp(kind);
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "a"), ddl(table, "f:2", "alter table t add c int default 5"),
                    new ChangeEvent(dev.ferry.common.Op.INSERT, table, new dev.ferry.common.RowSchema(
                            new String[] {"id", "v", "c"}, new int[] {0}), null, new Object[] {2L, "b", 6L}, "f:3", "f:3",
                            0),
                    insert(table, "f:4", 4, "open"));
            checkpoint = completeCheckpoint(h, 1);
        }
        assertThat(target.query("SELECT id, v, c FROM `" + table.database() + "`.t ORDER BY id").stream()
                .map(Object::toString).toList()).containsExactly("[1, a, 5]", "[2, b, 6]");
        assertThat(target.query("SELECT statement, outcome FROM ferry.ferry_ddl WHERE channel = ?", channel()))
                .containsExactly(List.of("alter /* ferry:" + channel() + ":src->dst */ table t add c int default 5",
                        "applied"));

        // repeated after a restore: the marker says it ran, so nothing runs again
        restore(homeWins(), checkpoint).close();
        assertThat(target.query("SELECT COUNT(*) FROM ferry.ferry_ddl WHERE channel = ?", channel()).get(0).get(0))
                .isEqualTo(1L);

        // a crash between the DDL and its marker: the DDL runs again, the target says it is already done
        target.execute("DELETE FROM ferry.ferry_commit WHERE channel = '" + channel() + "' AND row_count = 0",
                "DELETE FROM ferry.ferry_ddl WHERE channel = '" + channel() + "'");
        restore(homeWins(), checkpoint).close();
        assertThat(target.query("SELECT outcome, detail FROM ferry.ferry_ddl WHERE channel = ?", channel()))
                .singleElement().satisfies(r -> {
                    assertThat(r.get(0)).isEqualTo("already-satisfied");
                    assertThat((String) r.get(1)).startsWith("error 1060");
                });
        assertThat(rows()).containsExactly("1=a", "2=b");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aLostChangeAndItsContinuationAreOneRecordAcrossARestoreAndTheRowIsForgottenOnceItConverges(
            ServerKind kind) throws Exception {
        setUp(kind);
        target.execute("INSERT INTO `" + table.database() + "`.t VALUES (1, 'local'), (2, 'two')");
        OperatorSubtaskState afterTheLoss;
        try (Harness h = started(targetWins())) {
            write(h, update(table, "f:1", 1, "a", 1, "b"), insert(table, "f:2", 9, "next"));
            completeCheckpoint(h, 1);
            assertThat(operator(h).rememberedRows()).isEqualTo(1);
            afterTheLoss = h.snapshot(2, 2);
        }
        // the memory comes back from keyed state: no committable was repeated, so nothing was read from the target
        try (Harness h = restore(targetWins(), afterTheLoss)) {
            assertThat(operator(h).rememberedRows()).isEqualTo(1);
            write(h, update(table, "f:3", 1, "b", 1, "c"), insert(table, "f:4", 8, "next"));
            completeCheckpoint(h, 3);
            assertThat(conflicts()).as("the continuation is a follow-up of the first record")
                    .containsExactly("[1]:update-mismatch:target-kept:1");

            // the source starts from the target's row: the sites agree on it again
            write(h, update(table, "f:5", 1, "local", 1, "agreed"), insert(table, "f:6", 7, "next"));
            completeCheckpoint(h, 4);
            assertThat(operator(h).rememberedRows()).isZero();
            assertThat(rememberedInKeyedState(h)).isZero();
        }
        assertThat(rows()).containsExactly("1=agreed", "2=two", "8=next", "9=next"); // f:6 is still open
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aMemoryThatMissedACommitIsReloadedFromTheTargetsRecords(ServerKind kind) throws Exception {
        setUp(kind);
        target.execute("INSERT INTO `" + table.database() + "`.t VALUES (1, 'local')");
        OperatorSubtaskState beforeTheCommit;
        try (Harness h = started(targetWins())) {
            write(h, update(table, "f:1", 1, "a", 1, "b"), insert(table, "f:2", 9, "next"));
            beforeTheCommit = completeCheckpoint(h, 1); // then the job fails before checkpoint 2
        }
        try (Harness h = restore(targetWins(), beforeTheCommit)) {
            assertThat(operator(h).rememberedRows()).as("reloaded when the repeat was found applied").isEqualTo(1);
            write(h, update(table, "f:3", 1, "b", 1, "c"), insert(table, "f:4", 8, "next"));
            completeCheckpoint(h, 2);
        }
        assertThat(conflicts()).containsExactly("[1]:update-mismatch:target-kept:1");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aDirectionFromTheHomeSiteForgetsAConvergedRowAtOnce(ServerKind kind) throws Exception {
        setUp(kind);
        target.execute("INSERT INTO `" + table.database() + "`.t VALUES (1, 'local')");
        try (Harness h = started(homeWins())) {
            write(h, insert(table, "f:1", 1, "home"), insert(table, "f:2", 9, "next"));
            completeCheckpoint(h, 1);
            assertThat(conflicts()).containsExactly("[1]:insert-exists:incoming-applied:0");
            assertThat(operator(h).rememberedRows()).isEqualTo(1);

            // converged: no echo rule needs the conflict's time any more (docs/conflicts.md), so it is let go
            write(h, update(table, "f:3", 1, "home", 1, "home2"), insert(table, "f:4", 8, "next"));
            completeCheckpoint(h, 2);
            assertThat(operator(h).rememberedRows()).isZero();
            assertThat(rememberedInKeyedState(h)).isZero();
        }
    }

    /**
     * The phase and the lag (issues 17 and 19): any change read from the binlog (a heartbeat too) ends the phase
     * "initial copy", while a copied row does not. The lag is what the newest applied heartbeat measured, and once
     * no newer one arrives it grows from when the next was due: an outage shows, it is never frozen or unknown. A
     * heartbeat written before a stop shows the downtime: the changes behind it did wait that long.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB"})
    void theLagIsWhatTheNewestHeartbeatMeasuredAndGrowsOnceNoneArrives(ServerKind kind) throws Exception {
        setUp(kind);
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        try (Harness h = new Harness(operator(homeWins()), metrics)) {
            h.open();
            write(h, dev.ferry.operators.Events.read(table, 1, "a"));
            completeCheckpoint(h, 1);
            assertThat(gauge(metrics, "streaming")).as("after a copied row").isEqualTo(0);
            assertThat(gauge(metrics, "lagMs")).as("no heartbeat yet").isEqualTo(-1L);

            // as after a savepoint: the first heartbeat read is one the job wrote 700 s ago, before it stopped
            write(h, heartbeat("h:1", now.get() - 700_000), insert(table, "f:2", 2, "b"));
            completeCheckpoint(h, 2);
            assertThat(gauge(metrics, "streaming")).isEqualTo(1);
            assertThat(gauge(metrics, "lagMs")).as("the downtime").isEqualTo(700_000L);

            now.addAndGet(1_500);
            write(h, heartbeat("h:3", now.get() - 400), insert(table, "f:4", 4, "d"));
            completeCheckpoint(h, 3);
            assertThat(gauge(metrics, "lagMs")).isEqualTo(400L);

            // no heartbeat arrives any more (a cut link): the lag shown grows instead of staying at its last value
            now.addAndGet(SinkMetrics.STALL_ALLOWANCE_MS);
            assertThat(gauge(metrics, "lagMs")).as("until the next heartbeat is due").isEqualTo(400L);
            now.addAndGet(60_000);
            assertThat(gauge(metrics, "lagMs")).as("a minute later").isEqualTo(60_400L);
        }
    }

    /**
     * A direction restarted while its link is cut (issue 19): the restored operator has applied no heartbeat yet,
     * and the lag it shows grows from the newest one the checkpoint says was applied, not "unknown".
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB"})
    void afterARestoreTheLagGrowsFromTheNewestHeartbeatTheCheckpointKept(ServerKind kind) throws Exception {
        setUp(kind);
        OperatorSubtaskState checkpoint;
        long writtenAt;
        try (Harness h = started(homeWins())) {
            writtenAt = now.get() - 300;
            write(h, heartbeat("h:1", writtenAt), insert(table, "f:2", 2, "b"));
            completeCheckpoint(h, 1);
            checkpoint = h.snapshot(2, 2);
        }
        now.addAndGet(45_000);
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        try (Harness h = new Harness(operator(homeWins()), metrics)) {
            h.initializeState(checkpoint);
            h.open();
            assertThat(gauge(metrics, "lagMs")).as("45 s after the newest applied heartbeat was written")
                    .isEqualTo(now.get() - writtenAt - SinkMetrics.STALL_ALLOWANCE_MS);
            now.addAndGet(10_000);
            assertThat(gauge(metrics, "lagMs")).as("10 s later").isEqualTo(now.get() - writtenAt
                    - SinkMetrics.STALL_ALLOWANCE_MS);
        }
    }

    /**
     * After an outage the rows written during it arrive long before the next heartbeat (none crosses a dead link):
     * the lag follows their binlog times down, corrected by the heartbeats' own binlog times for the sites' clocks,
     * also after a restore; it is never below the truth (docs/benchmark.md, the cut-60 readings).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB"})
    void afterAnOutageTheLagFollowsTheBinlogTimesOfTheRowsThatCatchUp(ServerKind kind) throws Exception {
        setUp(kind);
        long skew = 5_000; // the source's clock is 5 s behind the job's
        long written = now.get() - 300;
        long cutAt = written + 500;
        OperatorSubtaskState checkpoint;
        try (Harness h = started(homeWins())) {
            write(h, heartbeat("h:1", written, wholeSecond(written + 80 - skew)), insert(table, "f:2", 2, "b"));
            completeCheckpoint(h, 1);
            checkpoint = h.snapshot(2, 2);
        }
        now.set(cutAt + 60_000); // a minute later the link is back, and the job restarted during the cut
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        try (Harness h = new Harness(operator(homeWins()), metrics)) {
            h.initializeState(checkpoint);
            h.open();
            long byHeartbeat = now.get() - written - SinkMetrics.STALL_ALLOWANCE_MS;
            assertThat(gauge(metrics, "lagMs")).as("nothing applied since the restore").isEqualTo(byHeartbeat);

            long madeAt = cutAt + 30_000; // a row written 30 s into the cut, caught up now
            // (the next transaction closes it: the binlog's COMMIT does not reach Ferry)
            write(h, withBinlogTime(insert(table, "f:3", 3, "c"), wholeSecond(madeAt - skew)),
                    insert(table, "f:4", 4, "d"));
            completeCheckpoint(h, 3);
            long shown = (Long) gauge(metrics, "lagMs");
            assertThat(shown).as("the caught-up row's age, not the heartbeat's (%d ms)", byHeartbeat)
                    .isGreaterThanOrEqualTo(now.get() - madeAt)
                    .isLessThanOrEqualTo(now.get() - madeAt + 2 * SourceClock.BINLOG_RESOLUTION_MS);
        }
    }

    private static long wholeSecond(long ms) {
        return ms - Math.floorMod(ms, 1000);
    }

    private static ChangeEvent withBinlogTime(ChangeEvent e, long binlogMs) {
        return new ChangeEvent(e.op(), e.table(), e.schema(), e.before(), e.after(), e.txId(), e.position(), binlogMs);
    }

    private ChangeEvent heartbeat(String tx, long writtenAt) {
        return heartbeat(tx, writtenAt, 0);
    }

    private ChangeEvent heartbeat(String tx, long writtenAt, long binlogMs) {
        return new ChangeEvent(dev.ferry.common.Op.HEARTBEAT, FerryTables.HEARTBEAT, new dev.ferry.common.RowSchema(
                new String[] {"channel", "direction", "ts_ms"}, new int[] {0, 1}),
                null, new Object[] {channel(), CheckpointBatcherTest.settings(true, null).direction(), writtenAt}, tx, tx,
                binlogMs);
    }

    private static Object gauge(InterceptingOperatorMetricGroup metrics, String name) {
        return ((org.apache.flink.metrics.Gauge<?>) metrics.get(name)).getValue();
    }

    /** Takes checkpoint {@code id} and completes it: the operator applies what it cut. */
    private static OperatorSubtaskState completeCheckpoint(Harness h, long id) throws Exception {
        OperatorSubtaskState state = h.snapshot(id, id);
        h.notifyOfCompletedCheckpoint(id);
        return state;
    }

    private static void write(Harness h, ChangeEvent... events) throws Exception {
        for (ChangeEvent e : events) {
            h.processElement(e, 0);
        }
    }

    /** As after a failure: a new operator restores the checkpoint and applies what it still holds. */
    private Harness restore(ConflictRules rules, OperatorSubtaskState checkpoint) throws Exception {
        Harness h = harness(rules);
        h.initializeState(checkpoint);
        h.open();
        return h;
    }

    private Harness started(ConflictRules rules) throws Exception {
        Harness h = harness(rules);
        h.open();
        return h;
    }

    private Harness harness(ConflictRules rules) throws Exception {
        return new Harness(operator(rules));
    }

    /**
     * Two-way: the target wrote row 1 back to the version the incoming change starts from (A -> B -> A), after the
     * position the source had applied. The change waits for the read barrier to come back on the target history
     * input, then meets the target's write as a conflict, though the row looks as it expects; row 2, which the
     * target did not write, is applied.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aChangeConcurrentWithATargetWriteWaitsForTheReadBarrierAndIsAConflict(ServerKind kind) throws Exception {
        setUp(kind);
        target.execute("INSERT INTO `" + table.database() + "`.t VALUES (1, 'base'), (2, 'base')");
        ApplyOperator op = operator(targetWins(), true);
        try (KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(op, new RowKeys(), new RowKeys(), Types.STRING)) {
            h.open();
            h.processElement2(new StreamRecord<>(new ChangeEvent(Op.UPDATE, table, Events.SCHEMA,
                    new Object[] {1L, "x"}, new Object[] {1L, "base"}, "t.000001:500", "t.000001:500:1:0", 0)));
            h.processElement1(new StreamRecord<>(update(table, "f:1", 1, "base", 1, "src").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(update(table, "f:1", 2, "base", 2, "src").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(table, "f:2", 3, "open")));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            assertThat(rows()).as("nothing applied before the barrier has come back").containsExactly("1=base", "2=base");

            deliverBarrier(h, "t.000001:900");
            assertThat(rows()).containsExactly("1=base", "2=src");
            assertThat(conflicts()).containsExactly("[1]:update-concurrent:target-kept:0");
        }
    }

    /**
     * The target put 'taken' into row 7 and deleted row 7 again; the source, not having seen that, inserted row 6 with
     * 'taken'. The unique values the target's writes took survive a restore from the checkpoint, and row 6 loses to
     * row 7's write (the target has priority), though no row holds 'taken' any more.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aUniqueValueTheTargetTookAndLetGoOfIsStillACollisionAfterARestore(ServerKind kind) throws Exception {
        setUp(kind);
        TableId unique = new TableId(table.database(), "tu");
        target.execute("CREATE TABLE `" + table.database() + "`.tu (id BIGINT PRIMARY KEY, v VARCHAR(20) UNIQUE)");
        OperatorSubtaskState tookAndLetGo;
        try (KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(operator(targetWins(), true), new RowKeys(),
                        new RowKeys(), Types.STRING)) {
            h.open();
            h.processElement2(new StreamRecord<>(new ChangeEvent(Op.INSERT, unique, Events.SCHEMA, null,
                    new Object[] {7L, "taken"}, "t.000001:500", "t.000001:500:1:0", 0)));
            h.processElement2(new StreamRecord<>(new ChangeEvent(Op.DELETE, unique, Events.SCHEMA,
                    new Object[] {7L, "taken"}, null, "t.000001:600", "t.000001:600:1:0", 0)));
            tookAndLetGo = h.snapshot(1, 1);
        }
        try (KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(operator(targetWins(), true), new RowKeys(),
                        new RowKeys(), Types.STRING)) {
            h.initializeState(tookAndLetGo);
            h.open();
            h.processElement1(new StreamRecord<>(insert(unique, "f:1", 6, "taken").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(unique, "f:1", 8, "free").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(table, "f:2", 3, "open"))); // ends transaction f:1
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
            deliverBarrier(h, "t.000001:900");
        }
        assertThat(target.query("SELECT id, v FROM `" + table.database() + "`.tu ORDER BY id").stream()
                .map(r -> r.get(0) + "=" + r.get(1)).toList()).containsExactly("8=free");
        assertThat(conflicts()).containsExactly("[6]:insert-unique-key:target-kept:0");
    }

    /**
     * A try that fails in a way worth retrying (a lock wait time-out: a target session holds row 1) is tried again only
     * after a new read barrier has come back: the session deleted row 1 meanwhile, and the change, concurrent with that
     * delete, loses to it. Retried in place, it met the gone row before the history had read the delete, as not
     * concurrent, and wrote the row back (the checker's kv_prio 4, seed 4, after a deadlock).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    @org.junit.jupiter.api.Timeout(120)
    void aFailedTryWaitsForANewReadBarrierAndMeetsWhatTheTargetWroteMeanwhile(ServerKind kind) throws Exception {
        whileASessionHoldsRowOne(kind, (h, session, t, first) -> {
            deliverBarrier(h, "t.000001:900"); // the try waits a second for row 1, fails, and writes a new barrier
            assertThat(rows()).as("nothing applied by the failed try").containsExactly("1=base", "2=base");
            assertThat(barrierValue()).as("a new read barrier").isGreaterThan(first);

            session.createStatement().executeUpdate("DELETE FROM " + t + " WHERE id = 1");
            session.commit();
            h.processElement2(new StreamRecord<>(targetDeletesRowOne()));
            // the rows were locked again while the session still held row 1: that try refuses too, and locks again
            deliverBarrier(h, "t.000001:990");
            deliverBarrier(h, "t.000001:995");
        });
    }

    /**
     * A lock wait time-out while the rows are locked (a target session holds row 1): the try that follows the barrier
     * writes nothing and locks again. Going on with the rows it had not locked, the session's delete of row 1,
     * committed after the barrier and so after it in the target's binlog, was unseen by the history when the apply
     * met the row gone.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    @org.junit.jupiter.api.Timeout(120)
    void aLockWaitTimeOutWhileLockingTheRowsLocksThemAgainBeforeTheApply(ServerKind kind) throws Exception {
        whileASessionHoldsRowOne(kind, (h, session, t, first) -> {
            session.createStatement().executeUpdate("DELETE FROM " + t + " WHERE id = 1");
            session.commit();
            // the target's binlog: the barrier, then the session's delete
            deliverBarrier(h, "t.000001:900");
            assertThat(rows()).as("nothing applied without the rows locked").containsExactly("2=base");
            assertThat(barrierValue()).as("locked again, with a new read barrier").isGreaterThan(first);
            h.processElement2(new StreamRecord<>(targetDeletesRowOne()));
            deliverBarrier(h, "t.000001:990");
        });
    }

    /** What a test does once the rows were locked (in vain: a session holds row 1) and the first barrier written. */
    private interface WithRowOneHeld {
        void run(KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h,
                java.sql.Connection session, String table, long firstBarrier) throws Exception;
    }

    /**
     * A target session holds row 1 past the apply's lock wait time-out (1 s) while the source's update of rows 1 and 2
     * is due; {@code then} goes on from the first read barrier, and in the end the target's delete of row 1 has won.
     */
    private void whileASessionHoldsRowOne(ServerKind kind, WithRowOneHeld then) throws Exception {
        setUp(kind);
        String t = "`" + table.database() + "`.t";
        target.execute("INSERT INTO " + t + " VALUES (1, 'base'), (2, 'base')");
        try (java.sql.Connection session = target.connect();
                KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                        new KeyedTwoInputStreamOperatorTestHarness<>(operator(targetWins(), true, "1"), new RowKeys(),
                                new RowKeys(), Types.STRING)) {
            session.setAutoCommit(false);
            session.createStatement().executeQuery("SELECT * FROM " + t + " WHERE id = 1 FOR UPDATE").close();
            h.open();
            sourceUpdatesRowsOneAndTwo(h);
            h.notifyOfCompletedCheckpoint(1); // waits a second for row 1, in vain; writes the barrier
            then.run(h, session, t, barrierValue());
        }
        assertTheTargetsDeleteWon();
    }

    /**
     * A deadlock while the rows are locked took every lock with it; the rows are locked again. A target session that
     * holds row 2 and wants row 1 (which the lock had taken) deadlocks it, then deletes row 1 and commits. Going on
     * without the locks, the barrier came before that delete in the target's binlog, and the apply met the row gone
     * as not concurrent and wrote it back; locked again, after the session's commit, the barrier follows the delete,
     * and the change loses to it.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    @org.junit.jupiter.api.Timeout(120)
    void aDeadlockWhileLockingTheRowsLocksThemAgain(ServerKind kind) throws Exception {
        setUp(kind);
        String t = "`" + table.database() + "`.t";
        target.execute("INSERT INTO " + t + " VALUES (1, 'base'), (2, 'base')",
                "CREATE TABLE `" + table.database() + "`.weight (id INT PRIMARY KEY)");
        java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
        boolean barrierAfterTheDelete;
        try (java.sql.Connection session = target.connect();
                KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                        new KeyedTwoInputStreamOperatorTestHarness<>(operator(targetWins(), true), new RowKeys(),
                                new RowKeys(), Types.STRING)) {
            session.setAutoCommit(false);
            // rows the session changed make it the heavier transaction: the server rolls back the lock instead
            session.createStatement().executeUpdate("INSERT INTO `" + table.database() + "`.weight VALUES (1), (2),"
                    + " (3), (4), (5), (6), (7), (8), (9), (10)");
            session.createStatement().executeQuery("SELECT * FROM " + t + " WHERE id = 2 FOR UPDATE").close();
            Thread other = new Thread(() -> {
                try {
                    // once the lock has row 1 and waits for row 2, the session asks for row 1: a deadlock
                    dev.ferry.testing.Await.until(() -> ((Number) target.query("SELECT COUNT(*) FROM"
                            + " information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'").get(0).get(0))
                            .longValue() > 0, java.time.Duration.ofSeconds(30), "the lock to wait for row 2");
                    session.createStatement().executeQuery("SELECT * FROM " + t + " WHERE id = 1 FOR UPDATE").close();
                    session.createStatement().executeUpdate("DELETE FROM " + t + " WHERE id = 1");
                    session.commit();
                    deleted.set(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            h.open();
            sourceUpdatesRowsOneAndTwo(h);
            other.start();
            h.notifyOfCompletedCheckpoint(1); // locks the rows, writes the barrier
            barrierAfterTheDelete = deleted.get();
            other.join();
            // the history as the target's binlog has it
            if (barrierAfterTheDelete) {
                h.processElement2(new StreamRecord<>(targetDeletesRowOne()));
                deliverBarrier(h, "t.000001:990");
            } else {
                deliverBarrier(h, "t.000001:900");
                h.processElement2(new StreamRecord<>(targetDeletesRowOne()));
            }
        }
        assertThat(barrierAfterTheDelete).as("the rows were locked again, after the session's commit").isTrue();
        assertTheTargetsDeleteWon();
    }

    /** Source transaction f:1 updates rows 1 and 2 (having seen the target up to 400), f:2 follows; checkpoint 1. */
    private void sourceUpdatesRowsOneAndTwo(
            KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h) throws Exception {
            h.processElement1(new StreamRecord<>(update(table, "f:1", 1, "base", 1, "src").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(update(table, "f:1", 2, "base", 2, "src").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(table, "f:2", 3, "open")));
            h.snapshot(1, 1);
    }

    /** The target's own delete of row 1, as its history reads it, after what the source had seen. */
    private ChangeEvent targetDeletesRowOne() {
        return new ChangeEvent(Op.DELETE, table, Events.SCHEMA, new Object[] {1L, "base"}, null, "t.000001:950",
                "t.000001:950:1:0", 0);
    }

    /** The change of row 1 lost to the target's concurrent delete (the target's site wins); row 2 applied. */
    private void assertTheTargetsDeleteWon() {
        assertThat(rows()).as("the target's delete stays; row 2 applied").containsExactly("2=src");
        assertThat(conflicts()).containsExactly("[1]:update-missing:target-kept:0");
    }

    /**
     * A column added at the target by its own ALTER (not through Ferry) after the apply had read the table: a winning
     * change from a source that lacks the column sets it to its default, as the source does when that ALTER reaches
     * it. With the definition read before the ALTER, the target kept its losing version's value (the checker's
     * kv_bulk 170, MariaDB seed 11: the sites ended with c7 = 7 and c7 = 301).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aColumnAddedAtTheTargetIsSetToItsDefaultUnderAWinnerThatLacksIt(ServerKind kind) throws Exception {
        setUp(kind);
        String t = "`" + table.database() + "`.t";
        target.execute("INSERT INTO " + t + " VALUES (1, 'base'), (2, 'base')");
        try (KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(operator(homeWins().inTwoWayChannel(), true),
                        new RowKeys(), new RowKeys(), Types.STRING)) {
            h.open();
            h.processElement1(new StreamRecord<>(update(table, "f:1", 2, "base", 2, "first").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(table, "f:2", 3, "open")));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            deliverBarrier(h, "t.000001:450"); // this apply reads the table's definition
            assertThat(rows()).containsExactly("1=base", "2=first");

            target.execute("ALTER TABLE " + t + " ADD COLUMN c INT NULL DEFAULT 7",
                    "UPDATE " + t + " SET v = 'local', c = 301 WHERE id = 1");
            h.processElement2(new StreamRecord<>(ddl(table, "t.000001:500",
                    "ALTER TABLE " + t + " ADD COLUMN c INT NULL DEFAULT 7")));
            h.processElement2(new StreamRecord<>(new ChangeEvent(Op.UPDATE, table, Events.SCHEMA,
                    new Object[] {1L, "base"}, new Object[] {1L, "local"}, "t.000001:600", "t.000001:600:1:0", 0)));
            // the source, which had not seen the target's write (nor its column), updates row 1 and wins
            h.processElement1(new StreamRecord<>(update(table, "f:3", 1, "base", 1, "src").withSeen("0=t.000001:400:0:0")));
            h.processElement1(new StreamRecord<>(insert(table, "f:4", 4, "open")));
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2);
            deliverBarrier(h, "t.000001:900");
        }
        assertThat(target.query("SELECT v, c FROM " + t + " WHERE id = 1")).containsExactly(List.of("src", 7));
        assertThat(conflicts()).singleElement().asString().startsWith("[1]:update-").endsWith(":incoming-applied:0");
    }

    /** The read barrier the operator waits for now, as the target history reads it back at {@code position}. */
    private void deliverBarrier(KeyedTwoInputStreamOperatorTestHarness<String, ChangeEvent, ChangeEvent, Void> h,
            String position) throws Exception {
        List<List<Object>> barrier = target.query("SELECT direction, ts_ms FROM ferry.ferry_heartbeat WHERE"
                + " channel = ?", channel());
        assertThat(barrier).hasSize(1);
        RowSchema heartbeat = new RowSchema(new String[] {"channel", "direction", "ts_ms"}, new int[] {0, 1});
        h.processElement2(new StreamRecord<>(new ChangeEvent(Op.HEARTBEAT, FerryTables.HEARTBEAT, heartbeat, null,
                new Object[] {channel(), barrier.get(0).get(0), barrier.get(0).get(1)}, position, position + ":1:0",
                0)));
    }

    private long barrierValue() {
        return ((Number) target.query("SELECT ts_ms FROM ferry.ferry_heartbeat WHERE channel = ?", channel()).get(0)
                .get(0)).longValue();
    }

    private ApplyOperator operator(ConflictRules rules) {
        return operator(rules, false);
    }

    private ApplyOperator operator(ConflictRules rules, boolean readsTargetHistory) {
        return operator(rules, readsTargetHistory, null);
    }

    /** @param lockWaitSeconds the apply sessions' innodb_lock_wait_timeout; null for the server's */
    private ApplyOperator operator(ConflictRules rules, boolean readsTargetHistory, String lockWaitSeconds) {
        Properties p = new Properties();
        p.setProperty("allowPublicKeyRetrieval", "true");
        if (lockWaitSeconds != null) {
            p.setProperty("sessionVariables", "innodb_lock_wait_timeout=" + lockWaitSeconds);
        }
        Endpoint endpoint = new Endpoint("us", "127.0.0.1", target.port(), target.adminUser(), target.adminPassword(), p);
        SinkSettings base = CheckpointBatcherTest.settings(true, endpoint);
        SinkSettings settings = new SinkSettings(channel(), base.direction(), base.source(), endpoint, true, 2,
                java.time.Duration.ofSeconds(2), rules);
        return new ApplyOperator(settings, null, now::get, readsTargetHistory);
    }

    /** The direction's source site ("src") is home: its changes win. */
    private static ConflictRules homeWins() {
        return ConflictRules.homeWins("src", "src");
    }

    /** The target's site is home: the incoming changes lose. */
    private static ConflictRules targetWins() {
        return ConflictRules.homeWins("src", "us");
    }

    private static ApplyOperator operator(Harness h) {
        return (ApplyOperator) h.getOneInputOperator();
    }

    private static long rememberedInKeyedState(Harness h) throws Exception {
        try (java.util.stream.Stream<?> keys = operator(h).<String>getKeyedStateBackend()
                .getKeys(KeyedConflictMemory.STATE.getName(), VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private String channel() {
        return "committer-" + table.database();
    }

    /** This channel's conflict records: key, type, resolution, follow-ups. */
    private List<String> conflicts() {
        return target.query("SELECT row_key, conflict_type, resolution, follow_ups FROM ferry.ferry_conflict"
                + " WHERE channel = ? ORDER BY id", channel()).stream()
                .map(r -> r.get(0) + ":" + r.get(1) + ":" + r.get(2) + ":" + r.get(3)).toList();
    }

    /** Commit-marker rows of this test's channel at the target. */
    private long markerCount() {
        return ((Number) target.query("SELECT COUNT(*) FROM ferry.ferry_commit WHERE channel = ?", channel())
                .get(0).get(0)).longValue();
    }

    private List<String> rows() {
        return target.query("SELECT id, v FROM `" + table.database() + "`.t ORDER BY id").stream()
                .map(r -> r.get(0) + "=" + r.get(1)).toList();
    }

    /** The operator on a stream keyed as the direction job keys it. */
    private static final class Harness extends KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> {
        Harness(ApplyOperator operator) throws Exception {
            super(operator, new RowKeys(), Types.STRING);
        }

        /** One whose operator registers its metrics in {@code metrics}, where a test can read them. */
        Harness(ApplyOperator operator, InterceptingOperatorMetricGroup metrics) throws Exception {
            super(operator, new RowKeys(), Types.STRING, new MockEnvironmentBuilder().setMetricGroup(
                    new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                        @Override
                        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name) {
                            return metrics;
                        }
                    }).build());
        }
    }
}
