package dev.ferry.loop;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.IndexDelta;
import dev.ferry.common.Op;
import dev.ferry.common.TableId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops every transaction that a Ferry sink wrote, so nothing Ferry applied is replicated again.
 * A Ferry transaction is recognised by its first row: an insert into {@code ferry.ferry_commit}.
 * Heartbeat rows pass on as {@link Op#HEARTBEAT} events; other Ferry tables are dropped. A change the reader could
 * not read ({@link Op#UNDECODABLE}) passes on like a row, so that its table is held, unless stamped. DDL that
 * a Ferry sink executed carries a {@link DdlTag} and is dropped too; so is DDL on a table for which
 * a Ferry sink has just announced DDL in {@code ferry.ferry_ddl}, because the server rewrites some
 * statements in its binlog without their comments (DROP TABLE).
 *
 * <p>On the home site's outgoing direction of a two-way channel, the rows a Ferry sink applied here
 * from the target site come back to it as echoes, so that the home site's decisions reach it.
 *
 * <p>Runs at parallelism 1, right after the source, in binlog order. The transaction being read
 * and whether it is stamped are kept in state, because a restore can resume inside a stamped
 * transaction, after its stamp.
 */
public final class LoopFilter extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoopFilter.class);

    private final String direction;
    private final String echoChannel;
    private final String echoDirection;
    private transient ListState<String> stampedTxState;
    private transient ListState<String> echoTxState;
    private transient ListState<String> announcedDdlState;
    /** Tables on which a Ferry sink announced DDL that the binlog has not shown yet. */
    private transient Set<String> announcedDdl;
    private transient String currentTx;
    private transient boolean currentTxStamped;
    /** The stamped transaction being read was written by {@link #echoDirection}: its rows pass on as echoes. */
    private transient boolean currentTxEcho;
    private transient Counter echoRows;
    private transient Counter stampedTransactions;
    private transient Counter stampedRows;
    private transient Counter stampedDdl;
    private transient boolean restoredInsideStampedTransaction;

    /** A filter that passes on no index-change rows. */
    public LoopFilter() {
        this(null);
    }

    /** @param direction this job's direction: index-change rows its own job wrote become DDL events */
    public LoopFilter(String direction) {
        this(direction, null, null);
    }

    /**
     * @param echoChannel, echoDirection the direction coming into this job's source site from its
     *     target site, in this channel: the rows it applied here are passed on as echoes (see
     *     {@link ChangeEvent#asEcho()}). Set only on the home site's outgoing directions of a
     *     two-way channel, where the home site arbitrates conflicts; {@code null} for none.
     */
    public LoopFilter(String direction, String echoChannel, String echoDirection) {
        this.direction = direction;
        this.echoChannel = echoChannel;
        this.echoDirection = echoDirection;
    }

    @Override
    public void open(Configuration parameters) {
        stampedTransactions = getRuntimeContext().getMetricGroup().counter("stampedTransactionsFiltered");
        stampedRows = getRuntimeContext().getMetricGroup().counter("stampedRowsFiltered");
        stampedDdl = getRuntimeContext().getMetricGroup().counter("stampedDdlFiltered");
        echoRows = getRuntimeContext().getMetricGroup().counter("echoRowsPassed");
        // 1 if this run resumed in the middle of a stamped transaction (whose rest it then drops)
        getRuntimeContext().getMetricGroup().gauge("restoredInsideStampedTransaction",
                () -> restoredInsideStampedTransaction ? 1 : 0);
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (event.table().equals(FerryTables.DDL) && event.after() != null && event.op() != Op.READ) {
            String table = value(event, "table_schema") + "." + value(event, "table_name");
            if ("pending".equals(value(event, "outcome"))) {
                announcedDdl.add(table);
            } else {
                announcedDdl.remove(table);
            }
        }
        if (event.op() == Op.DDL) {
            // a DDL commits on its own: it ends whatever transaction was being read
            currentTx = null;
            currentTxStamped = false;
            currentTxEcho = false;
            if (DdlTag.isTagged(event.ddl()) || announcedDdl.remove(event.table().toString())) {
                stampedDdl.inc();
            } else if (!FerryTables.isFerryTable(event.table())) {
                out.collect(event);
            }
            return;
        }
        if (event.txId() != null && !event.txId().equals(currentTx)) {
            currentTx = event.txId();
            currentTxStamped = event.table().equals(FerryTables.COMMIT) && event.op() == Op.INSERT;
            currentTxEcho = currentTxStamped && echoDirection != null
                    && echoChannel.equals(value(event, "channel")) && echoDirection.equals(value(event, "direction"));
            if (currentTxStamped) {
                stampedTransactions.inc();
            }
        }
        if (event.txId() != null && currentTxStamped) {
            // an undecodable change has no row to confirm the home site's version with: dropped like any stamped row
            if (currentTxEcho && !FerryTables.isFerryTable(event.table()) && event.op() != Op.UNDECODABLE) {
                echoRows.inc();
                out.collect(event.asEcho());
            } else {
                stampedRows.inc();
            }
            return;
        }
        if (!FerryTables.isFerryTable(event.table())) {
            out.collect(event);
        } else if (event.after() == null || event.op() == Op.READ) {
            return;
        } else if (event.table().equals(FerryTables.HEARTBEAT)) {
            out.collect(new ChangeEvent(Op.HEARTBEAT, event.table(), event.schema(), null, event.after(),
                    event.txId(), event.position(), event.sourceTsMs()));
        } else if (event.table().equals(FerryTables.INDEX_SYNC)
                && value(event, "direction").equals(direction)) {
            TableId table = new TableId(value(event, "table_schema"), value(event, "table_name"));
            out.collect(ChangeEvent.ddl(table, IndexDelta.statement(value(event, "index_change")), event.txId(),
                    event.position(), event.sourceTsMs()));
        }
    }

    private static String value(ChangeEvent event, String column) {
        return String.valueOf(event.after()[event.schema().indexOf(column)]);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stampedTxState.update(currentTx != null && currentTxStamped ? List.of(currentTx) : List.of());
        echoTxState.update(currentTx != null && currentTxEcho ? List.of(currentTx) : List.of());
        announcedDdlState.update(new ArrayList<>(announcedDdl));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stampedTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("stamped-transaction", Types.STRING));
        echoTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("echo-transaction", Types.STRING));
        announcedDdlState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("announced-ddl", Types.STRING));
        announcedDdl = new HashSet<>();
        for (String table : announcedDdlState.get()) {
            announcedDdl.add(table);
        }
        for (String tx : stampedTxState.get()) {
            currentTx = tx;
            currentTxStamped = true;
            restoredInsideStampedTransaction = true;
            LOG.info("resumed inside stamped transaction {}: its remaining rows are dropped", tx);
        }
        for (String tx : echoTxState.get()) {
            currentTxEcho = tx.equals(currentTx);
            LOG.info("resumed inside echo transaction {}: its remaining rows pass on as echoes", tx);
        }
    }
}
