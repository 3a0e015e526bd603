package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Whether the row met a conflict in this direction within {@link RowMemory#SPAN}. */
    boolean recentlyInConflict(ChangeEvent e) {
        RowMemory m = recall(RowKeys.of(e.table(), e.key()));
        return m != null && m.isRecent(nowMs);
    }

    /**
     * After the commit: keeps this transaction's decisions and lets go of rows that converged, those whose
     * change here met no conflict (its before image was the target row). Such a row's lost change can no longer be continued. A direction that may receive echoes
     * still keeps the time of the row's conflict, which the echo rules ask for, until it expires.
     */
    void commit(List<ChangeEvent> applied, boolean echoesMayFollow) {
        decided.forEach(memory::update);
        Set<String> converged = new HashSet<>();
        for (ChangeEvent e : memory.isEmpty() ? List.<ChangeEvent>of() : applied) {
            if (e.op() == Op.HEARTBEAT || e.op() == Op.DDL || e.op() == Op.UNDECODABLE || e.isEcho()) {
                continue; // an echo may have been left alone: no sign that the sites agree
            }
            String key = RowKeys.of(e.table(), e.key());
            if (memory.remembers(key) && !decided.containsKey(key)) {
                converged.add(key);
            }
        }
        for (String key : converged) {
            RowMemory m = memory.recall(key);
            if (!echoesMayFollow) {
                memory.update(key, null);
            } else if (m != null && m.lostAfter() != null) {
                memory.update(key, m.withoutLostChange());
            }
        }
        decided.clear();
        memory.expire(nowMs);
    }
}
