package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conflict memory as one apply transaction sees it: the direction's memory overlaid with what this
 * transaction decided. The decisions reach the memory only once the transaction committed, so a rolled back
 * or retried apply leaves no trace in it.
 */
final class PendingMemory {
    private final ConflictMemory memory;
    private final long nowMs;
    private final Map<String, RowMemory> decided = new LinkedHashMap<>();

    PendingMemory(ConflictMemory memory, long nowMs) {
        this.memory = memory;
        this.nowMs = nowMs;
    }

    RowMemory recall(String rowKey) {
        RowMemory own = decided.get(rowKey);
        return own != null ? own : memory.recall(rowKey);
    }

    void remember(ConflictRecord c) {
        decided.put(c.memoryKey(), RowMemory.of(c, nowMs));
    }

    /**
     * After the commit: keeps this transaction's decisions; a row whose latest change here fitted (its before image
     * was the target row) converged, and is forgotten, unless that change was a delete: then the row is marked as
     * deleted by the source (see {@link RowMemory#sourceDeleted}).
     */
    void commit(List<ChangeEvent> applied) {
        decided.forEach(memory::update);
        Map<String, ChangeEvent> latest = new LinkedHashMap<>();
        for (ChangeEvent e : applied) {
            if (e.op() == Op.HEARTBEAT || e.op() == Op.DDL || e.isRetraction()) {
                continue; // a retraction may have been left alone: no sign that the sites agree
            }
            latest.put(RowKeys.of(e.table(), e.key()), e);
        }
        latest.forEach((key, e) -> {
            if (decided.containsKey(key)) {
                return;
            }
            if (e.op() == Op.DELETE) {
                memory.update(key, RowMemory.sourceDeleted(nowMs));
            } else if (memory.remembers(key)) {
                memory.update(key, null);
            }
        });
        decided.clear();
        memory.expire(nowMs);
    }
}
