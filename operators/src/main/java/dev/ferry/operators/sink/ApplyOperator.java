package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.operators.heartbeat.SourceHeartbeat;
import java.io.IOException;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Ferry's exactly-once apply: a two-phase commit without XA (see docs/exactly-once.md), as one operator on the stream
 * keyed by table and primary key ({@link RowKeys}). At each checkpoint the writer cuts the stream into
 * committables, which are kept in operator state; once the checkpoint completes each is applied as one local
 * transaction in the target, guarded by a commit-marker row, and a restored operator applies the ones its
 * checkpoint still holds (a repeat is recognised by its marker and skipped).
 *
 * <p>Conflicts are decided while applying, against the target row. In a two-way channel the operator has a second
 * input: the target's own writes, read from its binlog ({@link TargetHistory}), which tell exactly which changes are
 * concurrent with a write at the target. The operator remembers how each row's conflict was decided in keyed state
 * ({@link KeyedConflictMemory}), so the row's later changes are recorded once; a row is forgotten once it
 * converged, or after {@link RowMemory#SPAN}.
 */
public final class ApplyOperator extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<ChangeEvent, Void>, TwoInputStreamOperator<ChangeEvent, ChangeEvent, Void>,
        BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final ListStateDescriptor<byte[]> WRITER_STATE =
            new ListStateDescriptor<>("ferry-writer", BytePrimitiveArraySerializer.INSTANCE);
    private static final ListStateDescriptor<byte[]> PENDING_STATE =
            new ListStateDescriptor<>("ferry-pending-committables", BytePrimitiveArraySerializer.INSTANCE);
    /**
     * When the newest heartbeat applied was written, per subtask; every subtask restores them all (union) and
     * takes the newest, so the lag shown after a restore starts from there. A checkpoint without it (one taken
     * before this state existed) restores as none.
     */
    private static final ListStateDescriptor<Long> NEWEST_HEARTBEAT_STATE =
            new ListStateDescriptor<>("ferry-newest-heartbeat", LongSerializer.INSTANCE);
    /** The source clock's offset (SourceClock); a checkpoint without it restores as none. */
    private static final ListStateDescriptor<Long> SOURCE_CLOCK_STATE =
            new ListStateDescriptor<>("ferry-source-clock", LongSerializer.INSTANCE);
    private static final SimpleVersionedSerializer<BatcherState> WRITER_FORMAT =
            new BatchSerializers.BatcherStateSerializer();
    private static final SimpleVersionedSerializer<CheckpointBatch> COMMITTABLE_FORMAT =
            new BatchSerializers.BatchSerializer();

    /** A clock the operator can be shipped with. */
    public interface Clock extends LongSupplier, Serializable {}

    private final SinkSettings settings;
    /** The rows written into the source that come back through its reader (see DirectionJob); null: none. */
    private final SourceHeartbeat heartbeat;
    private final Clock clock;
    /** Whether the second input brings the target's writes (see TargetHistory); else it has one input. */
    private final boolean readsTargetHistory;

    private transient CheckpointBatcher writer;
    private transient BatchCommitter committer;
    private transient KeyedConflictMemory memory;
    private transient KeyedTargetHistory history;
    private transient ListState<byte[]> writerState;
    private transient ListState<byte[]> pendingState;
    private transient ListState<Long> newestHeartbeatState;
    private transient long restoredHeartbeat;
    private transient ListState<Long> sourceClockState;
    private transient long restoredSourceClock;
    /** Committables by the checkpoint that cut them, until that checkpoint (or a later one) completes. */
    private transient NavigableMap<Long, List<CheckpointBatch>> pending;
    private transient HistoryBarrier barrier;
    /** The barrier written and awaited, or -1; and the committable whose rows are locked and that then applies. */
    private transient long awaitedBarrier;
    private transient CheckpointBatch onBarrier;
    /** The tries of the committable being applied, while one failed and it waits to be tried again. */
    private transient BatchCommitter.Tries tries;
    /** The newest completed checkpoint: its committables and those before are due. */
    private transient long dueUpTo;
    private transient boolean restored;

    /** @param heartbeat run by the first subtask; null: no heartbeats */
    public ApplyOperator(SinkSettings settings, SourceHeartbeat heartbeat) {
        this(settings, heartbeat, System::currentTimeMillis, false);
    }

    /**
     * The operator of a direction whose second input is its target's history (keyed by {@link RowKeys} too): each
     * apply first waits for a read barrier on it.
     */
    public static ApplyOperator readingTargetHistory(SinkSettings settings, SourceHeartbeat heartbeat) {
        return new ApplyOperator(settings, heartbeat, System::currentTimeMillis, true);
    }

    ApplyOperator(SinkSettings settings, SourceHeartbeat heartbeat, Clock clock, boolean readsTargetHistory) {
        this.settings = settings;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.readsTargetHistory = readsTargetHistory;
        // a task of its own: the binlog is read on while a checkpoint's rows are applied (docs/benchmark.md)
        setChainingStrategy(ChainingStrategy.HEAD);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (getKeyedStateBackend() == null) {
            throw new IllegalStateException("Ferry's apply operator needs its input keyed by RowKeys");
        }
        restored = context.isRestored();
        writerState = context.getOperatorStateStore().getListState(WRITER_STATE);
        pendingState = context.getOperatorStateStore().getListState(PENDING_STATE);
        newestHeartbeatState = context.getOperatorStateStore().getUnionListState(NEWEST_HEARTBEAT_STATE);
        restoredHeartbeat = -1;
        for (Long writtenAt : newestHeartbeatState.get()) {
            restoredHeartbeat = Math.max(restoredHeartbeat, writtenAt);
        }
        sourceClockState = context.getOperatorStateStore().getUnionListState(SOURCE_CLOCK_STATE);
        restoredSourceClock = SourceClock.UNKNOWN;
        for (Long offset : sourceClockState.get()) { // every subtask kept the same clocks' offset, measured alike
            restoredSourceClock = restoredSourceClock == SourceClock.UNKNOWN ? offset
                    : Math.min(restoredSourceClock, offset);
        }
        List<BatcherState> writers = new ArrayList<>();
        for (byte[] bytes : writerState.get()) {
            writers.add(SimpleVersionedSerialization.readVersionAndDeSerialize(WRITER_FORMAT, bytes));
        }
        pending = new TreeMap<>();
        for (byte[] bytes : pendingState.get()) {
            long checkpoint = longAt(bytes);
            pending.computeIfAbsent(checkpoint, k -> new ArrayList<>()).add(SimpleVersionedSerialization
                    .readVersionAndDeSerialize(COMMITTABLE_FORMAT, Arrays.copyOfRange(bytes, Long.BYTES, bytes.length)));
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        writer = new CheckpointBatcher(subtask, settings.transactional(), writers, clock.getAsLong());
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        memory = new KeyedConflictMemory(getKeyedStateBackend(), maxParallelism,
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism,
                        getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(), subtask));
        history = new KeyedTargetHistory(getKeyedStateBackend());
    }

    @Override
    public void open() throws Exception {
        super.open();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        committer = new BatchCommitter(settings, getMetricGroup(), clock, memory,
                Concurrency.of(history, subtask), !restored);
        committer.restoredHeartbeat(restoredHeartbeat);
        committer.restoredSourceClock(restoredSourceClock);
        // read by the metric reporter's thread: a size read without a lock is at worst one commit behind
        getMetricGroup().gauge("conflictMemoryRows", () -> memory.size());
        getMetricGroup().gauge("targetHistoryRows", () -> history.size());
        awaitedBarrier = -1;
        dueUpTo = -1;
        if (readsTargetHistory) {
            barrier = new HistoryBarrier(settings.target(), settings.channel(), settings.direction(), subtask,
                    getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks(),
                    getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        }
        // the restored checkpoint completed, so everything it still holds is due
        commitUpTo(Long.MAX_VALUE);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && heartbeat != null) {
            writer.withHeartbeat(heartbeat.writer());
        }
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> element) {
        writer.write(element.getValue());
    }

    @Override
    public void processElement1(StreamRecord<ChangeEvent> element) {
        processElement(element);
    }

    /** A write at the target, read from its binlog: one it made itself, or one this direction applied. */
    @Override
    public void processElement2(StreamRecord<ChangeEvent> element) throws Exception {
        ChangeEvent write = element.getValue();
        long barrierValue = barrier.valueOf(write);
        if (barrierValue >= 0) {
            if (awaitedBarrier >= 0 && barrierValue >= awaitedBarrier) {
                awaitedBarrier = -1;
                commitOne(onBarrier);
                if (awaitedBarrier < 0) {
                    applyDue();
                }
            }
            return;
        }
        if (write.op() == Op.HEARTBEAT) {
            return; // another direction's heartbeat at the target
        }
        if (write.op() == Op.DDL) {
            // a local ALTER at the target: the cached definitions are stale (a column added there must be set to its
            // default under a winner that lacks it: the checker's kv_bulk 170, seed 11, kept the losing value)
            committer.targetDefinitionsChanged();
            return;
        }
        String row = RowKeys.of(write.table(), write.key());
        if (write.isOwnWrite()) {
            history.applied(row);
        } else if (write.op() == Op.DELETE) {
            history.written(row, write.position(), true, versionOf(write, write.before()));
        } else {
            history.written(row, write.position(), false, null, committer.uniqueValues(write),
                    versionOf(write, write.after()));
        }
    }

    /** For a row of a {@code newer-wins} table: its version column's value; else null. */
    private Object versionOf(ChangeEvent e, Object[] row) {
        ConflictPolicy policy = settings.conflicts().ruleFor(e.table()).policy();
        int column = policy.kind() == ConflictPolicy.Kind.NEWER_WINS ? e.schema().indexOf(policy.column()) : -1;
        return column < 0 || row == null ? null : row[column];
    }

    @Override
    public void endInput() {
        writer.flush(true);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<CheckpointBatch> cut = writer.prepareCommit();
        if (!cut.isEmpty()) {
            pending.put(context.getCheckpointId(), new ArrayList<>(cut));
        }
        List<byte[]> committables = new ArrayList<>();
        for (Map.Entry<Long, List<CheckpointBatch>> e : pending.entrySet()) {
            for (CheckpointBatch c : e.getValue()) {
                committables.add(withCheckpoint(e.getKey(),
                        SimpleVersionedSerialization.writeVersionAndSerialize(COMMITTABLE_FORMAT, c)));
            }
        }
        pendingState.update(committables);
        List<byte[]> writers = new ArrayList<>();
        for (BatcherState s : writer.snapshotState(context.getCheckpointId())) {
            writers.add(SimpleVersionedSerialization.writeVersionAndSerialize(WRITER_FORMAT, s));
        }
        writerState.update(writers);
        long newestHeartbeat = committer.newestHeartbeat();
        newestHeartbeatState.update(newestHeartbeat < 0 ? List.of() : List.of(newestHeartbeat));
        long offset = committer.sourceClockOffset();
        sourceClockState.update(offset == SourceClock.UNKNOWN ? List.of() : List.of(offset));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        commitUpTo(checkpointId);
    }

    /**
     * Applies the committables of checkpoints up to {@code checkpointId}. With a target history, one at a time: the
     * rows it changes are locked first, then a read barrier is written into the target, and the committable applies
     * (in the transaction that holds the locks) once the barrier has come back on the history input (see {@link
     * HistoryBarrier}): every target write it must decide against is then known.
     */
    private void commitUpTo(long checkpointId) throws Exception {
        if (!readsTargetHistory) {
            commitNow(checkpointId);
            return;
        }
        dueUpTo = Math.max(dueUpTo, checkpointId);
        if (awaitedBarrier < 0) {
            applyDue();
        }
    }

    /** Applies the due committables in order until one must wait for its barrier. */
    private void applyDue() throws Exception {
        while (true) {
            Map.Entry<Long, List<CheckpointBatch>> first = pending.firstEntry();
            if (first == null || first.getKey() > dueUpTo) {
                return;
            }
            CheckpointBatch next = first.getValue().get(0);
            if (next.events().stream().allMatch(e -> e.op() == Op.HEARTBEAT)) {
                commitOne(next); // heartbeats decide nothing: no barrier, no write at the target
                if (awaitedBarrier >= 0) {
                    return; // its try failed: it waits for a barrier now, like the others
                }
                continue;
            }
            awaitBarrierFor(next);
            return;
        }
    }

    /** Begins {@code c}'s apply transaction and writes the read barrier it waits for. */
    private void awaitBarrierFor(CheckpointBatch c) throws SQLException, InterruptedException {
        committer.lockRows(c);
        onBarrier = c;
        awaitedBarrier = barrier.write(clock.getAsLong());
    }

    /**
     * Applies one committable (the first pending) and takes it out of the pending ones; if its try failed in a way
     * worth retrying, it stays first and waits for a new read barrier (see BatchCommitter#tryCommit).
     */
    private void commitOne(CheckpointBatch c) throws InterruptedException, SQLException {
        if (tries == null) {
            tries = committer.tries();
        }
        if (!committer.tryCommit(c, tries)) {
            awaitBarrierFor(c);
            return;
        }
        tries = null;
        Map.Entry<Long, List<CheckpointBatch>> first = pending.firstEntry();
        first.getValue().remove(0);
        if (first.getValue().isEmpty()) {
            pending.pollFirstEntry();
        }
        seenUpTo(List.of(c));
    }

    private void commitNow(long checkpointId) throws InterruptedException {
        NavigableMap<Long, List<CheckpointBatch>> due = pending.headMap(checkpointId, true);
        if (due.isEmpty()) {
            return;
        }
        List<CheckpointBatch> committables = new ArrayList<>();
        due.values().forEach(committables::addAll);
        committer.commit(committables);
        due.clear();
        seenUpTo(committables);
    }

    /** Every change still to come had seen at least what the last one applied had seen. */
    private void seenUpTo(List<CheckpointBatch> applied) {
        List<ChangeEvent> last = applied.get(applied.size() - 1).events();
        if (!last.isEmpty()) {
            history.seenUpTo(BinlogPosition.seenBy(last.get(last.size() - 1).seen(),
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()));
        }
    }

    /** How many rows the conflict memory holds (for tests and the state-size check). */
    int rememberedRows() {
        return memory.size();
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.close();
            }
            if (committer != null) {
                committer.close();
            }
            if (barrier != null) {
                barrier.close();
            }
        } finally {
            super.close();
        }
    }

    private static byte[] withCheckpoint(long checkpointId, byte[] bytes) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(Long.BYTES + bytes.length);
        out.writeLong(checkpointId);
        out.write(bytes);
        return out.getCopyOfBuffer();
    }

    private static long longAt(byte[] bytes) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }
}
