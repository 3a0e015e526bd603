package dev.ferry.loop;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The writes of a direction's target, read from its binlog after {@link LoopFilter#forTargetHistory} (local writes,
 * and the direction's own as {@link ChangeEvent#isOwnWrite()}): one event per row written, keyed like the apply
 * operator's input. An update that moves a row to another key writes
 * two rows: it passes on as a delete of the old key and an insert of the new one. Heartbeat rows pass on (the apply
 * operator's read barriers are heartbeat rows), and so does DDL made at the target itself (the loop filter drops what
 * Ferry applied): the apply reads that table's definition anew.
 */
public final class LocalWrites implements FlatMapFunction<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(ChangeEvent e, Collector<ChangeEvent> out) {
        switch (e.op()) {
            case INSERT, DELETE, HEARTBEAT, DDL -> out.collect(e); // heartbeats: the apply's read barriers among them
            case UPDATE -> {
                if (e.changesKey()) {
                    out.collect(marked(e, new ChangeEvent(Op.DELETE, e.table(), e.schema(), e.before(), null,
                            e.txId(), e.position(), e.sourceTsMs())));
                    out.collect(marked(e, new ChangeEvent(Op.INSERT, e.table(), e.schema(), null, e.after(),
                            e.txId(), e.position(), e.sourceTsMs())));
                } else {
                    out.collect(e);
                }
            }
            default -> { }
        }
    }

    private static ChangeEvent marked(ChangeEvent like, ChangeEvent e) {
        return like.isOwnWrite() ? e.asOwnWrite() : e;
    }
}
