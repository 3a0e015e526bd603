package dev.ferry.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LoopFilterTest {
    private static final TableId USER = new TableId("shop", "orders");
    private static final RowSchema ROW = new RowSchema(new String[] {"id", "v"}, new int[] {0});
    private static final RowSchema MARKER = new RowSchema(
            new String[] {"channel", "direction", "subtask", "epoch", "seq", "row_count", "committed_at"},
            new int[] {0, 1, 2, 3, 4});
    private static final RowSchema STAMP = new RowSchema(new String[] {"channel", "direction", "subtask", "epoch",
            "seq", "row_count", "committed_at", "source_position"}, new int[] {0, 1, 2, 3, 4});
    private static final RowSchema HEARTBEAT = new RowSchema(new String[] {"channel", "direction", "ts_ms"},
            new int[] {0, 1});

    @Test
    void dropsStampedTransactionsAndKeepsOthers() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(user("f:1", 1), 0);
            h.processElement(marker("f:2"), 0);
            h.processElement(user("f:2", 2), 0); // written by a Ferry sink: must not come back
            h.processElement(user("f:3", 3), 0);
            assertThat(ids(h.extractOutputValues())).containsExactly(1L, 3L);
        }
    }

    @Test
    void aRestoreInsideAStampedTransactionStillDropsItsRest() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(marker("f:2"), 0);
            h.processElement(user("f:2", 2), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(user("f:2", 3), 0); // the source resumed after the stamp
            h.processElement(user("f:9", 4), 0);
            assertThat(ids(h.extractOutputValues())).containsExactly(4L);
        }
    }

    @Test
    void heartbeatsPassAsHeartbeatEventsAndOtherFerryRowsAreDropped() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(new ChangeEvent(Op.UPDATE, FerryTables.HEARTBEAT, HEARTBEAT,
                    new Object[] {"c", "a->b", 1L}, new Object[] {"c", "a->b", 2L}, "f:5", "f:5:0:0", 0), 0);
            h.processElement(new ChangeEvent(Op.READ, FerryTables.COMMIT, MARKER, null, markerRow(), null,
                    "snapshot", 0), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).op()).isEqualTo(Op.HEARTBEAT);
            assertThat(out.get(0).after()[2]).isEqualTo(2L);
        }
    }

    @Test
    void taggedDdlIsDroppedAndUntaggedDdlPasses() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(ChangeEvent.ddl(USER, "alter table orders add c int", "f:7", "f:7", 0), 0);
            h.processElement(ChangeEvent.ddl(USER, DdlTag.tag("alter table orders add d int", "demo", "us->sh"),
                    "f:8", "f:8", 0), 0);
            h.processElement(ChangeEvent.ddl(FerryTables.COMMIT, "alter table ferry_commit add x int", "f:9", "f:9",
                    0), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(out).extracting(ChangeEvent::ddl).containsExactly("alter table orders add c int");
        }
    }

    @Test
    void aDdlEndsAStampedTransaction() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(marker("f:2"), 0);
            h.processElement(ChangeEvent.ddl(USER, "truncate orders", "f:3", "f:3", 0), 0);
            h.processElement(user("f:3", 5), 0); // same position string as the DDL, but a new transaction
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aDdlAnnouncedByAFerrySinkIsDroppedEvenWithoutItsTag() throws Exception {
        RowSchema ddlLog = new RowSchema(new String[] {"channel", "direction", "subtask", "epoch", "seq", "table_schema",
            "table_name", "statement", "source_position", "outcome"}, new int[] {0, 1, 2, 3, 4});
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = harness()) {
            h.open();
            h.processElement(new ChangeEvent(Op.INSERT, FerryTables.DDL, ddlLog, null, new Object[] {"c", "us->sh", 0L,
                1L, 1L, "shop", "orders", "DROP /* ferry:c:us->sh */ TABLE orders", "f:1", "pending"}, "f:5", "f:5", 0), 0);
            // the server logged it rewritten, without the tag
            h.processElement(ChangeEvent.ddl(USER, "DROP TABLE `shop`.`orders` /* generated by server */", "f:6", "f:6",
                    0), 0);
            h.processElement(ChangeEvent.ddl(USER, "DROP TABLE `shop`.`orders`", "f:9", "f:9", 0), 0); // a local one
            assertThat(h.extractOutputValues()).extracting(ChangeEvent::position).containsExactly("f:9");
        }
    }

    @Test
    void indexChangeRowsOfThisDirectionBecomeDdlEvents() throws Exception {
        RowSchema sync = new RowSchema(new String[] {"channel", "direction", "table_schema", "table_name", "index_change",
            "detected_at"}, new int[] {0, 1, 2, 3});
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LoopFilter("sh->us")))) {
            h.open();
            h.processElement(new ChangeEvent(Op.INSERT, FerryTables.INDEX_SYNC, sync, null,
                    new Object[] {"c", "sh->eu", "shop", "orders", "ADD INDEX `a` (`v`)", null}, "f:1", "f:1", 0), 0);
            h.processElement(new ChangeEvent(Op.INSERT, FerryTables.INDEX_SYNC, sync, null,
                    new Object[] {"c", "sh->us", "shop", "orders", "ADD INDEX `a` (`v`)", null}, "f:2", "f:2", 0), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(out).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo(Op.DDL);
                assertThat(e.table()).isEqualTo(USER);
                assertThat(dev.ferry.common.IndexDelta.of(e.ddl())).isEqualTo("ADD INDEX `a` (`v`)");
            });
        }
    }

    @Test
    void localChangesCarryWhatTheSourceHadAppliedOfTheTarget() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = seenHarness()) {
            h.open();
            h.processElement(user("f:0", 0), 0); // nothing of b applied here yet
            h.processElement(stamp("f:1", "c", "b->a", 0, "b.000001:100:2:0"), 0);
            h.processElement(user("f:1", 1), 0); // applied here from b: dropped
            h.processElement(user("f:2", 2), 0);
            h.processElement(stamp("f:3", "c", "x->a", 0, "x.000001:900:0:0"), 0); // from a third site: no
            h.processElement(stamp("f:4", "other", "b->a", 0, "b.000009:1:0:0"), 0); // another channel: no
            h.processElement(stamp("f:5", "c", "b->a", -1, null), 0); // a replay of held changes: says nothing
            h.processElement(user("f:6", 6), 0);
            h.processElement(stamp("f:7", "c", "b->a", 1, "b.000001:50:0:0"), 0); // writer 1, parallel mode
            h.processElement(user("f:8", 8), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(ids(out)).containsExactly(0L, 2L, 6L, 8L);
            assertThat(out).extracting(ChangeEvent::seen).containsExactly(null, "0=b.000001:100:2:0",
                    "0=b.000001:100:2:0", "0=b.000001:100:2:0;1=b.000001:50:0:0");
            assertThat(BinlogPosition.seenBy(out.get(3).seen(), 1)).isEqualTo(BinlogPosition.parse("b.000001:50:0:0"));
        }
    }

    @Test
    void whatWasSeenSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = seenHarness()) {
            h.open();
            h.processElement(stamp("f:1", "c", "b->a", 0, "b.000002:4:1:0"), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = seenHarness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(user("f:5", 3), 0);
            assertThat(h.extractOutputValues()).extracting(ChangeEvent::seen).containsExactly("0=b.000002:4:1:0");
        }
    }

    @Test
    void onATargetsHistoryTheDirectionsOwnRowsPassAsOwnWritesAndOtherStampedRowsAreDropped() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(LoopFilter.forTargetHistory("c", "b->a")))) {
            h.open();
            h.processElement(user("f:0", 0), 0); // a's own write
            h.processElement(stamp("f:1", "c", "b->a", 0, "b.000001:100:2:0"), 0);
            h.processElement(user("f:1", 1), 0); // applied here by b->a: its own write
            h.processElement(stamp("f:2", "c", "x->a", 0, "x.000001:9:0:0"), 0);
            h.processElement(user("f:2", 2), 0); // applied here by another direction: dropped
            h.processElement(user("f:3", 3), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(ids(out)).containsExactly(0L, 1L, 3L);
            assertThat(out).extracting(ChangeEvent::isOwnWrite).containsExactly(false, true, false);
        }
    }

    /**
     * A hub relays: job sh->us passes on what eu->sh applied at sh, with what sh had applied of us as its seen, its
     * DDL too (tagged, or announced and logged without its tag), and still drops what us->sh wrote. A restore inside
     * a relayed transaction passes its rest.
     */
    @Test
    void aHubPassesOnWhatItAppliedFromItsOtherNeighboursAndDropsTheEchoes() throws Exception {
        RowSchema ddlLog = new RowSchema(new String[] {"channel", "direction", "subtask", "epoch", "seq", "table_schema",
            "table_name", "statement", "source_position", "outcome"}, new int[] {0, 1, 2, 3, 4});
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = hubHarness()) {
            h.open();
            h.processElement(stamp("f:1", "c", "us->sh", 0, "us.000001:100:0:0"), 0);
            h.processElement(user("f:1", 1), 0); // us's own change, applied here: never back to us
            h.processElement(stamp("f:2", "c", "eu->sh", 0, "eu.000001:7:0:0"), 0);
            h.processElement(user("f:2", 2), 0); // eu's change, applied here: on to us
            h.processElement(stamp("f:3", "other", "eu->sh", 0, "eu.000001:8:0:0"), 0); // another channel's: no
            h.processElement(user("f:3", 3), 0);
            h.processElement(ChangeEvent.ddl(USER, DdlTag.tag("alter table orders add c int", "c", "eu->sh"), "f:4",
                    "f:4", 0), 0);
            h.processElement(ChangeEvent.ddl(USER, DdlTag.tag("alter table orders add d int", "c", "us->sh"), "f:5",
                    "f:5", 0), 0);
            h.processElement(new ChangeEvent(Op.INSERT, FerryTables.DDL, ddlLog, null, new Object[] {"c", "eu->sh", 0L,
                1L, 1L, "shop", "orders", "DROP /* ferry:c:eu->sh */ TABLE orders", "f:1", "pending"}, "f:6", "f:6",
                    0), 0);
            h.processElement(ChangeEvent.ddl(USER, "DROP TABLE `shop`.`orders` /* generated by server */", "f:7", "f:7",
                    0), 0);
            h.processElement(stamp("f:8", "c", "eu->sh", 0, "eu.000001:9:0:0"), 0);
            h.processElement(user("f:8", 8), 0);
            snapshot = h.snapshot(1, 1);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(out).extracting(ChangeEvent::position).containsExactly("f:2:2", "f:4", "f:7", "f:8:8");
            assertThat(out).extracting(ChangeEvent::seen).containsOnly("0=us.000001:100:0:0");
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = hubHarness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(user("f:8", 9), 0); // the rest of the relayed transaction, after the restore
            assertThat(ids(h.extractOutputValues())).containsExactly(9L);
        }
    }

    /** At the hub, as the target of us->sh, the rows eu->sh applied are the hub's own local writes. */
    @Test
    void onAHubsHistoryWhatItsOtherNeighboursAppliedCountsAsLocalWrites() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(LoopFilter.forTargetHistory("c", "us->sh", Set.of("eu->sh"))))) {
            h.open();
            h.processElement(stamp("f:1", "c", "us->sh", 0, "us.000001:1:0:0"), 0);
            h.processElement(user("f:1", 1), 0);
            h.processElement(stamp("f:2", "c", "eu->sh", 0, "eu.000001:1:0:0"), 0);
            h.processElement(user("f:2", 2), 0);
            h.processElement(stamp("f:3", "c", "x->sh", 0, "x.000001:1:0:0"), 0); // not relayed: dropped
            h.processElement(user("f:3", 3), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(ids(out)).containsExactly(1L, 2L);
            assertThat(out).extracting(ChangeEvent::isOwnWrite).containsExactly(true, false);
        }
    }

    private static OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> hubHarness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new LoopFilter("sh->us", "c", "us->sh", Set.of("eu->sh"))));
    }

    /**
     * A change the reader could not read passes on so that the applier holds its table, unless a Ferry sink wrote
     * it (stamped), also on a target's history, where it has no row to tell about.
     */
    @Test
    void anUndecodableChangePassesUnlessStamped() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(LoopFilter.forTargetHistory("c", "b->a")))) {
            h.open();
            h.processElement(undecodable("f:1"), 0); // a local change: passes, to hold its table
            h.processElement(stamp("f:2", "c", "b->a", 0, "b.000001:1:0:0"), 0); // applied here by b->a itself
            h.processElement(undecodable("f:2"), 0);
            h.processElement(marker("f:3"), 0); // applied here by another direction
            h.processElement(undecodable("f:3"), 0);
            h.processElement(user("f:4", 4), 0);
            List<ChangeEvent> out = h.extractOutputValues();
            assertThat(out).extracting(ChangeEvent::op).containsExactly(Op.UNDECODABLE, Op.INSERT);
            assertThat(out.get(0)).isEqualTo(undecodable("f:1"));
            assertThat(out.get(0).isOwnWrite()).isFalse();
        }
    }

    private static ChangeEvent undecodable(String tx) {
        return ChangeEvent.undecodable(USER, ChangeEvent.Unreadable.NO_PRIMARY_KEY, "", "INSERT at " + tx
                + ":1: table shop.orders has no primary key", tx, tx + ":1", 0);
    }

    private static OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> seenHarness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LoopFilter("a->b", "c", "b->a")));
    }

    private static ChangeEvent stamp(String tx, String channel, String direction, int subtask, String position) {
        return new ChangeEvent(Op.INSERT, FerryTables.COMMIT, STAMP, null,
                new Object[] {channel, direction, subtask, 1L, 2L, 3L, null, position}, tx, tx + ":m", 0);
    }

    private static OneInputStreamOperatorTestHarness<ChangeEvent, ChangeEvent> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LoopFilter()));
    }

    private static ChangeEvent user(String tx, long id) {
        return new ChangeEvent(Op.INSERT, USER, ROW, null, new Object[] {id, "v"}, tx, tx + ":" + id, 0);
    }

    private static ChangeEvent marker(String tx) {
        return new ChangeEvent(Op.INSERT, FerryTables.COMMIT, MARKER, null, markerRow(), tx, tx + ":m", 0);
    }

    private static Object[] markerRow() {
        return new Object[] {"c", "b->a", 0L, 1L, 2L, 3L, null};
    }

    private static List<Long> ids(List<ChangeEvent> events) {
        return events.stream().map(e -> (Long) e.after()[0]).toList();
    }
}
