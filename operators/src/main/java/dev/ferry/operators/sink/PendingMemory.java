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

    /**
     * After the commit: keeps this transaction's decisions and lets go of rows that converged, those whose change
     * here met no conflict (its before image was the target row): such a row's lost change can no longer be
     * continued.
     */
    void commit(List<ChangeEvent> applied) {
        decided.forEach(memory::update);
        Set<String> converged = new HashSet<>();
        for (ChangeEvent e : memory.isEmpty() ? List.<ChangeEvent>of() : applied) {
            if (e.op() == Op.HEARTBEAT || e.op() == Op.DDL || e.op() == Op.UNDECODABLE || e.isOwnWrite()) {
                continue;
            }
            String key = RowKeys.of(e.table(), e.key());
            if (memory.remembers(key) && !decided.containsKey(key)) {
                converged.add(key);
            }
        }
        converged.forEach(key -> memory.update(key, null));
        decided.clear();
        memory.expire(nowMs);
    }
}
