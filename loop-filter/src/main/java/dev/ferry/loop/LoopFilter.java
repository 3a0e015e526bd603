package dev.ferry.loop;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.IndexDelta;
import dev.ferry.common.Op;
import dev.ferry.common.RowKeyText;
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
 * Heartbeat rows pass on as {@link Op#HEARTBEAT} events; other Ferry tables are dropped. DDL that
 * a Ferry sink executed carries a {@link DdlTag} and is dropped too; so is DDL on a table for which
 * a Ferry sink has just announced DDL in {@code ferry.ferry_ddl}, because the server rewrites some
 * statements in its binlog without their comments (DROP TABLE).
 *
 * <p>One kind of stamped row passes on: a retraction. When a Ferry sink of this channel overwrote this
 * site's own version of a row because it lost a conflict, it announced the rows in {@code ferry_retraction}
 * and then wrote each back to the winner's base; the first write of each announced row after the
 * announcement passes on, marked with {@link ChangeEvent#asRetraction()}, so that the target, which may have
 * applied the losing version from here already, takes it back (see docs/conflicts.md). Nothing else of a
 * stamped transaction crosses: no echo of what a Ferry sink applied.
 *
 * <p>Runs at parallelism 1, right after the source, in binlog order. The transaction being read,
 * whether it is stamped, and the rows announced in it and not yet seen are kept in state, because a
 * restore can resume inside a stamped transaction, after its stamp.
 */
public final class LoopFilter extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoopFilter.class);

    private final String direction;
    /** Retractions announced in this channel pass on; {@code null}: none do. */
    private final String channel;
    private transient ListState<String> stampedTxState;
    private transient ListState<String> announcedRowsState;
    private transient ListState<String> announcedDdlState;
    /** Tables on which a Ferry sink announced DDL that the binlog has not shown yet. */
    private transient Set<String> announcedDdl;
    private transient String currentTx;
    private transient boolean currentTxStamped;
    /** Rows (see RowKeyText#of) announced as retractions in the stamped transaction being read, not yet seen. */
    private transient Set<String> announcedRows;
    private transient Counter retractions;
    /** Row changes of this site's own transactions passed on (snapshot rows included, retractions not). */
    private transient Counter rowsPassed;
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
        this(direction, null);
    }

    /**
     * @param channel retractions announced by this channel's sinks at the source pass on (see the class);
     *     {@code null} for none
     */
    public LoopFilter(String direction, String channel) {
        this.direction = direction;
        this.channel = channel;
    }

    @Override
    public void open(Configuration parameters) {
        stampedTransactions = getRuntimeContext().getMetricGroup().counter("stampedTransactionsFiltered");
        stampedRows = getRuntimeContext().getMetricGroup().counter("stampedRowsFiltered");
        stampedDdl = getRuntimeContext().getMetricGroup().counter("stampedDdlFiltered");
        retractions = getRuntimeContext().getMetricGroup().counter("retractionsPassed");
        rowsPassed = getRuntimeContext().getMetricGroup().counter("rowsPassed");
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
            announcedRows.clear();
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
            announcedRows.clear();
            if (currentTxStamped) {
                stampedTransactions.inc();
            }
        }
        if (event.txId() != null && currentTxStamped) {
            if (isAnnouncement(event)) {
                for (String row : value(event, "row_keys").split("\n")) {
                    announcedRows.add(row);
                }
            } else if (!announcedRows.isEmpty() && !FerryTables.isFerryTable(event.table())
                    && announcedRows.remove(RowKeyText.of(event.table(), event.key()))) {
                retractions.inc();
                out.collect(event.asRetraction());
                return;
            }
            stampedRows.inc();
            return;
        }
        if (!FerryTables.isFerryTable(event.table())) {
            rowsPassed.inc();
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

    private boolean isAnnouncement(ChangeEvent event) {
        return channel != null && event.table().equals(FerryTables.RETRACTION) && event.after() != null
                && channel.equals(value(event, "channel"));
    }

    private static String value(ChangeEvent event, String column) {
        return String.valueOf(event.after()[event.schema().indexOf(column)]);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stampedTxState.update(currentTx != null && currentTxStamped ? List.of(currentTx) : List.of());
        announcedRowsState.update(currentTx != null && currentTxStamped ? new ArrayList<>(announcedRows) : List.of());
        announcedDdlState.update(new ArrayList<>(announcedDdl));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stampedTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("stamped-transaction", Types.STRING));
        announcedRowsState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("announced-retractions", Types.STRING));
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
        announcedRows = new HashSet<>();
        for (String row : announcedRowsState.get()) {
            announcedRows.add(row);
        }
    }
}
