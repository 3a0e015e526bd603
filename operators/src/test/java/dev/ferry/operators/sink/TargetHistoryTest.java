package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision whether an incoming change is concurrent with a write at the target, without a database. */
class TargetHistoryTest {
    private static final TableId T = new TableId("shop", "t");
    private static final RowSchema ROW = new RowSchema(new String[] {"id", "v"}, new int[] {0});
    /** The target wrote row 1 at position 100 and row 2 at 300 of its binlog. */
    private static final TargetHistory HISTORY = history(Map.of(RowKeys.of(T, new Object[] {1L}), "t.000001:100:1:0",
            RowKeys.of(T, new Object[] {2L}), "t.000001:300:1:0"));

    @Test
    void aChangeWhoseSourceHadSeenTheTargetsWriteIsNotConcurrent() {
        assertThat(HISTORY.concurrentWrite(update(1, 1).withSeen("0=t.000001:100:1:0"), 0)).isNull();
        assertThat(HISTORY.concurrentWrite(update(1, 1).withSeen("0=t.000001:200:0:0"), 0)).isNull();
        assertThat(HISTORY.concurrentWrite(update(3, 3).withSeen("0=t.000001:1:0:0"), 0)).as("no write there").isNull();
    }

    @Test
    void aChangeWhoseSourceHadNotSeenItIs() {
        assertThat(HISTORY.concurrentWrite(update(1, 1).withSeen("0=t.000001:99:5:0"), 0)).isNotNull();
        assertThat(HISTORY.concurrentWrite(update(1, 1), 0)).as("the source had applied nothing of the target").isNotNull();
        assertThat(HISTORY.concurrentWrite(update(1, 1).withSeen("1=t.000001:500:0:0"), 0))
                .as("writer 1's position says nothing about writer 0's rows").isNotNull();
        assertThat(HISTORY.concurrentWrite(update(3, 2).withSeen("0=t.000001:200:0:0"), 0))
                .as("a key change also writes its old key").isNotNull();
    }

    @Test
    void snapshotRowsAreNeverConcurrent() {
        ChangeEvent copied = new ChangeEvent(Op.READ, T, ROW, null, new Object[] {1L, "x"}, null, "snapshot", 0);
        assertThat(HISTORY.concurrentWrite(copied, 0)).isNull();
        assertThat(TargetHistory.NONE.concurrentWrite(update(1, 1), 0)).isNull();
    }

    @Test
    void aUniqueValueAnotherRowTookIsConcurrentUntilTheSourceHasSeenThatWrite() {
        String taken = "shop.t\u0000u,\u0000[\"x\"]";
        TargetHistory tookX = new TargetHistory() {
            @Override
            public LocalWrite newestLocalWrite(String rowKey) {
                return null;
            }

            @Override
            public java.util.List<Take> takes(String value) {
                return value.equals(taken) ? java.util.List.of(new Take(RowKeys.of(T, new Object[] {7L}),
                        BinlogPosition.parse("t.000001:100:1:0"), null)) : java.util.List.of();
            }
        };
        java.util.List<String> values = java.util.List.of("shop.t\u0000u,\u0000[\"y\"]", taken);
        assertThat(tookX.concurrentTake(update(1, 1).withSeen("0=t.000001:99:0:0"), 0, values)).isNotNull();
        assertThat(tookX.concurrentTake(update(1, 1), 0, values)).as("nothing of the target seen").isNotNull();
        assertThat(tookX.concurrentTake(update(1, 1).withSeen("0=t.000001:100:1:0"), 0, values)).isNull();
        assertThat(tookX.concurrentTake(update(1, 1), 0, java.util.List.of("shop.t\u0000u,\u0000[\"y\"]")))
                .as("another value").isNull();
        assertThat(tookX.concurrentTake(update(7, 7), 0, values)).as("row 7's own value").isNull();
        assertThat(tookX.concurrentTake(update(8, 7), 0, values)).as("row 7 moving to key 8").isNull();
    }

    @Test
    void theHistoryOfARowReadsBackAsWrittenAndAsWrittenBeforeTakesWereKept() throws Exception {
        KeyedTargetHistory.Entry entry = new KeyedTargetHistory.Entry(new TargetHistory.LocalWrite(
                BinlogPosition.parse("t.000001:300:1:0"), true, 5L), java.util.List.of(new KeyedTargetHistory.Taken(
                "v", BinlogPosition.parse("t.000001:100:1:0"), 4L)));
        assertThat(KeyedTargetHistory.decode(KeyedTargetHistory.encode(entry))).isEqualTo(entry);
        KeyedTargetHistory.Entry takesOnly = new KeyedTargetHistory.Entry(null, entry.takes());
        assertThat(KeyedTargetHistory.decode(KeyedTargetHistory.encode(takesOnly))).isEqualTo(takesOnly);
        assertThat(takesOnly.last()).isEqualTo(BinlogPosition.parse("t.000001:100:1:0"));

        org.apache.flink.core.memory.DataOutputSerializer before = new org.apache.flink.core.memory
                .DataOutputSerializer(32); // the state's format before takes were kept
        before.writeUTF("t.000001:300:1:0");
        before.writeBoolean(false);
        dev.ferry.common.ValueCodec.writeValue(before, null);
        assertThat(KeyedTargetHistory.decode(before.getCopyOfBuffer())).isEqualTo(new KeyedTargetHistory.Entry(
                new TargetHistory.LocalWrite(BinlogPosition.parse("t.000001:300:1:0"), false, null),
                java.util.List.of()));
    }

    private static ChangeEvent update(long id, long oldId) {
        return new ChangeEvent(Op.UPDATE, T, ROW, new Object[] {oldId, "a"}, new Object[] {id, "b"}, "s.000001:7",
                "s.000001:7:1:0", 0);
    }

    private static TargetHistory history(Map<String, String> rows) {
        return rowKey -> rows.containsKey(rowKey)
                ? new TargetHistory.LocalWrite(BinlogPosition.parse(rows.get(rowKey)), false, null) : null;
    }
}
