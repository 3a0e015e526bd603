package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import dev.ferry.common.ValueCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The {@link TargetHistory} in the apply operator's keyed state (key: {@link RowKeys}), written as the target's
 * binlog is read and read while committables are applied. A row is kept until a committed change of the source has
 * seen its write: every later change has seen it too (the source's seen positions only grow), so the state is
 * bounded by the replication window, not by the table. An index by position, rebuilt on restore, makes that cheap.
 */
final class KeyedTargetHistory implements TargetHistory {
    static final ValueStateDescriptor<byte[]> STATE = new ValueStateDescriptor<>("ferry-target-history",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final KeyedStateBackend<String> backend;
    private final ValueState<byte[]> state;
    private final Map<String, LocalWrite> rows = new HashMap<>();
    private final NavigableMap<BinlogPosition, Set<String>> byPosition = new TreeMap<>();

    KeyedTargetHistory(KeyedStateBackend<String> backend) throws Exception {
        this.backend = backend;
        this.state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                STATE);
        List<String> keys;
        try (Stream<String> restored = backend.getKeys(STATE.getName(), VoidNamespace.INSTANCE)) {
            keys = restored.toList();
        }
        for (String key : keys) {
            backend.setCurrentKey(key);
            byte[] bytes = state.value();
            if (bytes != null) {
                index(key, decode(bytes));
            }
        }
    }

    /**
     * A local write of the current key (the operator's key context) at {@code position}; for a delete, the version
     * of the row it deleted (see {@link LocalWrite#deletedVersion()}), or null.
     */
    void written(String rowKey, String position, boolean delete, Object deletedVersion) {
        BinlogPosition p = BinlogPosition.parse(position);
        if (p == null) {
            return;
        }
        LocalWrite write = new LocalWrite(p, delete, delete ? deletedVersion : null);
        try {
            state.update(encode(write));
        } catch (Exception e) {
            throw new IllegalStateException("writing the target history of " + rowKey.replace('\u0000', ' '), e);
        }
        unindex(rowKey);
        index(rowKey, write);
    }

    private static byte[] encode(LocalWrite w) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(w.position().toString());
        out.writeBoolean(w.delete());
        ValueCodec.writeValue(out, w.deletedVersion());
        return out.getCopyOfBuffer();
    }

    private static LocalWrite decode(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return new LocalWrite(BinlogPosition.parse(in.readUTF()), in.readBoolean(), ValueCodec.readValue(in));
    }

    /**
     * The direction itself wrote the current key (the operator's key context) there, after every local write read
     * before: the row's newest version is one the source knows, so no local write is left to conflict with.
     */
    void applied(String rowKey) {
        if (rows.containsKey(rowKey)) {
            state.clear();
            unindex(rowKey);
        }
    }

    @Override
    public LocalWrite newestLocalWrite(String rowKey) {
        return rows.get(rowKey); // the index holds every key the state holds
    }

    /** Forgets the writes up to {@code seen}: the source had seen them when it made the changes still to come. */
    void seenUpTo(BinlogPosition seen) {
        if (seen == null) {
            return;
        }
        NavigableMap<BinlogPosition, Set<String>> old = byPosition.headMap(seen, true);
        for (Set<String> keys : old.values()) {
            for (String key : keys) {
                rows.remove(key);
                backend.setCurrentKey(key);
                state.clear();
            }
        }
        old.clear();
    }

    int size() {
        return rows.size();
    }

    private void index(String rowKey, LocalWrite w) {
        rows.put(rowKey, w);
        byPosition.computeIfAbsent(w.position(), k -> new HashSet<>()).add(rowKey);
    }

    private void unindex(String rowKey) {
        LocalWrite before = rows.remove(rowKey);
        if (before != null) {
            Set<String> keys = byPosition.get(before.position());
            keys.remove(rowKey);
            if (keys.isEmpty()) {
                byPosition.remove(before.position());
            }
        }
    }
}
