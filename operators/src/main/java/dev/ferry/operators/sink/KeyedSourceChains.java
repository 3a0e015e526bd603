package dev.ferry.operators.sink;

import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/** {@link SourceChains} in the apply operator's keyed state (key: {@link RowKeys}), dropped by state TTL. */
final class KeyedSourceChains implements SourceChains {
    static final ValueStateDescriptor<byte[]> STATE = descriptor();

    private final KeyedStateBackend<String> backend;
    private final ValueState<byte[]> state;

    KeyedSourceChains(KeyedStateBackend<String> backend) throws Exception {
        this.backend = backend;
        this.state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, STATE);
    }

    private static ValueStateDescriptor<byte[]> descriptor() {
        ValueStateDescriptor<byte[]> d = new ValueStateDescriptor<>("ferry-source-chains",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(StateTtlConfig.newBuilder(SPAN)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return d;
    }

    @Override
    public Chain get(String rowKey) {
        try {
            backend.setCurrentKey(rowKey);
            byte[] bytes = state.value();
            return bytes == null ? null : Chain.fromBytes(bytes);
        } catch (Exception e) {
            throw new IllegalStateException("reading the source chain of " + rowKey.replace('\u0000', ' '), e);
        }
    }

    @Override
    public void put(String rowKey, Chain chain) {
        try {
            backend.setCurrentKey(rowKey);
            if (chain == null) {
                state.clear();
            } else {
                state.update(chain.toBytes());
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing the source chain of " + rowKey.replace('\u0000', ' '), e);
        }
    }
}
