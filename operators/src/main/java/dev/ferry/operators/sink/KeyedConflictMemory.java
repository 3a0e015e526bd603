package dev.ferry.operators.sink;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The conflict memory in the apply operator's keyed state (key: {@link RowKeys}). It is read and written while
 * committables are applied, after their checkpoint, so writes go in the next checkpoint; a restored operator
 * therefore reloads it from the target's records when it finds a committable already applied (see ChangeApplier).
 * A map of the remembered keys, oldest conflict first, makes the per-row check cheap and the expiry exact.
 */
final class KeyedConflictMemory implements ConflictMemory {
    static final ValueStateDescriptor<Tuple3<String, String, Long>> STATE = new ValueStateDescriptor<>(
            "ferry-conflict-memory", Types.TUPLE(Types.STRING, Types.STRING, Types.LONG));

    private final KeyedStateBackend<String> backend;
    private final int maxParallelism;
    private final KeyGroupRange owned;
    private final ValueState<Tuple3<String, String, Long>> state;
    private final Map<String, Long> remembered = new LinkedHashMap<>();

    /** @param owned the key groups of this subtask, out of {@code maxParallelism} */
    KeyedConflictMemory(KeyedStateBackend<String> backend, int maxParallelism, KeyGroupRange owned)
            throws Exception {
        this.backend = backend;
        this.maxParallelism = maxParallelism;
        this.owned = owned;
        this.state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, STATE);
        List<String> keys;
        try (Stream<String> restored = backend.getKeys(STATE.getName(), VoidNamespace.INSTANCE)) {
            keys = restored.toList();
        }
        keys.stream()
                .map(k -> Map.entry(k, read(k)))
                .filter(e -> e.getValue() != null)
                .sorted(Map.Entry.comparingByValue((a, b) -> Long.compare(a.conflictAtMs(), b.conflictAtMs())))
                .forEach(e -> remembered.put(e.getKey(), e.getValue().conflictAtMs()));
    }

    @Override
    public RowMemory recall(String rowKey) {
        return remembered.containsKey(rowKey) ? read(rowKey) : null; // the map holds every key the state holds
    }

    private RowMemory read(String rowKey) {
        try {
            backend.setCurrentKey(rowKey);
            Tuple3<String, String, Long> t = state.value();
            return t == null ? null : new RowMemory(t.f0, t.f1, t.f2);
        } catch (Exception e) {
            throw new IllegalStateException("reading the conflict memory of " + rowKey.replace('\u0000', ' '), e);
        }
    }

    @Override
    public void update(String rowKey, RowMemory memory) {
        if (!owns(rowKey)) {
            return; // a row another writer owns (parallel mode: met through a unique key)
        }
        try {
            backend.setCurrentKey(rowKey);
            Long before = remembered.get(rowKey);
            if (memory == null) {
                state.clear();
                remembered.remove(rowKey);
            } else {
                state.update(Tuple3.of(memory.resolution(), memory.lostAfter(), memory.conflictAtMs()));
                if (before == null || before != memory.conflictAtMs()) {
                    remembered.remove(rowKey); // re-inserted last: the map stays in conflict-time order
                    remembered.put(rowKey, memory.conflictAtMs());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing the conflict memory of " + rowKey.replace('\u0000', ' '), e);
        }
    }

    @Override
    public boolean remembers(String rowKey) {
        return remembered.containsKey(rowKey);
    }

    @Override
    public void expire(long nowMs) {
        Iterator<Map.Entry<String, Long>> oldestFirst = remembered.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<String, Long> e = oldestFirst.next();
            if (nowMs - e.getValue() < RowMemory.SPAN.toMillis()) {
                return;
            }
            backend.setCurrentKey(e.getKey());
            state.clear();
            oldestFirst.remove();
        }
    }

    @Override
    public boolean isEmpty() {
        return remembered.isEmpty();
    }

    /** How many rows are remembered. */
    int size() {
        return remembered.size();
    }

    private boolean owns(String rowKey) {
        return owned.contains(KeyGroupRangeAssignment.assignToKeyGroup(rowKey, maxParallelism));
    }
}
