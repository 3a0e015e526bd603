package dev.ferry.operators;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.ValueCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer for {@link ChangeEvent}: Ferry's own format, so Kryo never sees our values. */
public final class ChangeEventSerializer extends TypeSerializerSingleton<ChangeEvent> {
    private static final long serialVersionUID = 1L;
    public static final ChangeEventSerializer INSTANCE = new ChangeEventSerializer();

    @Override
    public boolean isImmutableType() {
        return true; // events are never modified after they are built
    }

    @Override
    public ChangeEvent createInstance() {
        return null;
    }

    @Override
    public ChangeEvent copy(ChangeEvent from) {
        return from;
    }

    @Override
    public ChangeEvent copy(ChangeEvent from, ChangeEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ChangeEvent record, DataOutputView target) throws IOException {
        ValueCodec.writeEvent(target, record);
    }

    @Override
    public ChangeEvent deserialize(DataInputView source) throws IOException {
        return ValueCodec.readEvent(source);
    }

    @Override
    public ChangeEvent deserialize(ChangeEvent reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<ChangeEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Stable snapshot class: savepoints name it, so keep its name. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
