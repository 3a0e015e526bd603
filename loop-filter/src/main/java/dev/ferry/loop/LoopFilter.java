package dev.ferry.loop;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops every transaction that a Ferry sink wrote, so nothing Ferry applied is replicated again.
 * A Ferry transaction is recognised by its first row: an insert into {@code ferry.ferry_commit}.
 * Heartbeat rows pass on as {@link Op#HEARTBEAT} events; other Ferry tables are dropped.
 *
 * <p>Runs at parallelism 1, right after the source, in binlog order. The transaction being read
 * and whether it is stamped are kept in state, because a restore can resume inside a stamped
 * transaction, after its stamp.
 */
public final class LoopFilter extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private transient ListState<String> stampedTxState;
    private transient String currentTx;
    private transient boolean currentTxStamped;
    private transient Counter stampedTransactions;
    private transient Counter stampedRows;

    @Override
    public void open(Configuration parameters) {
        stampedTransactions = getRuntimeContext().getMetricGroup().counter("stampedTransactionsFiltered");
        stampedRows = getRuntimeContext().getMetricGroup().counter("stampedRowsFiltered");
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (event.txId() != null && !event.txId().equals(currentTx)) {
            currentTx = event.txId();
            currentTxStamped = event.table().equals(FerryTables.COMMIT) && event.op() == Op.INSERT;
            if (currentTxStamped) {
                stampedTransactions.inc();
            }
        }
        if (event.txId() != null && currentTxStamped) {
            stampedRows.inc();
            return;
        }
        if (!FerryTables.isFerryTable(event.table())) {
            out.collect(event);
        } else if (event.table().equals(FerryTables.HEARTBEAT) && event.after() != null && event.op() != Op.READ) {
            out.collect(new ChangeEvent(Op.HEARTBEAT, event.table(), event.schema(), null, event.after(),
                    event.txId(), event.position(), event.sourceTsMs()));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stampedTxState.update(currentTx != null && currentTxStamped ? List.of(currentTx) : List.of());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stampedTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("stamped-transaction", Types.STRING));
        for (String tx : stampedTxState.get()) {
            currentTx = tx;
            currentTxStamped = true;
        }
    }
}
