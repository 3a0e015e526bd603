package dev.ferry.loop;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.IndexDelta;
import dev.ferry.common.Op;
import dev.ferry.common.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * <p>In a two-way channel, the stamps of the reverse direction (the one writing this job's source) record up to
 * which position of this job's target they applied it. Every local change after such a stamp carries that
 * position as its {@link ChangeEvent#seen()}: the target's writes the source had seen when it made the change.
 * In parallel apply mode the reverse direction stamps per writer, each for its own rows (the same rows as this
 * direction's writer of that number): the seen position then names each writer's newest (see
 * {@link BinlogPosition#seenBy}).
 *
 * <p>On the target's history (see {@link #forTargetHistory}) the rows that the direction itself applied there pass on
 * as its own writes ({@link ChangeEvent#asOwnWrite()}), in binlog order with the target's local writes.
 *
 * <p>With more than two sites, linked as a tree, a site relays: the transactions and DDL that the directions into it
 * from its other neighbours applied ({@code relayed}) pass on as if written here, in this binlog's order, which keeps
 * a change behind every change it followed (docs/conflicts.md, "Three or more sites"). On a target's history they
 * are the target's local writes. Announcements of DDL in {@code ferry.ferry_ddl} by those directions are ignored, so
 * their DROP TABLE, which the server logs without its tag, passes too.
 *
 * <p>Runs at parallelism 1, right after the source, in binlog order. The transaction being read
 * and whether it is stamped are kept in state, because a restore can resume inside a stamped
 * transaction, after its stamp.
 */
public final class LoopFilter extends ProcessFunction<ChangeEvent, ChangeEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoopFilter.class);

    private final String direction;
    private final String channel;
    private final String reverseDirection;
    /** On a target's history: the direction whose stamped rows pass on as own writes; else null. */
    private final String ownDirection;
    /** {@code <channel>:<direction>} of the directions whose writes here pass on as local ones. */
    private final Set<String> relayed;
    private transient ListState<String> stampedTxState;
    private transient ListState<String> ownTxState;
    /** The stamped transaction being read was written by {@link #ownDirection}. */
    private transient boolean currentTxOwn;
    private transient ListState<String> seenState;
    private transient ListState<String> announcedDdlState;
    /** Tables on which a Ferry sink announced DDL that the binlog has not shown yet. */
    private transient Set<String> announcedDdl;
    private transient String currentTx;
    private transient boolean currentTxStamped;
    /** The newest source position of the reverse direction's stamps here, by the writer subtask that stamped. */
    private transient Map<Integer, BinlogPosition> seenByWriter;
    /** {@link #seenByWriter} as {@link ChangeEvent#seen()}: what every local change read from now on has seen. */
    private transient String seen;
    private transient Counter stampedTransactions;
    private transient Counter stampedRows;
    private transient Counter stampedDdl;
    private transient Counter relayedTransactions;
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
     * @param channel, reverseDirection the direction coming into this job's source site from its target site, in
     *     this channel, whose stamps give local changes their {@link ChangeEvent#seen()}; {@code null} for none
     */
    public LoopFilter(String direction, String channel, String reverseDirection) {
        this(direction, channel, reverseDirection, Set.of());
    }

    /** @param relayed the directions (of {@code channel}) into this source whose writes pass on as its own */
    public LoopFilter(String direction, String channel, String reverseDirection, Set<String> relayed) {
        this(direction, channel, reverseDirection, null, relayed);
    }

    private LoopFilter(String direction, String channel, String reverseDirection, String ownDirection,
            Set<String> relayed) {
        this.direction = direction;
        this.channel = channel;
        this.reverseDirection = reverseDirection;
        this.ownDirection = ownDirection;
        this.relayed = new HashSet<>();
        relayed.forEach(d -> this.relayed.add(channel + ":" + d));
    }

    /**
     * The filter of {@code direction}'s second reader, the one of its target's binlog: the target's local writes pass
     * on, and so do the rows {@code direction} applied there, as own writes; everything else Ferry wrote is dropped.
     */
    public static LoopFilter forTargetHistory(String channel, String direction) {
        return forTargetHistory(channel, direction, Set.of());
    }

    /** {@link #forTargetHistory(String, String)}, where the writes of the {@code relayed} directions count as local. */
    public static LoopFilter forTargetHistory(String channel, String direction, Set<String> relayed) {
        return new LoopFilter(null, channel, null, direction, relayed);
    }

    @Override
    public void open(Configuration parameters) {
        stampedTransactions = getRuntimeContext().getMetricGroup().counter("stampedTransactionsFiltered");
        stampedRows = getRuntimeContext().getMetricGroup().counter("stampedRowsFiltered");
        stampedDdl = getRuntimeContext().getMetricGroup().counter("stampedDdlFiltered");
        relayedTransactions = getRuntimeContext().getMetricGroup().counter("relayedTransactions");
        // 1 if this run resumed in the middle of a stamped transaction (whose rest it then drops)
        getRuntimeContext().getMetricGroup().gauge("restoredInsideStampedTransaction",
                () -> restoredInsideStampedTransaction ? 1 : 0);
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        if (event.table().equals(FerryTables.DDL) && event.after() != null && event.op() != Op.READ
                && !relayed.contains(value(event, "channel") + ":" + value(event, "direction"))) {
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
            currentTxOwn = false;
            String tag = DdlTag.label(event.ddl());
            if (tag != null && relayed.contains(tag)) {
                out.collect(withSeen(event));
            } else if (DdlTag.isTagged(event.ddl()) || announcedDdl.remove(event.table().toString())) {
                stampedDdl.inc();
            } else if (!FerryTables.isFerryTable(event.table())) {
                out.collect(withSeen(event));
            }
            return;
        }
        if (event.txId() != null && !event.txId().equals(currentTx)) {
            currentTx = event.txId();
            currentTxStamped = event.table().equals(FerryTables.COMMIT) && event.op() == Op.INSERT;
            currentTxOwn = false;
            if (currentTxStamped && relayed.contains(value(event, "channel") + ":" + value(event, "direction"))) {
                currentTxStamped = false; // its stamp is a Ferry table's row: dropped below, the rest passes
                relayedTransactions.inc();
            } else if (currentTxStamped) {
                stampedTransactions.inc();
                noteStamp(event);
                currentTxOwn = ownDirection != null && channel.equals(value(event, "channel"))
                        && ownDirection.equals(value(event, "direction"));
            }
        }
        if (event.txId() != null && currentTxStamped) {
            stampedRows.inc();
            // an undecodable change has no row: nothing to tell the history about
            if (currentTxOwn && !FerryTables.isFerryTable(event.table()) && event.op() != Op.UNDECODABLE) {
                out.collect(event.asOwnWrite());
            }
            return;
        }
        if (!FerryTables.isFerryTable(event.table())) {
            out.collect(withSeen(event));
        } else if (event.after() == null || event.op() == Op.READ) {
            return;
        } else if (event.table().equals(FerryTables.HEARTBEAT)) {
            out.collect(withSeen(new ChangeEvent(Op.HEARTBEAT, event.table(), event.schema(), null, event.after(),
                    event.txId(), event.position(), event.sourceTsMs())));
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

    /** A stamp of the reverse direction: its writer has applied this job's target up to its source position. */
    private void noteStamp(ChangeEvent stamp) {
        int column = stamp.schema().indexOf("source_position");
        if (reverseDirection == null || column < 0 || !channel.equals(value(stamp, "channel"))
                || !reverseDirection.equals(value(stamp, "direction"))) {
            return;
        }
        BinlogPosition p = BinlogPosition.parse((String) stamp.after()[column]);
        int writer = Integer.parseInt(value(stamp, "subtask"));
        if (p == null || writer < 0) {
            return; // a replay of held changes, or DDL: says nothing about the order of the rest
        }
        seenByWriter.merge(writer, p, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        seen = seenOf(seenByWriter);
    }

    private static String seenOf(Map<Integer, BinlogPosition> byWriter) {
        return BinlogPosition.seen(byWriter);
    }

    private ChangeEvent withSeen(ChangeEvent event) {
        return seen == null ? event : event.withSeen(seen);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stampedTxState.update(currentTx != null && currentTxStamped ? List.of(currentTx) : List.of());
        List<String> seenNow = new ArrayList<>();
        seenByWriter.forEach((writer, p) -> seenNow.add(writer + "=" + p));
        seenState.update(seenNow);
        ownTxState.update(currentTx != null && currentTxOwn ? List.of(currentTx) : List.of());
        announcedDdlState.update(new ArrayList<>(announcedDdl));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stampedTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("stamped-transaction", Types.STRING));
        seenState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("seen-by-writer", Types.STRING));
        ownTxState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("own-transaction", Types.STRING));
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
        for (String tx : ownTxState.get()) {
            currentTxOwn = tx.equals(currentTx);
        }
        seenByWriter = new HashMap<>();
        for (String entry : seenState.get()) {
            int eq = entry.indexOf('=');
            seenByWriter.put(Integer.parseInt(entry.substring(0, eq)), BinlogPosition.parse(entry.substring(eq + 1)));
        }
        seen = seenOf(seenByWriter);
    }
}
