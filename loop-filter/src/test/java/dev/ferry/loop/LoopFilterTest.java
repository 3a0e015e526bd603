package dev.ferry.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.util.List;
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
