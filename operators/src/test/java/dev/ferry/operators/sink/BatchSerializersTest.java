package dev.ferry.operators.sink;

import static dev.ferry.operators.Events.ddl;
import static dev.ferry.operators.Events.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.common.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSerializersTest {
    private static final TableId T = new TableId("db", "t");
    private static final TableId U = new TableId("db", "u");
    private static final List<ChangeEvent> EVENTS = List.of(insert(T, "f:1", 1, "观澜湖新城-B1"),
            insert(U, "f:1", 2, "b"), insert(T, "f:1", 3, null), ddl(T, "f:2", "alter table t add c int"),
            insert(T, "f:3", 4, "d"));

    @Test
    void committablesRoundTripInTheCurrentVersion() throws IOException {
        CheckpointBatch c = new CheckpointBatch(3, 17, 5, EVENTS);
        BatchSerializers.BatchSerializer s = new BatchSerializers.BatchSerializer();

        assertThat(s.getVersion()).isEqualTo(2);
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
    }

    @Test
    void writerStateRoundTripsInTheCurrentVersion() throws IOException {
        BatcherState state = new BatcherState(42, EVENTS);
        BatchSerializers.BatcherStateSerializer s = new BatchSerializers.BatcherStateSerializer();

        BatcherState back = s.deserialize(s.getVersion(), s.serialize(state));

        assertThat(back.epoch()).isEqualTo(42);
        assertThat(back.openTransaction()).isEqualTo(EVENTS);
    }

    /** A savepoint taken by a Ferry that wrote version 1 (every event whole) still restores. */
    @Test
    void version1StateStillReads() throws IOException {
        ByteArrayOutputStream committable = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(committable);
        out.writeInt(3);
        out.writeLong(17);
        out.writeLong(5);
        writeVersion1Events(out);
        ByteArrayOutputStream writerState = new ByteArrayOutputStream();
        DataOutputStream stateOut = new DataOutputStream(writerState);
        stateOut.writeLong(42);
        writeVersion1Events(stateOut);

        assertThat(new BatchSerializers.BatchSerializer().deserialize(1, committable.toByteArray()))
                .isEqualTo(new CheckpointBatch(3, 17, 5, EVENTS));
        assertThat(new BatchSerializers.BatcherStateSerializer().deserialize(1, writerState.toByteArray())
                .openTransaction()).isEqualTo(EVENTS);
    }

    @Test
    void aNewerVersionIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new BatchSerializers.BatchSerializer().deserialize(3, new byte[0]))
                .hasMessageContaining("version 3 is newer than this Ferry understands (2)");
    }

    private static void writeVersion1Events(DataOutputStream out) throws IOException {
        out.writeInt(EVENTS.size());
        for (ChangeEvent e : EVENTS) {
            ValueCodec.writeEvent(out, e);
        }
    }
}
