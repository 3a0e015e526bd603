package dev.ferry.operators.sink;

import static dev.ferry.operators.Events.ddl;
import static dev.ferry.operators.Events.insert;
import static dev.ferry.operators.Events.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.operators.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** How the writer cuts the stream into committables; ApplyOperatorTest drives it inside the operator. */
class CheckpointBatcherTest {
    private static final TableId T = new TableId("db", "t");

    static SinkSettings settings(boolean transactional, Endpoint target) {
        Endpoint unused = new Endpoint("src", "127.0.0.1", 1, "u", "p", new Properties());
        return new SinkSettings("test", "src->dst", unused, target == null ? unused : target, transactional, 2,
                Duration.ofSeconds(5));
    }

    @Test
    void holdsBackTheOpenTransactionAcrossACheckpointAndRestore() {
        CheckpointBatcher writer = new CheckpointBatcher(0, true, List.of(), 1000);
        writer.write(insert(T, "f:10", 1, "a"));
        writer.write(insert(T, "f:10", 2, "b"));
        writer.write(insert(T, "f:20", 3, "c")); // ends f:10, opens f:20
        List<CheckpointBatch> first = writer.prepareCommit();
        List<BatcherState> state = writer.snapshotState(1);
        assertThat(first).hasSize(1);
        assertThat(ids(first.get(0))).containsExactly(1L, 2L);

        CheckpointBatcher restored = new CheckpointBatcher(0, true, state, 1000);
        assertThat(restored.prepareCommit()).as("f:20 is still open after the restore").isEmpty();
        restored.write(insert(T, "f:20", 4, "d")); // the restored transaction continues
        restored.write(insert(T, "f:30", 5, "e"));
        List<CheckpointBatch> second = restored.prepareCommit();
        assertThat(second).hasSize(1);
        assertThat(ids(second.get(0))).containsExactly(3L, 4L);
    }

    @Test
    void aRestoredWriterNeverReusesACommittableId() {
        CheckpointBatcher writer = new CheckpointBatcher(0, true, List.of(), 5000);
        writer.write(read(T, 1, "a"));
        CheckpointBatch before = writer.prepareCommit().get(0);
        List<BatcherState> state = writer.snapshotState(1);

        // restarted at once, on a clock that has not moved on (or went back)
        CheckpointBatcher restored = new CheckpointBatcher(0, true, state, 4000);
        restored.write(read(T, 2, "b"));
        CheckpointBatch after = restored.prepareCommit().get(0);
        assertThat(after.epoch()).isGreaterThan(before.epoch());
        assertThat(after.id()).isNotEqualTo(before.id());
    }

    @Test
    void parallelModeCommitsEveryRowAtTheNextBarrier() {
        CheckpointBatcher writer = new CheckpointBatcher(0, false, List.of(), 1000);
        writer.write(insert(T, "f:10", 1, "a"));
        assertThat(ids(writer.prepareCommit().get(0))).containsExactly(1L);
    }

    @Test
    void theEndOfInputClosesTheOpenTransaction() {
        CheckpointBatcher writer = new CheckpointBatcher(0, true, List.of(), 1000);
        writer.write(insert(T, "f:10", 1, "a"));
        assertThat(writer.prepareCommit()).isEmpty();
        writer.write(insert(T, "f:10", 2, "b"));
        writer.flush(true);
        assertThat(ids(writer.prepareCommit().get(0))).containsExactly(1L, 2L);
    }

    @Test
    void aDdlGetsACommittableOfItsOwnBetweenTheRowsAroundIt() {
        CheckpointBatcher writer = new CheckpointBatcher(0, true, List.of(), 1000);
        writer.write(insert(T, "f:10", 1, "a"));
        writer.write(ddl(T, "f:20", "alter table t add c int")); // also ends f:10
        writer.write(insert(T, "f:30", 2, "b"));
        writer.write(insert(T, "f:40", 3, "c"));
        List<CheckpointBatch> out = writer.prepareCommit();
        assertThat(out).hasSize(3);
        assertThat(ids(out.get(0))).containsExactly(1L);
        assertThat(out.get(1).events()).extracting(ChangeEvent::ddl).containsExactly("alter table t add c int");
        assertThat(ids(out.get(2))).containsExactly(2L);
        assertThat(out).extracting(CheckpointBatch::sequence).containsExactly(0L, 1L, 2L);
    }

    private static List<Long> ids(CheckpointBatch c) {
        return c.events().stream().map(e -> (Long) e.after()[0]).toList();
    }
}
