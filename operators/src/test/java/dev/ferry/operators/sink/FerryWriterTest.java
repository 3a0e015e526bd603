package dev.ferry.operators.sink;

import static dev.ferry.operators.Events.ddl;
import static dev.ferry.operators.Events.insert;
import static dev.ferry.operators.Events.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.operators.ChangeEventSerializer;
import dev.ferry.operators.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The writer, driven through Flink's own sink writer operator in a test harness. */
class FerryWriterTest {
    private static final TableId T = new TableId("db", "t");

    static SinkSettings settings(boolean transactional, Endpoint target) {
        Endpoint unused = new Endpoint("src", "127.0.0.1", 1, "u", "p", new Properties());
        return new SinkSettings("test", "src->dst", unused, target == null ? unused : target, transactional, 2,
                Duration.ofSeconds(5), null);
    }

    @Test
    void holdsBackTheOpenTransactionAcrossACheckpointAndRestore() throws Exception {
        FerrySink sink = new FerrySink(settings(true, null));
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h = harness(sink)) {
            h.open();
            h.processElement(insert(T, "f:10", 1, "a"), 0);
            h.processElement(insert(T, "f:10", 2, "b"), 0);
            h.processElement(insert(T, "f:20", 3, "c"), 0); // ends f:10, opens f:20
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);

            List<FerryCommittable> first = committables(h);
            assertThat(first).hasSize(1);
            assertThat(ids(first.get(0))).containsExactly(1L, 2L);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h = harness(sink)) {
            h.initializeState(snapshot);
            h.open();
            h.prepareSnapshotPreBarrier(2);
            assertThat(committables(h)).as("f:20 is still open after the restore").isEmpty();

            h.processElement(insert(T, "f:20", 4, "d"), 0); // the restored transaction continues
            h.processElement(insert(T, "f:30", 5, "e"), 0);
            h.prepareSnapshotPreBarrier(3);
            List<FerryCommittable> second = committables(h);
            assertThat(second).hasSize(1);
            assertThat(ids(second.get(0))).containsExactly(3L, 4L);
        }
    }

    @Test
    void aRestoredWriterNeverReusesACommittableId() throws Exception {
        FerrySink sink = new FerrySink(settings(true, null));
        OperatorSubtaskState snapshot;
        FerryCommittable before;
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h = harness(sink)) {
            h.open();
            h.processElement(read(T, 1, "a"), 0);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            before = committables(h).get(0);
        }
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h = harness(sink)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(read(T, 2, "b"), 0);
            h.prepareSnapshotPreBarrier(2);
            FerryCommittable after = committables(h).get(0);
            assertThat(after.epoch()).isGreaterThan(before.epoch());
            assertThat(after.id()).isNotEqualTo(before.id());
        }
    }

    @Test
    void parallelModeCommitsEveryRowAtTheNextBarrier() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h =
                harness(new FerrySink(settings(false, null)))) {
            h.open();
            h.processElement(insert(T, "f:10", 1, "a"), 0);
            h.prepareSnapshotPreBarrier(1);
            assertThat(ids(committables(h).get(0))).containsExactly(1L);
        }
    }

    @Test
    void aDdlGetsACommittableOfItsOwnBetweenTheRowsAroundIt() throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h =
                harness(new FerrySink(settings(true, null)))) {
            h.open();
            h.processElement(insert(T, "f:10", 1, "a"), 0);
            h.processElement(ddl(T, "f:20", "alter table t add c int"), 0); // also ends f:10
            h.processElement(insert(T, "f:30", 2, "b"), 0);
            h.processElement(insert(T, "f:40", 3, "c"), 0);
            h.prepareSnapshotPreBarrier(1);
            List<FerryCommittable> out = committables(h);
            assertThat(out).hasSize(3);
            assertThat(ids(out.get(0))).containsExactly(1L);
            assertThat(out.get(1).events()).extracting(ChangeEvent::ddl).containsExactly("alter table t add c int");
            assertThat(ids(out.get(2))).containsExactly(2L);
            assertThat(out).extracting(FerryCommittable::sequence).containsExactly(0L, 1L, 2L);
        }
    }

    static OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> harness(FerrySink sink)
            throws Exception {
        OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h =
                new OneInputStreamOperatorTestHarness<>(new SinkWriterOperatorFactory<>(sink),
                        ChangeEventSerializer.INSTANCE);
        h.setup(committableMessages(sink));
        return h;
    }

    static TypeSerializer<CommittableMessage<FerryCommittable>> committableMessages(FerrySink sink) {
        return CommittableMessageTypeInfo.of(sink::getCommittableSerializer).createSerializer(new SerializerConfigImpl());
    }

    @SuppressWarnings("unchecked")
    static List<FerryCommittable> committables(
            OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> h) {
        List<FerryCommittable> out = new ArrayList<>();
        for (Object o : h.extractOutputValues()) {
            if (o instanceof CommittableWithLineage<?> c) {
                out.add(((CommittableWithLineage<FerryCommittable>) c).getCommittable());
            }
        }
        h.getOutput().clear();
        return out;
    }

    private static List<Long> ids(FerryCommittable c) {
        return c.events().stream().map(e -> (Long) e.after()[0]).toList();
    }
}
