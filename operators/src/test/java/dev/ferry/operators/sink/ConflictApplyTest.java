package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialects;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.TableConflictRule;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conflict detection and resolution in {@link ChangeApplier}, against real MariaDB and MySQL
 * targets. Table {@code t (id PK, v, ver, u UNIQUE)}; the incoming changes come from site "sh"
 * unless a test says otherwise, and "sh" is the home site.
 */
class ConflictApplyTest {
    /** A write at the target that the incoming changes had not seen. */
    /** Whether the appliers' rules are those of a two-way channel. */
    private boolean twoWay;
    private static final TargetHistory.LocalWrite LOCAL = new TargetHistory.LocalWrite(
            dev.ferry.common.BinlogPosition.parse("t.000001:4:1:0"), false, null);
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "v", "ver", "u"}, new int[] {0});

    private TestDatabase target;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TableId table;
    /** The table as SQL names it at the target. */
    private String tableSql;
    private Connection connection;
    private String channel;
    private long sequence;

    /** Each direction's conflict memory, as the apply operator keeps it in keyed state. */
    private final Map<String, ConflictMemory> memories = new HashMap<>();

    void setUp(ServerKind kind) throws Exception {
        TestServers.assumeAvailable(kind);
        Properties p = new Properties();
        if (kind == ServerKind.POSTGRESQL) {
            target = TestServers.site(kind, "pg");
            target.execute(FerryTables.schemaStatements("ferry-schema-postgresql.sql").toArray(String[]::new));
            String schema = "conflict_" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
            target.execute("CREATE SCHEMA " + schema);
            tableSql = schema + ".t";
            table = new TableId(schema, "t");
            connection = new Endpoint("pg", "127.0.0.1", target.port(), target.adminUser(), target.adminPassword(), p,
                    target.jdbcUrl(), null).connect();
        } else {
            target = TestServers.site(kind, "us");
            target.execute(FerryTables.schemaStatements().toArray(String[]::new));
            String db = target.createDatabase("conflict");
            tableSql = "`" + db + "`.t";
            table = new TableId(db, "t");
            p.setProperty("allowPublicKeyRetrieval", "true");
            connection = new Endpoint("us", "127.0.0.1", target.port(), target.adminUser(), target.adminPassword(), p)
                    .connect();
        }
        channel = "conflict-" + table.database();
        target.execute("CREATE TABLE " + tableSql + " (id BIGINT PRIMARY KEY, v VARCHAR(20), ver BIGINT,"
                + " u VARCHAR(20), CONSTRAINT u UNIQUE (u))");
    }

    @AfterEach
    void closeConnection() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void changesThatFitTheTargetAreAppliedWithoutConflicts(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'a', 1, 'u1'), (2, 'b', 1, 'u2')");
        ChangeApplier.Result r = apply(priority("sh"), "sh",
                insert(3, "c", 1, "u3"), insert(4, "d", 1, "u4"),
                update(1, "a", 1, "u1", 1, "a2", 2, "u1"), update(1, "a2", 2, "u1", 1, "a3", 3, "u1"),
                update(2, "b", 1, "u2", 20, "b", 1, "u2"), // a key change
                delete(3, "c", 1, "u3"));
        assertThat(r.conflicts()).isEmpty();
        assertThat(rows()).containsExactly("1|a3|3|u1", "4|d|1|u4", "20|b|1|u2");
        assertThat(conflictRows()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void everyKindOfConflictIsFoundAndResolvedForTheSiteWithPriority(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1'), (2, 'target', 1, 'u2'), (4, 'target', 1, 'u4'), (7, 'x', 1, 'taken')");
        ChangeApplier.Result r = apply(priority("sh"), "sh",
                insert(1, "incoming", 2, "u1"),                               // key exists
                update(2, "old", 1, "u2", 2, "incoming", 2, "u2"),            // before image differs
                update(3, "old", 1, "u3", 3, "incoming", 2, "u3"),            // row missing
                delete(4, "old", 1, "u4"),                                    // before image differs
                delete(5, "gone", 1, "u5"),                                   // row missing
                insert(6, "incoming", 1, "taken"));                           // unique key of row 7
        assertThat(types(r)).containsExactly("insert-exists", "update-mismatch", "update-missing",
                "delete-mismatch", "delete-missing", "insert-unique-key", "insert-unique-key");
        assertThat(rows()).containsExactly("1|incoming|2|u1", "2|incoming|2|u2", "3|incoming|2|u3",
                "6|incoming|1|taken");
        assertThat(conflictRows()).containsExactly(
                "[1]|insert-exists|incoming-applied",
                "[2]|update-mismatch|incoming-applied",
                "[3]|update-missing|incoming-applied",
                "[4]|delete-mismatch|incoming-applied",
                "[5]|delete-missing|nothing-to-do",
                "[6]|insert-unique-key|incoming-applied",
                "[7]|insert-unique-key|incoming-applied"); // row 7 gave way to row 6
        assertThat(target.query("SELECT target_row FROM ferry.ferry_conflict WHERE channel = ? AND row_key = '[2]'",
                channel).get(0).get(0).toString()).contains("\"target\"");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void longRunsAreCheckedByOneProbeAndOnlyTheRowsThatDoNotFitAreConflicts(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'a', 1, 'u1'), (2, 'changed here', 1, 'u2'), (3, 'a', 1, 'u3'), (4, 'a', 1, 'u4'),"
                + " (5, 'changed here', 1, 'u5'), (11, 'a', 1, 'u11'), (12, 'a', 1, 'u12'), (13, 'a', 1, 'u13')");
        List<ChangeEvent> events = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            events.add(update(id, "a", 1, "u" + id, id, "b", 2, "u" + id));
        }
        for (long id = 11; id <= 14; id++) { // 14 is gone already
            events.add(delete(id, "a", 1, "u" + id));
        }
        ChangeApplier.Result r = apply(priority("us"), "sh", events.toArray(ChangeEvent[]::new));
        assertThat(conflictRows()).containsExactly("[2]|update-mismatch|target-kept",
                "[5]|update-mismatch|target-kept", "[14]|delete-missing|nothing-to-do");
        assertThat(rows()).containsExactly("1|b|2|u1", "2|changed here|1|u2", "3|b|2|u3", "4|b|2|u4",
                "5|changed here|1|u5");
        assertThat(r.outcome()).isEqualTo(ApplyOutcome.APPLIED);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void theTargetIsKeptWhenTheOtherSiteHasPriority(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1'), (2, 'target', 1, 'u2'), (4, 'target', 1, 'u4'), (7, 'x', 1, 'taken')");
        ChangeApplier.Result r = apply(priority("us"), "sh",
                insert(1, "incoming", 2, "u1"),
                update(2, "old", 1, "u2", 2, "incoming", 2, "u2"),
                update(3, "old", 1, "u3", 3, "incoming", 2, "u3"),
                delete(4, "old", 1, "u4"),
                insert(6, "incoming", 1, "taken"));
        assertThat(r.conflicts()).hasSize(5);
        assertThat(rows()).containsExactly("1|target|1|u1", "2|target|1|u2", "4|target|1|u4", "7|x|1|taken");
        assertThat(conflictRows()).allSatisfy(row -> assertThat(row).endsWith("|target-kept"));
    }

    /**
     * In a two-way channel, where each direction reads its target's writes, a change that finds its row missing with
     * no concurrent write here finds a row Ferry removed (a unique-key loser) that its source kept and changed since:
     * the row goes back, whatever the policy, and that is no conflict. A row a concurrent write deleted here is still
     * decided by the policy.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void inATwoWayChannelARowFerryRemovedIsPutBackByTheNextChangeOfItsSource(ServerKind kind) throws Exception {
        setUp(kind);
        twoWay = true;
        apply(priority("us"), "sh", update(3, "old", 1, "u3", 3, "incoming", 2, "u3")); // us, the target, has priority
        assertThat(conflictRows()).isEmpty();
        assertThat(rows()).containsExactly("3|incoming|2|u3");

        TargetHistory.LocalWrite deletedHere = new TargetHistory.LocalWrite(LOCAL.position(), true, null);
        apply(priority("us"), "sh", e -> deletedHere, update(4, "old", 1, "u4", 4, "incoming", 2, "u4"));
        assertThat(conflictRows()).containsExactly("[4]|update-missing|target-kept");
        assertThat(rows()).containsExactly("3|incoming|2|u3");
    }

    /**
     * A row whose incoming version loses its unique value to another row here is removed here too, recorded with the
     * version removed: at its source it holds that value, and the winner's change removes it there when it arrives.
     * Kept, the sites would differ in that row (the checker found them).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aRowWhoseVersionLostItsUniqueValueIsRemovedAsAtItsSource(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1'), (7, 'x', 1, 'taken')");
        ChangeApplier.Result r = apply(priority("us"), "sh",
                update(1, "target", 1, "u1", 1, "incoming", 2, "taken"), // fits row 1, but row 7 holds 'taken'
                insert(6, "incoming", 1, "taken"));                      // absent here: nothing to remove
        assertThat(r.outcome()).isEqualTo(ApplyOutcome.APPLIED);
        assertThat(rows()).containsExactly("7|x|1|taken");
        assertThat(conflictRows()).containsExactly("[1]|update-unique-key|target-kept",
                "[1]|update-unique-key|row-removed", "[6]|insert-unique-key|target-kept");
        assertThat(target.query("SELECT target_row FROM ferry.ferry_conflict WHERE channel = ? AND resolution ="
                + " 'row-removed'", channel).get(0).get(0).toString()).contains("\"target\"", "\"u1\"");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void newerWinsComparesTheVersionColumnAndTiesGoToTheHomeSite(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 5, 'u1'), (2, 'target', 5, 'u2'), (3, 'target', 5, 'u3')");
        TableConflictRule newer = new TableConflictRule(ConflictPolicy.newerWins("ver"), true);
        apply(newer, "us",
                update(1, "old", 4, "u1", 1, "newer", 6, "u1"),
                update(2, "old", 4, "u2", 2, "older", 4, "u2"),
                update(3, "old", 4, "u3", 3, "tie", 5, "u3")); // "us" is not home: the target keeps it
        assertThat(rows()).containsExactly("1|newer|6|u1", "2|target|5|u2", "3|target|5|u3");
        apply(newer, "sh", update(3, "old", 4, "u3", 3, "tie from home", 5, "u3"));
        assertThat(rows()).contains("3|tie from home|5|u3");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void comparingOnlyTheVersionColumnIgnoresOtherDifferences(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'changed here', 5, 'u1')");
        ChangeApplier.Result r = apply(new TableConflictRule(ConflictPolicy.newerWins("ver"), false), "us",
                update(1, "old", 5, "u1", 1, "incoming", 6, "u1"));
        assertThat(r.conflicts()).isEmpty();
        assertThat(rows()).containsExactly("1|incoming|6|u1");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void manualKeepsTheTargetAndRecordsTheConflictForAnOperator(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1')");
        apply(new TableConflictRule(ConflictPolicy.of(ConflictPolicy.Kind.MANUAL), true), "sh",
                update(1, "old", 1, "u1", 1, "incoming", 2, "u1"));
        assertThat(rows()).containsExactly("1|target|1|u1");
        assertThat(conflictRows()).containsExactly("[1]|update-mismatch|kept-for-operator");
        List<Object> recorded = target.query("SELECT policy, incoming_before, incoming_after, source_position"
                + " FROM ferry.ferry_conflict WHERE channel = ?", channel).get(0);
        assertThat(recorded.get(0)).isEqualTo("manual");
        assertThat(recorded.get(1).toString()).contains("\"v\": \"old\"");
        assertThat(recorded.get(2).toString()).contains("\"v\": \"incoming\"");
        assertThat(recorded.get(3)).isEqualTo("f:1:1");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aTargetThatAlreadyHoldsTheIncomingRowIsNoConflict(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'same', 2, 'u1'), (2, 'same', 1, 'u2')");
        ChangeApplier.Result r = apply(priority("us"), "sh",
                update(1, "old", 1, "u1", 1, "same", 2, "u1"), insert(2, "same", 1, "u2"));
        assertThat(r.conflicts()).isEmpty();
        assertThat(conflictRows()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aCaseOnlyChangeAtTheTargetIsAConflictDespiteTheCollation(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'ABC', 1, 'u1')");
        ChangeApplier.Result r = apply(priority("us"), "sh", update(1, "abc", 1, "u1", 1, "x", 1, "u1"));
        assertThat(types(r)).containsExactly("update-mismatch");
        assertThat(rows()).containsExactly("1|ABC|1|u1");
    }

    /**
     * The target wrote rows 1 and 3 back to the version the source's changes start from, and inserted and deleted
     * row 2 again, while the source changed them: the rows look as the changes expect, but the target history says
     * the source had not seen the target's writes (issue 16: comparing values cannot see this). Each is a conflict,
     * decided by the policy: here the target wins and keeps its rows.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aConcurrentChangeIsAConflictEvenWhereTheRowLooksAsItExpects(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'base', 1, 'u1'), (3, 'base', 1, 'u3'), (4, 'base', 1, 'u4')");
        Concurrency concurrent = e -> ((Long) e.key()[0]) <= 3 ? LOCAL : null;
        ChangeApplier.Result kept = apply(priority("us"), "sh", concurrent,
                update(1, "base", 1, "u1", 1, "sh", 2, "u1"), insert(2, "sh", 1, "u2"), delete(3, "base", 1, "u3"),
                update(4, "base", 1, "u4", 4, "sh", 2, "u4"));
        assertThat(conflictRows()).containsExactly("[1]|update-concurrent|target-kept",
                "[2]|insert-concurrent|target-kept", "[3]|delete-concurrent|target-kept");
        assertThat(kept.conflicts()).hasSize(3);
        assertThat(rows()).as("row 4 had no concurrent write here: applied").containsExactly("1|base|1|u1",
                "3|base|1|u3", "4|sh|2|u4");
    }

    /**
     * newer-wins, the row gone because the target deleted it concurrently: the incoming version is compared with the
     * version that delete removed, as the other site compares the delete with it (issue 16: an update newer than the
     * other site's version, then deleted there, had both sites keep different tips).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aConcurrentChangeMeetingATargetDeleteIsComparedWithTheVersionTheDeleteRemoved(ServerKind kind)
            throws Exception {
        setUp(kind);
        TableConflictRule newer = new TableConflictRule(ConflictPolicy.newerWins("ver"), true);
        TargetHistory.LocalWrite deletedVersion5 = new TargetHistory.LocalWrite(LOCAL.position(), true, 5L);
        ChangeApplier.Result r = apply(newer, "us", e -> deletedVersion5,
                update(1, "a", 3, "u1", 1, "older", 4, "u1"),
                insert(2, "newer", 6, "u2"));
        assertThat(conflictRows()).containsExactly("[1]|update-missing|target-kept",
                "[2]|insert-concurrent|incoming-applied");
        assertThat(r.conflicts()).hasSize(2);
        assertThat(rows()).containsExactly("2|newer|6|u2");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aConcurrentChangeThatWinsIsAppliedAndRecorded(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'base', 1, 'u1'), (3, 'base', 1, 'u3'), (5, 'sh', 2, 'u5')");
        ChangeApplier.Result applied = apply(priority("sh"), "sh", e -> LOCAL,
                update(1, "base", 1, "u1", 1, "sh", 2, "u1"), insert(2, "sh", 1, "u2"), delete(3, "base", 1, "u3"),
                insert(5, "sh", 2, "u5"));
        assertThat(conflictRows()).as("row 5 already is the incoming version: no conflict").containsExactly(
                "[1]|update-concurrent|incoming-applied", "[2]|insert-concurrent|incoming-applied",
                "[3]|delete-concurrent|incoming-applied");
        assertThat(applied.conflicts()).hasSize(3);
        assertThat(rows()).containsExactly("1|sh|2|u1", "2|sh|1|u2", "5|sh|2|u5");
    }

    /**
     * The target put 'taken' into row 7 and deleted row 7 again, while the source, not having seen that, put 'taken'
     * into rows 6 and 1: at the source, row 7's change met them on the rows themselves, and the policy decided the
     * collision. Here nothing holds 'taken' any more, so only the history tells that they collided; they are decided
     * as the source decides them, or the sites would keep different rows (the checker's kv_prio row 82).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aUniqueValueAConcurrentWriteTookInARowThatLetGoOfItSinceIsStillACollision(ServerKind kind)
            throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1')");
        TargetHistory.Take row7 = new TargetHistory.Take(RowKeys.of(table, new Object[] {7L}), LOCAL.position(), null);
        Concurrency tookTaken = history(e -> null,
                values -> values.stream().anyMatch(v -> v.contains("\"taken\"")) ? row7 : null);
        ChangeApplier.Result kept = apply(priority("us"), "sh", tookTaken, insert(6, "incoming", 1, "taken"),
                update(1, "target", 1, "u1", 1, "incoming", 2, "taken"), insert(8, "free", 1, "other"));
        assertThat(types(kept)).containsExactly("insert-unique-key", "update-unique-key", "update-unique-key");
        assertThat(conflictRows()).containsExactly("[6]|insert-unique-key|target-kept",
                "[1]|update-unique-key|target-kept", "[1]|update-unique-key|row-removed");
        assertThat(rows()).as("row 7's write wins: the changes that took its value go, row 1's version with them")
                .containsExactly("8|free|1|other");

        ChangeApplier.Result applied = apply(priority("sh"), "sh", tookTaken, insert(6, "incoming", 1, "taken"));
        assertThat(applied.conflicts()).as("the incoming change wins: applied as usual, no record").isEmpty();
        assertThat(rows()).containsExactly("6|incoming|1|taken", "8|free|1|other");
    }

    /**
     * Row 9's change takes 'taken', which a concurrent write here took in row 7, and the target also changed row 9
     * concurrently. The target wins on row 9 itself, so the change is not applied there and never meets 'taken' (as
     * at its source, where row 9's version from here wins and row 7's change then finds row 9 without 'taken'): row
     * 9's version here stays (the checker saw it removed, then a spurious delete-missing record).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aChangeThatLosesOnItsOwnRowNeverTakesAUniqueValueAwayFromIt(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(9, 'mine', 1, 'm9')");
        TargetHistory.Take row7 = new TargetHistory.Take(RowKeys.of(table, new Object[] {7L}), LOCAL.position(), null);
        Concurrency both = history(e -> LOCAL, values -> row7);
        ChangeApplier.Result r = apply(priority("us"), "sh", both, update(9, "base", 1, "m9", 9, "incoming", 2, "taken"));
        assertThat(types(r)).containsExactly("update-mismatch");
        assertThat(rows()).containsExactly("9|mine|1|m9");

        // where the change wins on its row and over the take, it is written, and the row's later changes in the same
        // committable follow it: no conflict (the checker saw a spurious delete-concurrent)
        ChangeApplier.Result won = apply(priority("sh"), "sh", both,
                update(9, "mine", 1, "m9", 9, "a", 2, "taken"), update(9, "a", 2, "taken", 9, "b", 3, "taken"),
                delete(9, "b", 3, "taken"));
        assertThat(types(won)).containsExactly("update-concurrent");
        assertThat(rows()).isEmpty();
    }

    /**
     * The source replaced row 1 (a REPLACE on a table with a unique key, or a delete and insert in one transaction:
     * the binlog holds a delete and an insert) after it had seen the target's version; the new version's unique value
     * 'taken' is lost here, to a concurrent write in row 7, or to row 7 holding it. At the source the row went from one
     * version to the next in one step, so the version here goes as a losing update's does, recorded as removed (the
     * checker's kv_prio 66: the delete half was applied, the insert was not, and no record named the version). A
     * delete of another transaction is a write of its own that the source made: no record.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aReplacedRowWhoseNewVersionLosesItsUniqueValueRecordsTheVersionItsDeleteRemoved(ServerKind kind)
            throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1')");
        TargetHistory.Take row7 = new TargetHistory.Take(RowKeys.of(table, new Object[] {7L}), LOCAL.position(), null);
        Concurrency took = history(e -> null,
                values -> values.stream().anyMatch(v -> v.contains("\"taken\"")) ? row7 : null);
        apply(priority("us"), "sh", took, delete(1, "target", 1, "u1"), insert(1, "sh", 2, "taken"));
        assertThat(conflictRows()).containsExactly("[1]|insert-unique-key|target-kept",
                "[1]|update-unique-key|row-removed");
        List<Object> removed = target.query("SELECT target_row, incoming_before, incoming_after FROM"
                + " ferry.ferry_conflict WHERE channel = ? AND resolution = 'row-removed'", channel).get(0);
        assertThat(removed.get(0).toString()).as("the version gone").contains("\"target\"", "\"u1\"");
        assertThat(removed.get(1).toString()).as("recorded as the source's update").contains("\"target\"");
        assertThat(removed.get(2).toString()).contains("\"taken\"");
        assertThat(rows()).isEmpty();

        target.execute("DELETE FROM ferry.ferry_conflict");
        seed("(1, 'target', 1, 'u1'), (7, 'x', 1, 'taken')");
        apply(priority("us"), "sh", delete(1, "target", 1, "u1"), insert(1, "sh", 2, "taken"));
        assertThat(conflictRows()).as("row 7 holds the value here").containsExactly(
                "[1]|insert-unique-key|target-kept", "[1]|update-unique-key|row-removed");
        assertThat(rows()).containsExactly("7|x|1|taken");

        target.execute("DELETE FROM ferry.ferry_conflict");
        seed("(1, 'target', 1, 'u1')");
        ChangeEvent deleteAlone = new ChangeEvent(Op.DELETE, table, SCHEMA, new Object[] {1L, "target", 1L, "u1"},
                null, "f:0", "f:0:1", 0);
        apply(priority("us"), "sh", took, deleteAlone, insert(1, "sh", 2, "taken"));
        assertThat(conflictRows()).as("the delete was a transaction of its own").containsExactly(
                "[1]|insert-unique-key|target-kept");
        assertThat(rows()).containsExactly("7|x|1|taken");
    }

    /**
     * A column added at the target (c6, default 6), which its own write then set in row 1, while the source, which
     * had not seen the ADD COLUMN yet, changed row 1 concurrently and wins. At the source, row 1 gets c6's default
     * when the ADD COLUMN arrives; so here the winner sets c6 to its default rather than keep the loser's value (the
     * checker found the sites differing in such columns). One way, a target's columns of its own are left alone.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aWinnerWithoutAColumnTheTargetAddedSetsItToItsDefault(ServerKind kind) throws Exception {
        setUp(kind);
        target.execute("ALTER TABLE " + tableSql + " ADD COLUMN c6 INT NULL DEFAULT 6");
        seed("(1, 'target', 1, 'u1', 370), (2, 'target', 1, 'u2', 370)");
        twoWay = true;
        apply(priority("sh"), "sh", e -> LOCAL, update(1, "base", 1, "u1", 1, "sh", 2, "u1"),
                insert(2, "sh", 2, "u2"));
        assertThat(target.query("SELECT id, v, c6 FROM " + tableSql + " ORDER BY id").stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2)).toList()).containsExactly("1|sh|6", "2|sh|6");

        twoWay = false;
        target.execute("UPDATE " + tableSql + " SET c6 = 370");
        apply(priority("sh"), "sh", update(1, "base", 1, "u1", 1, "again", 3, "u1"));
        assertThat(target.query("SELECT id, v, c6 FROM " + tableSql + " ORDER BY id").stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2)).toList()).containsExactly("1|again|370",
                "2|sh|370");
    }

    /**
     * The target deleted row 1 concurrently; the source's update of it wins, and takes 'taken' from row 7, which it
     * wins too. Both decisions are recorded: the target's delete is undone, and row 7 replaced (the checker found the
     * delete undone with only the collision on record).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aWinnerThatThenWinsAUniqueValueKeepsTheRecordOfWhatItWonOnItsRow(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(7, 'x', 1, 'taken')");
        apply(priority("sh"), "sh", e -> LOCAL, update(1, "a", 1, "u1", 1, "sh", 2, "taken"));
        assertThat(conflictRows()).containsExactly("[1]|update-unique-key|incoming-applied",
                "[1]|update-missing|incoming-applied", "[7]|update-unique-key|incoming-applied");
        assertThat(rows()).containsExactly("1|sh|2|taken");
    }

    /**
     * Both sites made the same change to row 1 at once (sysbench at both sites, seeded alike, did: issue 16's
     * crossed rows), then the source deleted the row and inserted it again. The first change finds its version here
     * already, so nothing is written and the target's own write stays the newest one the source had not seen: the
     * delete and insert after it are concurrent with it as well, and the policy decides them, as the other site
     * decides the target's write against them. They were applied as if the source had seen the target's write, so
     * each site kept the other's version.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aChangeAfterOneTheTargetHadAlreadyMadeAlikeIsStillConcurrent(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'same', 2, 'u1')");
        ChangeApplier.Result r = apply(priority("us"), "sh", e -> LOCAL,
                update(1, "base", 1, "u1", 1, "same", 2, "u1"), delete(1, "same", 2, "u1"), insert(1, "sh", 1, "u1"));
        assertThat(types(r)).as("the alike change is no conflict; the two after it are")
                .containsExactly("delete-concurrent", "insert-exists");
        assertThat(rows()).as("us has priority: its version stays").containsExactly("1|same|2|u1");
    }

    /**
     * A column added at the target itself (the other direction of a two-way channel brings it there later, or an
     * operator adds it first) after the applier read the table: the applier reads the table again rather than hold
     * it for a missing column (the randomized checker found this: every table that got a column was held).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aColumnAddedAtTheTargetAfterItsTableWasReadIsFoundAndNothingIsHeld(ServerKind kind) throws Exception {
        setUp(kind);
        try (ChangeApplier applier = applier(priority("sh"), "sh")) {
            applier.apply(committable(insert(1, "a", 1, "u1")));
            target.execute("ALTER TABLE " + tableSql + " ADD COLUMN c BIGINT NULL");
            RowSchema wider = new RowSchema(new String[] {"id", "v", "ver", "u", "c"}, new int[] {0});
            ChangeApplier.Result r = applier.apply(committable(new ChangeEvent(Op.INSERT, table, wider, null,
                    new Object[] {2L, "b", 1L, "u2", 7L}, "f:2", "f:2:1:0", 0)));
            assertThat(r.outcome()).isEqualTo(ApplyOutcome.APPLIED);
            assertThat(applier.heldTableCount()).isZero();
        }
        assertThat(target.query("SELECT c FROM " + tableSql + " WHERE id = 2").get(0).get(0)).isEqualTo(7L);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void laterChangesThatContinueALostChangeAreRecordedOnceAsFollowUps(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1')");
        ChangeApplier.Result first = apply(priority("us"), "sh", update(1, "old", 1, "u1", 1, "a", 2, "u1"));
        ChangeApplier.Result more = apply(priority("us"), "sh", update(1, "a", 2, "u1", 1, "b", 3, "u1"),
                update(1, "b", 3, "u1", 1, "c", 4, "u1"));
        ChangeApplier.Result gone = apply(priority("us"), "sh", delete(1, "c", 4, "u1"));
        assertThat(first.conflicts()).hasSize(1);
        assertThat(more.conflicts()).isEmpty();
        assertThat(more.followUps()).isEqualTo(2);
        assertThat(gone.followUps()).isEqualTo(1);
        assertThat(rows()).containsExactly("1|target|1|u1");
        List<Object> record = target.query("SELECT follow_ups, incoming_after, conflict_type FROM ferry.ferry_conflict"
                + " WHERE channel = ?", channel).get(0);
        assertThat(record).containsExactly(3, null, "update-mismatch");
        // a change that does not continue the lost ones is a new conflict
        apply(priority("us"), "sh", update(1, "other", 1, "u1", 1, "d", 5, "u1"));
        assertThat(conflictRows()).hasSize(2);
        // records are written in one batch: a loss and its continuation in one committable are still one record
        ChangeApplier.Result together = apply(priority("us"), "sh", update(1, "x", 1, "u1", 1, "e", 6, "u1"),
                update(1, "e", 6, "u1", 1, "f", 7, "u1"));
        assertThat(together.conflicts()).hasSize(1);
        assertThat(together.followUps()).isEqualTo(1);
        assertThat(conflictRows()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aReplayedCommittableRecordsItsConflictsOnce(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1')");
        CheckpointBatch c = committable(update(1, "old", 1, "u1", 1, "incoming", 2, "u1"));
        try (ChangeApplier applier = applier(priority("sh"), "sh")) {
            assertThat(applier.apply(c).conflicts()).hasSize(1);
            assertThat(applier.apply(c).outcome()).isEqualTo(ApplyOutcome.ALREADY_APPLIED);
        }
        assertThat(conflictRows()).hasSize(1);
    }

    /**
     * Interleaved inserts, updates and deletes of different keys: on MySQL-family targets (no foreign keys checked
     * in the apply session) they are written as a few batches per kind, not a statement per change; every key's
     * changes keep their order (insert, update, delete, insert again of one key; a key moved away and reused).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void interleavedKindsOfDifferentKeysAreBatchedAndEachKeyKeepsItsOrder(ServerKind kind) throws Exception {
        setUp(kind);
        TableId o = sibling("o", "(id BIGINT PRIMARY KEY, v BIGINT)");
        StringBuilder seed = new StringBuilder("(3000, 30)");
        for (int i = 1; i <= 60; i++) {
            seed.append(", (").append(1000 + i).append(", 0), (").append(2000 + i).append(", 0)");
        }
        target.execute("INSERT INTO " + sql(o) + " VALUES " + seed);
        List<ChangeEvent> events = new ArrayList<>();
        for (long i = 1; i <= 60; i++) {
            events.add(row(o, Op.INSERT, null, new Object[] {i, i}));
            events.add(row(o, Op.UPDATE, new Object[] {1000 + i, 0L}, new Object[] {1000 + i, i}));
            events.add(row(o, Op.DELETE, new Object[] {2000 + i, 0L}, null));
        }
        events.addAll(List.of(row(o, Op.INSERT, null, new Object[] {5000L, 1L}),
                row(o, Op.UPDATE, new Object[] {5000L, 1L}, new Object[] {5000L, 2L}),
                row(o, Op.DELETE, new Object[] {5000L, 2L}, null),
                row(o, Op.INSERT, null, new Object[] {5000L, 3L}),
                row(o, Op.UPDATE, new Object[] {3000L, 30L}, new Object[] {3001L, 30L}),
                row(o, Op.INSERT, null, new Object[] {3000L, 31L})));
        long statementsBefore = statements(kind);

        ChangeApplier.Result r = apply(priority("sh"), "sh", events.toArray(ChangeEvent[]::new));

        assertThat(r.conflicts()).isEmpty();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            expected.add(i + "|" + i);
        }
        for (int i = 1; i <= 60; i++) {
            expected.add((1000 + i) + "|" + i);
        }
        expected.addAll(List.of("3000|31", "3001|30", "5000|3"));
        assertThat(target.query("SELECT id, v FROM " + sql(o) + " ORDER BY id").stream()
                .map(row -> row.get(0) + "|" + row.get(1)).toList()).isEqualTo(expected);
        if (kind != ServerKind.POSTGRESQL) {
            // in source order the 60 inserts and 60 updates would be a statement each (a batch of one row)
            assertThat(statements(kind) - statementsBefore).as("inserts, updates and selects run").isLessThan(30);
        }
    }

    /**
     * Rows that can meet through something other than their exact primary key keep the source's order: a unique
     * value that moves from one row to another, and a text key that the collation folds ('abc' deleted, 'ABC'
     * inserted). Written out of order, both would be reported as conflicts.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void rowsThatMeetThroughAUniqueValueOrAFoldedTextKeyKeepTheSourceOrder(ServerKind kind) throws Exception {
        setUp(kind);
        TableId o = sibling("o", "(id BIGINT PRIMARY KEY, v BIGINT)");
        TableId k = sibling("k", "(id VARCHAR(10) PRIMARY KEY, v BIGINT)");
        seed("(1, 'a', 1, 'moves')");
        target.execute("INSERT INTO " + sql(k) + " VALUES ('abc', 1)", "INSERT INTO " + sql(o) + " VALUES (1, 1)");

        ChangeApplier.Result r = apply(priority("sh"), "sh",
                delete(1, "a", 1, "moves"),
                row(o, Op.UPDATE, new Object[] {1L, 1L}, new Object[] {1L, 2L}),
                row(k, Op.DELETE, new Object[] {"abc", 1L}, null),
                row(o, Op.INSERT, null, new Object[] {2L, 2L}),
                insert(2, "b", 1, "moves"),
                row(k, Op.INSERT, null, new Object[] {"ABC", 2L}),
                // these two would write the inserts above before the deletes, were the rows reordered by key alone
                update(2, "b", 1, "moves", 2, "b2", 2, "moves"),
                row(k, Op.UPDATE, new Object[] {"ABC", 2L}, new Object[] {"ABC", 3L}));

        assertThat(types(r)).isEmpty();
        assertThat(conflictRows()).isEmpty();
        assertThat(rows()).containsExactly("2|b2|2|moves");
        assertThat(target.query("SELECT id, v FROM " + sql(k)).stream().map(row -> row.get(0) + "|" + row.get(1))
                .toList()).containsExactly("ABC|3");
    }

    /**
     * A multi-row INSERT fails as a whole when one of its keys exists. One probe then tells which keys are there; the
     * other rows go in again as one batch, and only the rows that met a row are resolved one by one.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aFailedMultiRowInsertIsRetriedInOneBatchAndOnlyExistingKeysAreConflicts(ServerKind kind) throws Exception {
        setUp(kind);
        TableId w = sibling("w", "(id BIGINT PRIMARY KEY, v BIGINT)");
        target.execute("INSERT INTO " + sql(w) + " VALUES (5, -1), (50, -1), (70, 70)"); // 70: the incoming row
        List<ChangeEvent> events = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            events.add(row(w, Op.INSERT, null, new Object[] {i, i}));
            expected.add(i + "|" + (i == 5 || i == 50 ? -1 : i));
        }
        long statementsBefore = statements(kind);

        ChangeApplier.Result r = apply(priority("sh"), "sh", events.toArray(ChangeEvent[]::new));

        // the table's rule is the default, priority "nobody": the target keeps its rows
        assertThat(conflictRows()).containsExactly("[5]|insert-exists|target-kept", "[50]|insert-exists|target-kept");
        assertThat(types(r)).containsExactly("insert-exists", "insert-exists");
        assertThat(target.query("SELECT id, v FROM " + sql(w) + " ORDER BY id").stream()
                .map(row -> row.get(0) + "|" + row.get(1)).toList()).isEqualTo(expected);
        if (kind != ServerKind.POSTGRESQL) {
            // row by row, the 98 rows that fit would cost a probe and an insert each
            assertThat(statements(kind) - statementsBefore).as("inserts, updates and selects run").isLessThan(30);
        }
    }

    /**
     * Ferry's multi-row inserts stay within the server's packet limit, as Connector/J's batch rewrite did: rows
     * whose text adds up to more than max_allowed_packet go in as several statements.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void insertsLargerThanTheServersPacketLimitAreSplitIntoSeveralStatements(ServerKind kind) throws Exception {
        setUp(kind);
        TableId w = sibling("wide", "(id BIGINT PRIMARY KEY, v LONGTEXT)");
        long packet = ((Number) target.query("SELECT @@max_allowed_packet").get(0).get(0)).longValue();
        int rows = (int) (packet / 1_000_000) + 4;
        List<ChangeEvent> events = new ArrayList<>();
        for (long i = 1; i <= rows; i++) {
            events.add(row(w, Op.INSERT, null, new Object[] {i, String.valueOf((char) ('a' + i % 26)).repeat(1_000_000)}));
        }
        long insertsBefore = inserts();

        ChangeApplier.Result r = apply(priority("sh"), "sh", events.toArray(ChangeEvent[]::new));

        assertThat(r.conflicts()).isEmpty();
        assertThat(inserts() - insertsBefore).as("INSERT statements").isGreaterThan(1);
        assertThat(target.query("SELECT COUNT(*), SUM(LENGTH(v)) FROM " + sql(w)).get(0).stream()
                .map(v -> ((Number) v).longValue()).toList()).containsExactly((long) rows, rows * 1_000_000L);
    }

    private long inserts() {
        return Long.parseLong(String.valueOf(
                target.query("SHOW GLOBAL STATUS WHERE Variable_name = 'Com_insert'").get(0).get(1)));
    }

    /**
     * After an insert batch met existing rows, the table's next insert batches are probed before they are written
     * (no failed statement to roll back), until a probe finds no existing key: each decides as a plain batch would.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void insertBatchesAfterOneThatMetRowsAreProbedFirstAndDecideTheSame(ServerKind kind) throws Exception {
        setUp(kind);
        TableId w = sibling("w", "(id BIGINT PRIMARY KEY, v BIGINT)");
        target.execute("INSERT INTO " + sql(w) + " VALUES (5, -1), (15, -1), (18, 18)");
        try (ChangeApplier applier = applier(w, priority("sh"), "sh", 100)) {
            for (long from = 1; from <= 31; from += 10) { // 1-10 fails on 5; 11-20 probed first; 21-30 and 31-40 plain
                List<ChangeEvent> events = new ArrayList<>();
                for (long i = from; i < from + 10; i++) {
                    events.add(row(w, Op.INSERT, null, new Object[] {i, i}));
                }
                applier.apply(committable(events.toArray(ChangeEvent[]::new)));
            }
        }
        assertThat(conflictRows()).containsExactly("[5]|insert-exists|incoming-applied",
                "[15]|insert-exists|incoming-applied");
        assertThat(target.query("SELECT COUNT(*) FROM " + sql(w) + " WHERE v = id").get(0).get(0).toString())
                .isEqualTo("40");
    }

    /**
     * A probe binds a few values per row: on a wide table a long run is split so that no statement binds more than
     * the drivers take (PostgreSQL's and Oracle's protocols allow 65,535 parameters, and PostgreSQL's JDBC driver
     * 32,767 in some versions).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void longRunsOnAWideTableAreProbedWithinTheDriversParameterLimit(ServerKind kind) throws Exception {
        setUp(kind);
        int columns = 70;
        StringBuilder ddl = new StringBuilder("(id BIGINT PRIMARY KEY");
        String[] names = new String[columns + 1];
        names[0] = "id";
        for (int c = 1; c <= columns; c++) {
            ddl.append(", c").append(c).append(" BIGINT");
            names[c] = "c" + c;
        }
        TableId wide = sibling("wide", ddl + ")");
        RowSchema schema = new RowSchema(names, new int[] {0});
        int rows = 1000;
        StringBuilder seed = new StringBuilder();
        List<ChangeEvent> events = new ArrayList<>();
        for (long id = 1; id <= rows; id++) {
            Object[] before = new Object[columns + 1];
            Object[] after = new Object[columns + 1];
            before[0] = id;
            after[0] = id;
            seed.append(id == 1 ? "(" : ", (").append(id);
            for (int c = 1; c <= columns; c++) {
                long stored = id == 7 && c == 3 ? -7 : 0; // row 7 was changed here
                before[c] = 0L;
                after[c] = id;
                seed.append(", ").append(stored);
            }
            seed.append(')');
            events.add(new ChangeEvent(Op.UPDATE, wide, schema, before, after, "f:1", "f:1:" + id, 0));
        }
        target.execute("INSERT INTO " + sql(wide) + " VALUES " + seed);

        ChangeApplier.Result r;
        try (ChangeApplier applier = applier(priority("sh"), "sh", rows)) {
            r = applier.apply(committable(events.toArray(ChangeEvent[]::new)));
        }

        assertThat(types(r)).containsExactly("update-mismatch");
        assertThat(target.query("SELECT COUNT(*) FROM " + sql(wide) + " WHERE c1 = id AND c70 = id").get(0).get(0)
                .toString()).isEqualTo(String.valueOf(rows - 1));
        assertThat(target.query("SELECT c3 FROM " + sql(wide) + " WHERE id = 7").get(0).get(0).toString())
                .isEqualTo("-7");
    }

    /**
     * On a table whose rows meet only through their key, the rows of a run that do not fit are resolved together:
     * one locking read of their target rows, then one batch per kind of write. Each decides as it would alone
     * (newer-wins here; ties go to the home site "sh", and the incoming rows come from "us").
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void conflictsOfARunAreResolvedTogetherAsEachWouldBeAlone(ServerKind kind) throws Exception {
        setUp(kind);
        TableId r = sibling("r", "(id BIGINT PRIMARY KEY, v VARCHAR(20), ver BIGINT)");
        target.execute("INSERT INTO " + sql(r) + " VALUES (1, 'target', 5), (2, 'target', 5), (3, 'target', 5),"
                + " (5, 'same', 6), (6, 'old', 4), (11, 'target', 5), (12, 'target', 3), (14, 'old', 4),"
                + " (15, 'old', 4), (21, 'target', 5), (22, 'target', 5), (23, 'x', 7)");
        ChangeApplier.Result result;
        try (ChangeApplier applier = applier(r, new TableConflictRule(ConflictPolicy.newerWins("ver"), true), "us", 100)) {
            result = applier.apply(committable(
                    versioned(r, Op.UPDATE, 1, "old", 4, "newer", 6),     // newer: applied
                    versioned(r, Op.UPDATE, 2, "old", 4, "older", 4),     // older: kept
                    versioned(r, Op.UPDATE, 3, "old", 4, "tie", 5),       // tie, not from home: kept
                    versioned(r, Op.UPDATE, 4, "old", 4, "missing", 5),   // missing: written
                    versioned(r, Op.UPDATE, 5, "old", 4, "same", 6),      // the target holds it already
                    versioned(r, Op.UPDATE, 6, "old", 4, "fits", 5),      // no conflict
                    versioned(r, Op.DELETE, 11, "old", 4, null, 0),       // older than the target's: kept
                    versioned(r, Op.DELETE, 12, "old", 4, null, 0),       // newer: deleted
                    versioned(r, Op.DELETE, 13, "old", 4, null, 0),       // missing already
                    versioned(r, Op.DELETE, 14, "old", 4, null, 0),
                    versioned(r, Op.DELETE, 15, "old", 4, null, 0),
                    versioned(r, Op.INSERT, 21, null, 0, "newer", 6),     // exists, newer: applied
                    versioned(r, Op.INSERT, 22, null, 0, "older", 1),     // exists, older: kept
                    versioned(r, Op.INSERT, 23, null, 0, "x", 7),         // exists as incoming
                    versioned(r, Op.INSERT, 24, null, 0, "new", 1),
                    versioned(r, Op.INSERT, 25, null, 0, "new", 1),
                    versioned(r, Op.INSERT, 26, null, 0, "new", 1)));
        }
        assertThat(conflictRows()).containsExactly(
                "[1]|update-mismatch|incoming-applied", "[2]|update-mismatch|target-kept",
                "[3]|update-mismatch|target-kept", "[4]|update-missing|incoming-applied",
                "[11]|delete-mismatch|target-kept", "[12]|delete-mismatch|incoming-applied",
                "[13]|delete-missing|nothing-to-do",
                "[21]|insert-exists|incoming-applied", "[22]|insert-exists|target-kept");
        assertThat(result.conflicts()).hasSize(9);
        assertThat(target.query("SELECT id, v, ver FROM " + sql(r) + " ORDER BY id").stream()
                .map(row -> row.get(0) + "|" + row.get(1) + "|" + row.get(2)).toList()).containsExactly(
                "1|newer|6", "2|target|5", "3|target|5", "4|missing|5", "5|same|6", "6|fits|5", "11|target|5",
                "21|newer|6", "22|target|5", "23|x|7", "24|new|1", "25|new|1", "26|new|1");
        assertThat(target.query("SELECT target_row FROM ferry.ferry_conflict WHERE channel = ? AND row_key = '[2]'",
                channel).get(0).get(0).toString()).contains("\"target\"");
    }

    /** A hundred conflicting updates cost a few statements, not a read, a write and a record each. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aRunOfConflictsCostsAFewStatementsNotTwoPerRow(ServerKind kind) throws Exception {
        setUp(kind);
        TableId r = sibling("r", "(id BIGINT PRIMARY KEY, v VARCHAR(20), ver BIGINT)");
        StringBuilder seed = new StringBuilder();
        List<ChangeEvent> events = new ArrayList<>();
        for (long id = 1; id <= 100; id++) {
            seed.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'changed here', 1)");
            events.add(versioned(r, Op.UPDATE, id, "old", 1, "incoming", 2));
        }
        target.execute("INSERT INTO " + sql(r) + " VALUES " + seed);
        long statementsBefore = statements(kind);

        try (ChangeApplier applier = applier(r, priority("sh"), "sh", 100)) {
            assertThat(applier.apply(committable(events.toArray(ChangeEvent[]::new))).conflicts()).hasSize(100);
        }

        assertThat(target.query("SELECT COUNT(*) FROM " + sql(r) + " WHERE v = 'incoming' AND ver = 2").get(0).get(0)
                .toString()).isEqualTo("100");
        assertThat(conflictRows()).hasSize(100).allSatisfy(row -> assertThat(row).endsWith("|update-mismatch|incoming-applied"));
        if (kind != ServerKind.POSTGRESQL) {
            // the marker, reads of the table's definition, a probe, a locking read, one upsert and one insert of the
            // hundred conflict records (row by row it would be over 300)
            assertThat(statements(kind) - statementsBefore).as("inserts, updates and selects run").isLessThan(30);
        }
    }

    /** A change of table {@code (id, v, ver)}; null values leave that image out. */
    private static ChangeEvent versioned(TableId id, Op op, long key, String before, long beforeVer, String after,
            long afterVer) {
        RowSchema schema = new RowSchema(new String[] {"id", "v", "ver"}, new int[] {0});
        return new ChangeEvent(op, id, schema, before == null ? null : new Object[] {key, before, beforeVer},
                after == null ? null : new Object[] {key, after, afterVer}, "f:1", "f:1:" + key, 0);
    }

    /**
     * A winning version whose unique value another row holds here (the row's own before image no longer matched,
     * or the row was missing): a unique-key conflict with that row, decided and recorded like any other, never an
     * error that stops the direction. What the winner overwrote on its own row is recorded too.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "POSTGRESQL"})
    void aWinningVersionTakesAUniqueValueFromAnotherRowInsteadOfStoppingTheDirection(ServerKind kind) throws Exception {
        setUp(kind);
        seed("(1, 'target', 1, 'u1'), (2, 'target', 1, 'u2'), (4, 'target', 1, 'u4'), (7, 'x', 1, 'taken'),"
                + " (8, 'y', 1, 'held'), (9, 'z', 1, 'kept')");
        ChangeApplier.Result r = apply(priority("sh"), "sh",
                update(1, "old", 1, "u1", 1, "incoming", 2, "taken"),   // mismatch; row 7 holds 'taken'
                update(2, "old", 1, "u2", 2, "incoming", 2, "u2"),      // mismatch
                update(3, "old", 1, "u3", 3, "incoming", 2, "held"),    // missing; row 8 holds 'held'
                insert(4, "incoming", 2, "kept"));                      // exists; row 9 holds 'kept'
        assertThat(conflictRows()).as("each winner's record on its own row too: the version it overwrote there")
                .containsExactly("[1]|update-unique-key|incoming-applied", "[1]|update-mismatch|incoming-applied",
                "[7]|update-unique-key|incoming-applied", "[2]|update-mismatch|incoming-applied",
                "[3]|update-unique-key|incoming-applied", "[3]|update-missing|incoming-applied",
                "[8]|update-unique-key|incoming-applied", "[4]|insert-unique-key|incoming-applied",
                "[4]|insert-exists|incoming-applied", "[9]|insert-unique-key|incoming-applied");
        assertThat(types(r)).hasSize(10);
        assertThat(rows()).containsExactly("1|incoming|2|taken", "2|incoming|2|u2", "3|incoming|2|held",
                "4|incoming|2|kept");
    }

    /** Another table next to {@code t}, created with these columns. */
    private TableId sibling(String name, String columns) {
        TableId id = new TableId(table.database(), name);
        target.execute("CREATE TABLE " + sql(id) + " " + columns);
        return id;
    }

    private String sql(TableId id) {
        return tableSql.substring(0, tableSql.length() - 1) + id.table();
    }

    /** A change of a two-column table keyed by its first column. */
    private static ChangeEvent row(TableId id, Op op, Object[] before, Object[] after) {
        RowSchema schema = new RowSchema(new String[] {"id", "v"}, new int[] {0});
        Object key = (after != null ? after : before)[0];
        return new ChangeEvent(op, id, schema, before, after, "f:1", "f:1:" + key, 0);
    }

    /**
     * INSERT, UPDATE and SELECT statements the MySQL-family target server has run so far. (A batch of deletes is
     * sent at once but counted per statement, so deletes say nothing about batching.)
     */
    private long statements(ServerKind kind) {
        if (kind == ServerKind.POSTGRESQL) {
            return 0;
        }
        long sum = 0;
        for (List<Object> r : target.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert', 'Com_update',"
                + " 'Com_select')")) {
            sum += Long.parseLong(String.valueOf(r.get(1)));
        }
        return sum;
    }

    /** A target history that answers each change with {@code write}, and its unique values with {@code take}. */
    private static Concurrency history(Function<ChangeEvent, TargetHistory.LocalWrite> write,
            Function<List<String>, TargetHistory.Take> take) {
        return new Concurrency() {
            @Override
            public TargetHistory.LocalWrite write(ChangeEvent e) {
                return write.apply(e);
            }

            @Override
            public TargetHistory.Take take(ChangeEvent e, List<String> uniqueValues) {
                return take.apply(uniqueValues);
            }
        };
    }

    private static TableConflictRule priority(String site) {
        return new TableConflictRule(ConflictPolicy.priority(site), true);
    }

    private ChangeApplier.Result apply(TableConflictRule rule, String sourceSite, ChangeEvent... events)
            throws Exception {
        return apply(rule, sourceSite, e -> null, events);
    }

    private ChangeApplier.Result apply(TableConflictRule rule, String sourceSite,
            Concurrency concurrent,
            ChangeEvent... events) throws Exception {
        try (ChangeApplier applier = applier(table, rule, sourceSite, 100, concurrent)) {
            return applier.apply(committable(events));
        }
    }

    private ChangeApplier applier(TableConflictRule rule, String sourceSite) throws Exception {
        return applier(rule, sourceSite, 100);
    }

    private ChangeApplier applier(TableConflictRule rule, String sourceSite, int batchSize) throws Exception {
        return applier(table, rule, sourceSite, batchSize);
    }

    private ChangeApplier applier(TableId ruled, TableConflictRule rule, String sourceSite, int batchSize)
            throws Exception {
        return applier(ruled, rule, sourceSite, batchSize, e -> null);
    }

    private ChangeApplier applier(TableId ruled, TableConflictRule rule, String sourceSite, int batchSize,
            Concurrency concurrent) throws Exception {
        // the rule is set for this table by pattern; the default would make a wrong test pass silently
        ConflictRules oneWay = new ConflictRules(priority("nobody"),
                List.of(new ConflictRules.TableMatch(Pattern.compile(Pattern.quote(ruled.toString())), rule)),
                sourceSite, "sh");
        ConflictRules rules = twoWay ? oneWay.inTwoWayChannel() : oneWay;
        String direction = sourceSite + "->us";
        // appliers come and go within a test, as committers across restarts; the direction's memory stays
        return new ChangeApplier(connection, Dialects.forUrl(target.jdbcUrl(),
                connection.getMetaData().getDatabaseProductVersion()), channel, direction, batchSize, rules,
                memories.computeIfAbsent(direction, d -> ConflictMemory.inMap()), concurrent, System::currentTimeMillis);
    }

    private CheckpointBatch committable(ChangeEvent... events) {
        return new CheckpointBatch(0, 1, sequence++, Arrays.asList(events));
    }

    private void seed(String values) {
        target.execute("INSERT INTO " + tableSql + " VALUES " + values);
    }

    private ChangeEvent insert(long id, String v, long ver, String u) {
        return new ChangeEvent(Op.INSERT, table, SCHEMA, null, new Object[] {id, v, ver, u}, "f:1", "f:1:" + id, 0);
    }

    private ChangeEvent update(long id, String v, long ver, String u, long newId, String newV, long newVer,
            String newU) {
        return new ChangeEvent(Op.UPDATE, table, SCHEMA, new Object[] {id, v, ver, u},
                new Object[] {newId, newV, newVer, newU}, "f:1", "f:1:" + id, 0);
    }

    private ChangeEvent delete(long id, String v, long ver, String u) {
        return new ChangeEvent(Op.DELETE, table, SCHEMA, new Object[] {id, v, ver, u}, null, "f:1", "f:1:" + id, 0);
    }

    private static List<String> types(ChangeApplier.Result r) {
        List<String> out = new ArrayList<>();
        for (ConflictRecord c : r.conflicts()) {
            out.add(c.type().label());
        }
        return out;
    }

    private List<String> rows() {
        return target.query("SELECT id, v, ver, u FROM " + tableSql + " ORDER BY id").stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3)).toList();
    }

    private List<String> conflictRows() {
        return target.query("SELECT row_key, conflict_type, resolution FROM ferry.ferry_conflict WHERE channel = ?"
                + " ORDER BY id", channel).stream().map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2)).toList();
    }
}
