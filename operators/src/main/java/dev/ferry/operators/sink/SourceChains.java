package dev.ferry.operators.sink;

import dev.ferry.common.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Per row, the run of the source's changes that this direction applied here last, each fitting the row (no
 * conflict): the row as this site had it before the run ({@code base}) and after it ({@code tip}); null stands
 * for an absent row. If the source later lost that run in a conflict only it could see, a retraction of the
 * tip sets the row back to the base: to this site's own version before it took the lost ones, whatever base the
 * source itself had (see docs/conflicts.md, "Retractions"). Read and written while committables are applied;
 * updated only after the target transaction committed.
 */
interface SourceChains {
    /** How long a run is kept: a retraction arrives within about two replication lags of the run. */
    java.time.Duration SPAN = RowMemory.SPAN;

    /** The row's run, or null. */
    Chain get(String rowKey);

    /** Keeps (or with null, forgets) the row's run. */
    void put(String rowKey, Chain chain);

    /** A run: the row before it and after it (null: absent). */
    record Chain(Object[] base, Object[] tip) {
        byte[] toBytes() {
            try {
                DataOutputSerializer out = new DataOutputSerializer(64);
                ValueCodec.writeRow(out, base);
                ValueCodec.writeRow(out, tip);
                return out.getCopyOfBuffer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Chain fromBytes(byte[] bytes) {
            try {
                DataInputDeserializer in = new DataInputDeserializer(bytes);
                return new Chain(ValueCodec.readRow(in), ValueCodec.readRow(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs in a plain map, for an applier outside a Flink operator. */
    static SourceChains inMap() {
        Map<String, Chain> rows = new HashMap<>();
        return new SourceChains() {
            @Override
            public Chain get(String rowKey) {
                return rows.get(rowKey);
            }

            @Override
            public void put(String rowKey, Chain chain) {
                if (chain == null) {
                    rows.remove(rowKey);
                } else {
                    rows.put(rowKey, chain);
                }
            }
        };
    }
}
