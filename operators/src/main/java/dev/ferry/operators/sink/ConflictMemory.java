package dev.ferry.operators.sink;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-row memory of a direction's conflicts, keyed by {@link RowKeys#of}: lets the rows' later changes be
 * recognised as the same conflict going on (recorded once) and tells the echo rules which rows met a conflict
 * lately. The apply operator keeps it in Flink keyed state ({@link KeyedConflictMemory}); the applier reads it
 * and updates it only after the target transaction that made the decisions committed.
 */
interface ConflictMemory {
    /** The row's memory, or null. */
    RowMemory recall(String rowKey);

    /** Remembers (or, with null, forgets) a row. Rows another writer subtask owns are not kept. */
    void update(String rowKey, RowMemory memory);

    /** A cheap check, made for every applied row: whether {@link #recall} could return anything. */
    boolean remembers(String rowKey);

    boolean isEmpty();

    /** Forgets rows whose conflict is older than {@link RowMemory#SPAN}. */
    void expire(long nowMs);

    /** A memory in a plain map: for an applier used outside a Flink operator. */
    static ConflictMemory inMap() {
        Map<String, RowMemory> rows = new HashMap<>();
        return new ConflictMemory() {
            @Override
            public RowMemory recall(String rowKey) {
                return rows.get(rowKey);
            }

            @Override
            public void update(String rowKey, RowMemory memory) {
                if (memory == null) {
                    rows.remove(rowKey);
                } else {
                    rows.put(rowKey, memory);
                }
            }

            @Override
            public boolean remembers(String rowKey) {
                return rows.containsKey(rowKey);
            }

            @Override
            public boolean isEmpty() {
                return rows.isEmpty();
            }

            @Override
            public void expire(long nowMs) {
                rows.values().removeIf(m -> !m.isRecent(nowMs));
            }
        };
    }
}
