package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.operators.heartbeat.HeartbeatWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * Collects the changes of one checkpoint interval and hands them to the committer at the barrier.
 *
 * <p>In transactional mode a source transaction is complete only when a row of the next one
 * arrives (Flink CDC passes on no COMMIT markers; heartbeat rows make sure a next one comes). The
 * rows of the transaction still being read are held back in writer state, never half committed.
 * In parallel mode every row stands alone.
 */
final class FerryWriter implements CommittingSinkWriter<ChangeEvent, FerryCommittable>,
        StatefulSinkWriter<ChangeEvent, FerryWriterState> {

    private final int subtask;
    private final long epoch;
    private final boolean holdOpenTransactions;
    private long sequence;
    private List<ChangeEvent> ready = new ArrayList<>();
    private final List<ChangeEvent> open = new ArrayList<>();
    private String openTxId;
    private HeartbeatWriter heartbeat;

    FerryWriter(int subtask, boolean holdOpenTransactions, Collection<FerryWriterState> restored, long now) {
        this.subtask = subtask;
        this.holdOpenTransactions = holdOpenTransactions;
        long lastEpoch = 0;
        for (FerryWriterState state : restored) {
            lastEpoch = Math.max(lastEpoch, state.epoch());
            for (ChangeEvent e : state.openTransaction()) {
                write(e, null);
            }
        }
        this.epoch = Math.max(now, lastEpoch + 1);
    }

    @Override
    public void write(ChangeEvent event, Context context) {
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

    @Override
    public void flush(boolean endOfInput) {
        if (endOfInput) {
            closeOpenTransaction();
        }
    }

    @Override
    public Collection<FerryCommittable> prepareCommit() {
        if (ready.isEmpty()) {
            return List.of();
        }
        FerryCommittable committable = new FerryCommittable(subtask, epoch, sequence++, ready);
        ready = new ArrayList<>();
        return List.of(committable);
    }

    @Override
    public List<FerryWriterState> snapshotState(long checkpointId) {
        return List.of(new FerryWriterState(epoch, open));
    }

    /** Starts writing heartbeat rows into the source; they end the transactions this writer holds back. */
    FerryWriter withHeartbeat(HeartbeatWriter heartbeatWriter) {
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
