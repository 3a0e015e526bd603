package dev.ferry.operators.sink;

import static dev.ferry.operators.Events.ddl;
import static dev.ferry.operators.Events.delete;
import static dev.ferry.operators.Events.insert;
import static dev.ferry.operators.Events.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writer and committer in Flink's own sink operators (test harnesses), against a real target server.
 */
class FerryCommitterTest {
    private TestDatabase target;
    private TableId table;

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
        FerrySink sink = sink();
        List<StreamRecord<CommittableMessage<FerryCommittable>>> messages = write(sink,
                insert(table, "f:1", 1, "a"), insert(table, "f:1", 2, "b"),
                update(table, "f:2", 1, "a", 10, "a2"), delete(table, "f:3", 2, "b"), insert(table, "f:4", 3, "c"));
        try (OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                committer = committer(sink)) {
            checkpoint(committer, messages);
            assertThat(rows()).as("nothing applied before the checkpoint completes").isEmpty();
            committer.notifyOfCompletedCheckpoint(1);
        }
        assertThat(rows()).containsExactly("10=a2"); // f:4 is still open, so held back by the writer
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aCommitRepeatedAfterARestoreIsSkipped(ServerKind kind) throws Exception {
        setUp(kind);
        FerrySink sink = sink();
        List<StreamRecord<CommittableMessage<FerryCommittable>>> messages = write(sink,
                insert(table, "f:1", 1, "a"), insert(table, "f:2", 2, "b"), insert(table, "f:3", 3, "open"));
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                committer = committer(sink)) {
            checkpoint = checkpoint(committer, messages);
            committer.notifyOfCompletedCheckpoint(1);
        }
        assertThat(rows()).containsExactly("1=a", "2=b");
        // a later change at the target that a re-applied committable would overwrite
        target.execute("UPDATE `" + table.database() + "`.t SET v = 'later' WHERE id = 1");

        commitAgainAfterRestore(sink, checkpoint);
        assertThat(rows()).containsExactly("1=later", "2=b");
        assertThat(markerCount()).isEqualTo(1L);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aFailingStatementLeavesNothingHalfApplied(ServerKind kind) throws Exception {
        setUp(kind);
        FerrySink sink = sink();
        TableId missing = new TableId(table.database(), "no_such_table");
        List<StreamRecord<CommittableMessage<FerryCommittable>>> messages = write(sink,
                insert(table, "f:1", 1, "a"), insert(missing, "f:2", 2, "b"), insert(table, "f:3", 3, "c"),
                insert(table, "f:4", 4, "open"));
        try (OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                committer = committer(sink)) {
            checkpoint(committer, messages);
            assertThatThrownBy(() -> committer.notifyOfCompletedCheckpoint(1))
                    .hasStackTraceContaining("no_such_table")
                    .hasStackTraceContaining("Nothing of this committable was applied");
        }
        assertThat(rows()).isEmpty();
        assertThat(markerCount()).isEqualTo(0L);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void aDdlRunsTaggedBetweenItsRowsAndARepeatIsSkippedOrFoundSatisfied(ServerKind kind) throws Exception {
        setUp(kind);
        FerrySink sink = sink();
        List<StreamRecord<CommittableMessage<FerryCommittable>>> messages = write(sink,
                insert(table, "f:1", 1, "a"), ddl(table, "f:2", "alter table t add c int default 5"),
                new ChangeEvent(dev.ferry.common.Op.INSERT, table, new dev.ferry.common.RowSchema(
                        new String[] {"id", "v", "c"}, new int[] {0}), null, new Object[] {2L, "b", 6L}, "f:3", "f:3", 0),
                insert(table, "f:4", 4, "open"));
        OperatorSubtaskState checkpoint;
        try (OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                committer = committer(sink)) {
            checkpoint = checkpoint(committer, messages);
            committer.notifyOfCompletedCheckpoint(1);
        }
        assertThat(target.query("SELECT id, v, c FROM `" + table.database() + "`.t ORDER BY id").stream()
                .map(Object::toString).toList()).containsExactly("[1, a, 5]", "[2, b, 6]");
        assertThat(target.query("SELECT statement, outcome FROM ferry.ferry_ddl WHERE channel = ?", channel()))
                .containsExactly(List.of("alter /* ferry:" + channel() + ":src->dst */ table t add c int default 5",
                        "applied"));

        // repeated after a restore: the marker says it ran, so nothing runs again
        commitAgainAfterRestore(sink, checkpoint);
        assertThat(target.query("SELECT COUNT(*) FROM ferry.ferry_ddl WHERE channel = ?", channel()).get(0).get(0))
                .isEqualTo(1L);

        // a crash between the DDL and its marker: the DDL runs again, the target says it is already done
        target.execute("DELETE FROM ferry.ferry_commit WHERE channel = '" + channel() + "' AND row_count = 0",
                "DELETE FROM ferry.ferry_ddl WHERE channel = '" + channel() + "'");
        commitAgainAfterRestore(sink, checkpoint);
        assertThat(target.query("SELECT outcome, detail FROM ferry.ferry_ddl WHERE channel = ?", channel()))
                .singleElement().satisfies(r -> {
                    assertThat(r.get(0)).isEqualTo("already-satisfied");
                    assertThat((String) r.get(1)).startsWith("error 1060");
                });
        assertThat(rows()).containsExactly("1=a", "2=b");
    }

    /** As after a failure: a new committer restores checkpoint 1 and commits it again. */
    private void commitAgainAfterRestore(FerrySink sink, OperatorSubtaskState checkpoint) throws Exception {
        try (OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                committer = committer(sink)) {
            committer.initializeState(checkpoint);
            committer.open();
            committer.notifyOfCompletedCheckpoint(1);
        }
    }

    /** Opens the committer, hands it the writer's messages and takes checkpoint 1. */
    private static OperatorSubtaskState checkpoint(
            OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
                    committer, List<StreamRecord<CommittableMessage<FerryCommittable>>> messages) throws Exception {
        committer.open();
        committer.processElements(messages);
        return committer.snapshot(1, 1);
    }

    private List<StreamRecord<CommittableMessage<FerryCommittable>>> write(FerrySink sink, ChangeEvent... events)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<ChangeEvent, CommittableMessage<FerryCommittable>> writer =
                FerryWriterTest.harness(sink)) {
            writer.open();
            for (ChangeEvent e : events) {
                writer.processElement(e, 0);
            }
            writer.prepareSnapshotPreBarrier(1);
            writer.snapshot(1, 1);
            List<StreamRecord<CommittableMessage<FerryCommittable>>> out = new ArrayList<>();
            for (StreamRecord<? extends CommittableMessage<FerryCommittable>> r : writer.extractOutputStreamRecords()) {
                out.add(new StreamRecord<>(r.getValue(), r.getTimestamp()));
            }
            return out;
        }
    }

    private OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>>
            committer(FerrySink sink) throws Exception {
        OneInputStreamOperatorTestHarness<CommittableMessage<FerryCommittable>, CommittableMessage<FerryCommittable>> h =
                new OneInputStreamOperatorTestHarness<>(new CommitterOperatorFactory<>(sink, false, true),
                        FerryWriterTest.committableMessages(sink));
        h.setup(FerryWriterTest.committableMessages(sink));
        return h;
    }

    private FerrySink sink() {
        Properties p = new Properties();
        p.setProperty("allowPublicKeyRetrieval", "true");
        Endpoint endpoint = new Endpoint("us", "127.0.0.1", target.port(), target.adminUser(), target.adminPassword(), p);
        SinkSettings base = FerryWriterTest.settings(true, endpoint);
        return new FerrySink(new SinkSettings(channel(), base.direction(), base.source(), endpoint, true, 2,
                java.time.Duration.ofSeconds(2), null));
    }

    private String channel() {
        return "committer-" + table.database();
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
}
