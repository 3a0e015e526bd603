package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint formats of the sink's committables and writer state (version 1). */
final class FerrySerializers {
    private FerrySerializers() {}

    static final class CommittableSerializer implements SimpleVersionedSerializer<FerryCommittable> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FerryCommittable c) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(c.subtask());
            out.writeLong(c.epoch());
            out.writeLong(c.sequence());
            writeEvents(out, c.events());
            out.flush();
            return bytes.toByteArray();
        }

        @Override
        public FerryCommittable deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            return new FerryCommittable(in.readInt(), in.readLong(), in.readLong(), readEvents(in));
        }
    }

    static final class WriterStateSerializer implements SimpleVersionedSerializer<FerryWriterState> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FerryWriterState s) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(s.epoch());
            writeEvents(out, s.openTransaction());
            out.flush();
            return bytes.toByteArray();
        }

        @Override
        public FerryWriterState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            return new FerryWriterState(in.readLong(), readEvents(in));
        }
    }

    private static void checkVersion(int version) throws IOException {
        if (version != 1) {
            throw new IOException("Ferry sink state version " + version + " is newer than this Ferry understands (1)");
        }
    }

    private static void writeEvents(DataOutputStream out, List<ChangeEvent> events) throws IOException {
        out.writeInt(events.size());
        for (ChangeEvent e : events) {
            ValueCodec.writeEvent(out, e);
        }
    }

    private static List<ChangeEvent> readEvents(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<ChangeEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(ValueCodec.readEvent(in));
        }
        return events;
    }
}
