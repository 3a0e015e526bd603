package dev.ferry.operators.sink;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ValueCodec;
import java.io.IOException;
import java.util.ArrayList;
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
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The {@link TargetHistory} in the apply operator's keyed state (key: {@link RowKeys}), written as the target's
 * binlog is read and read while committables are applied. Per row: its newest local write, and the unique values
 * local writes put into it. A row is kept until a committed change of the source has seen all of them: every later
 * change has seen them too (the source's seen positions only grow), so the state is bounded by the replication
 * window, not by the table. Indexes by position and by unique value, rebuilt on restore, make that cheap.
 */
final class KeyedTargetHistory implements TargetHistory {
    static final ValueStateDescriptor<byte[]> STATE = new ValueStateDescriptor<>("ferry-target-history",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** A unique value a local write put into the row (see UniqueValues), where, and the row's version then. */
    record Taken(String value, BinlogPosition position, Object version) {}

    /** What the history holds of one row: its newest local write (null once the direction wrote it), and takes. */
    record Entry(LocalWrite newest, List<Taken> takes) {
        /** The newest position in it: once the source has seen this, it has seen everything here. */
        BinlogPosition last() {
            BinlogPosition last = newest == null ? null : newest.position();
            for (Taken t : takes) {
                last = last == null || t.position().compareTo(last) > 0 ? t.position() : last;
            }
            return last;
        }
    }

    private final KeyedStateBackend<String> backend;
    private final ValueState<byte[]> state;
    private final Map<String, Entry> rows = new HashMap<>();
    private final NavigableMap<BinlogPosition, Set<String>> byPosition = new TreeMap<>();
    private final Map<String, Set<String>> byValue = new HashMap<>();

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
        written(rowKey, position, delete, deletedVersion, List.of(), null);
    }

    /**
     * As {@link #written(String, String, boolean, Object)}, for a write that put {@code uniqueValues} into the row
     * (see UniqueValues), leaving it at {@code version} (newer-wins tables; else null).
     */
    void written(String rowKey, String position, boolean delete, Object deletedVersion, List<String> uniqueValues,
            Object version) {
        BinlogPosition p = BinlogPosition.parse(position);
        if (p == null) {
            return;
        }
        Entry before = rows.get(rowKey);
        List<Taken> takes = new ArrayList<>(before == null ? List.of() : before.takes());
        for (String value : uniqueValues) {
            takes.removeIf(t -> t.value().equals(value)); // the newest take of a value is the one that counts
            takes.add(new Taken(value, p, version));
        }
        save(rowKey, new Entry(new LocalWrite(p, delete, delete ? deletedVersion : null), takes));
    }

    /**
     * The direction itself wrote the current key (the operator's key context) there, after every local write read
     * before: the row's newest version is one the source knows, so no local write is left to conflict with. The
     * unique values local writes put into it stay until the source has seen them: another row of the source may
     * still meet them.
     */
    void applied(String rowKey) {
        Entry before = rows.get(rowKey);
        if (before == null) {
            return;
        }
        if (before.takes().isEmpty()) {
            state.clear();
            unindex(rowKey);
        } else {
            save(rowKey, new Entry(null, before.takes()));
        }
    }

    @Override
    public LocalWrite newestLocalWrite(String rowKey) {
        Entry e = rows.get(rowKey); // the index holds every key the state holds
        return e == null ? null : e.newest();
    }

    @Override
    public List<Take> takes(String uniqueValue) {
        Set<String> keys = byValue.get(uniqueValue);
        if (keys == null) {
            return List.of();
        }
        List<Take> out = new ArrayList<>();
        for (String key : keys) {
            for (Taken t : rows.get(key).takes()) {
                if (t.value().equals(uniqueValue)) {
                    out.add(new Take(key, t.position(), t.version()));
                }
            }
        }
        return out;
    }

    /** Forgets the rows whose writes are all up to {@code seen}: the source had seen them for the changes to come. */
    void seenUpTo(BinlogPosition seen) {
        if (seen == null) {
            return;
        }
        NavigableMap<BinlogPosition, Set<String>> old = byPosition.headMap(seen, true);
        for (Set<String> keys : List.copyOf(old.values())) {
            for (String key : List.copyOf(keys)) {
                unindex(key);
                backend.setCurrentKey(key);
                state.clear();
            }
        }
    }

    int size() {
        return rows.size();
    }

    private void save(String rowKey, Entry entry) {
        try {
            state.update(encode(entry));
        } catch (Exception e) {
            throw new IllegalStateException("writing the target history of " + rowKey.replace('\u0000', ' '), e);
        }
        unindex(rowKey);
        index(rowKey, entry);
    }

    /**
     * The newest write's position ("" for none), whether it deleted, the version it deleted; then, added later (a
     * state written before has nothing after), the number of takes and each take's value, position and version.
     */
    static byte[] encode(Entry entry) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        LocalWrite w = entry.newest();
        out.writeUTF(w == null ? "" : w.position().toString());
        out.writeBoolean(w != null && w.delete());
        ValueCodec.writeValue(out, w == null ? null : w.deletedVersion());
        out.writeInt(entry.takes().size());
        for (Taken t : entry.takes()) {
            out.writeUTF(t.value());
            out.writeUTF(t.position().toString());
            ValueCodec.writeValue(out, t.version());
        }
        return out.getCopyOfBuffer();
    }

    static Entry decode(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        BinlogPosition position = BinlogPosition.parse(in.readUTF());
        boolean delete = in.readBoolean();
        Object deletedVersion = ValueCodec.readValue(in);
        LocalWrite newest = position == null ? null : new LocalWrite(position, delete, deletedVersion);
        List<Taken> takes = new ArrayList<>();
        if (in.available() > 0) {
            for (int n = in.readInt(); n > 0; n--) {
                takes.add(new Taken(in.readUTF(), BinlogPosition.parse(in.readUTF()), ValueCodec.readValue(in)));
            }
        }
        return new Entry(newest, takes);
    }

    private void index(String rowKey, Entry entry) {
        rows.put(rowKey, entry);
        byPosition.computeIfAbsent(entry.last(), k -> new HashSet<>()).add(rowKey);
        for (Taken t : entry.takes()) {
            byValue.computeIfAbsent(t.value(), k -> new HashSet<>()).add(rowKey);
        }
    }

    private void unindex(String rowKey) {
        Entry before = rows.remove(rowKey);
        if (before == null) {
            return;
        }
        Set<String> keys = byPosition.get(before.last());
        keys.remove(rowKey);
        if (keys.isEmpty()) {
            byPosition.remove(before.last());
        }
        for (Taken t : before.takes()) {
            Set<String> holders = byValue.get(t.value());
            if (holders != null) {
                holders.remove(rowKey);
                if (holders.isEmpty()) {
                    byValue.remove(t.value());
                }
            }
        }
    }
}
