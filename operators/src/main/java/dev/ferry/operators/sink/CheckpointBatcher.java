package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.operators.heartbeat.HeartbeatWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects the changes of one checkpoint interval and cuts them into committables at the barrier.
 *
 * <p>In transactional mode a source transaction is complete only when a row of the next one
 * arrives (Flink CDC passes on no COMMIT markers; heartbeat rows make sure a next one comes). The
 * rows of the transaction still being read are held back in writer state, never half committed.
 * In parallel mode every row stands alone. A DDL event gets a committable of its own, between the
 * rows before and after it, because DDL commits implicitly and cannot share a target transaction.
 */
final class CheckpointBatcher implements AutoCloseable {

    private final int subtask;
    private final long epoch;
    private final boolean holdOpenTransactions;
    private long sequence;
    private List<ChangeEvent> ready = new ArrayList<>();
    /** Finished groups that must be committed apart, in order: rows before a DDL, the DDL itself. */
    private final List<List<ChangeEvent>> sealed = new ArrayList<>();
    private final List<ChangeEvent> open = new ArrayList<>();
    private String openTxId;
    private HeartbeatWriter heartbeat;

    CheckpointBatcher(int subtask, boolean holdOpenTransactions, Collection<BatcherState> restored, long now) {
        this.subtask = subtask;
        this.holdOpenTransactions = holdOpenTransactions;
        long lastEpoch = 0;
        for (BatcherState state : restored) {
            lastEpoch = Math.max(lastEpoch, state.epoch());
            for (ChangeEvent e : state.openTransaction()) {
                write(e);
            }
        }
        this.epoch = Math.max(now, lastEpoch + 1);
    }

    void write(ChangeEvent event) {
        if (event.op() == Op.DDL) {
            closeOpenTransaction();
            seal();
            sealed.add(List.of(event));
            return;
        }
        if (!holdOpenTransactions || event.txId() == null) {
            closeOpenTransaction();
            ready.add(event);
            return;
        }
        if (!event.txId().equals(openTxId)) {
            closeOpenTransaction();
            openTxId = event.txId();
        }
        open.add(event);
    }

    private void closeOpenTransaction() {
        ready.addAll(open);
        open.clear();
        openTxId = null;
    }

    void flush(boolean endOfInput) {
        if (endOfInput) {
            closeOpenTransaction();
        }
    }

    private void seal() {
        if (!ready.isEmpty()) {
            sealed.add(ready);
            ready = new ArrayList<>();
        }
    }

    /** The finished groups, each a committable; called at the checkpoint barrier. */
    List<CheckpointBatch> prepareCommit() {
        seal();
        List<CheckpointBatch> committables = new ArrayList<>(sealed.size());
        for (List<ChangeEvent> events : sealed) {
            committables.add(new CheckpointBatch(subtask, epoch, sequence++, events));
        }
        sealed.clear();
        return committables;
    }

    List<BatcherState> snapshotState(long checkpointId) {
        return List.of(new BatcherState(epoch, open));
    }

    /** Starts writing heartbeat rows into the source; they end the transactions this writer holds back. */
    CheckpointBatcher withHeartbeat(HeartbeatWriter heartbeatWriter) {
        this.heartbeat = heartbeatWriter;
        heartbeatWriter.start();
        return this;
    }

    long epoch() {
        return epoch;
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.close();
        }
    }
}
