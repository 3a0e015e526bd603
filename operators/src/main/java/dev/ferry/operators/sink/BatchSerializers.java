package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.EventListCodec;
import dev.ferry.common.ValueCodec;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Checkpoint formats of the sink's committables and writer state. Version 2 writes each table's schema once per
 * list ({@link EventListCodec}); version 1 (every event whole) is still read, so savepoints of older Ferry
 * versions restore.
 */
final class BatchSerializers {
    private static final int VERSION = 2;

    private BatchSerializers() {}

    static final class BatchSerializer implements SimpleVersionedSerializer<CheckpointBatch> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(CheckpointBatch c) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(initialSize(c.events()));
            out.writeInt(c.subtask());
            out.writeLong(c.epoch());
            out.writeLong(c.sequence());
            EventListCodec.write(out, c.events());
            return out.getCopyOfBuffer();
        }

        @Override
        public CheckpointBatch deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new CheckpointBatch(in.readInt(), in.readLong(), in.readLong(), readEvents(version, in));
        }
    }

    static final class BatcherStateSerializer implements SimpleVersionedSerializer<BatcherState> {
        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(BatcherState s) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(initialSize(s.openTransaction()));
            out.writeLong(s.epoch());
            EventListCodec.write(out, s.openTransaction());
            return out.getCopyOfBuffer();
        }

        @Override
        public BatcherState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new BatcherState(in.readLong(), readEvents(version, in));
        }
    }

    /** A guess that spares most of the buffer's regrowth: rows are rarely under 64 bytes. */
    private static int initialSize(List<ChangeEvent> events) {
        return 64 + events.size() * 64;
    }

    private static void checkVersion(int version) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException("Ferry sink state version " + version + " is newer than this Ferry understands ("
                    + VERSION + ")");
        }
    }

    private static List<ChangeEvent> readEvents(int version, DataInput in) throws IOException {
        if (version >= 2) {
            return EventListCodec.read(in);
        }
        int n = in.readInt();
        List<ChangeEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(ValueCodec.readEvent(in));
        }
        return events;
    }
}
