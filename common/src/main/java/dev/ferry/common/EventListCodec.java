package dev.ferry.common;

import dev.ferry.common.ValueCodec.TableShape;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Binary form of a list of change events whose table names and schemas repeat: each (table, schema) is
 * written once, at its first event, and referred to by number after that; a transaction id equal to the
 * previous event's is one byte. Committables and the sink writer's state hold thousands of rows of a few
 * tables, and writing every row's column names and transaction id again made serialization the biggest
 * cost of a checkpoint. Values use {@link ValueCodec}. The format is versioned by its users' serializers.
 */
public final class EventListCodec {
    private static final byte TX_NULL = 0;
    private static final byte TX_SAME = 1;
    private static final byte TX_NEW = 2;

    private EventListCodec() {}

    public static void write(DataOutput out, List<ChangeEvent> events) throws IOException {
        out.writeInt(events.size());
        Map<TableShape, Integer> shapes = new HashMap<>();
        TableShape last = null;
        int lastIndex = -1;
        String lastTx = null;
        for (ChangeEvent e : events) {
            out.writeByte(ValueCodec.opByte(e));
            int index;
            if (last != null && last.table() == e.table() && last.schema() == e.schema()) {
                index = lastIndex; // rows of one table in a row share their objects: skip the map
            } else {
                last = new TableShape(e.table(), e.schema());
                Integer known = shapes.get(last);
                index = known == null ? shapes.size() : known;
                lastIndex = index;
            }
            out.writeInt(index);
            if (index == shapes.size()) {
                shapes.put(last, index);
                ValueCodec.writeShape(out, last);
            }
            ValueCodec.writeRow(out, e.before());
            ValueCodec.writeRow(out, e.after());
            if (e.txId() == null) {
                out.writeByte(TX_NULL);
            } else if (e.txId().equals(lastTx)) {
                out.writeByte(TX_SAME);
            } else {
                out.writeByte(TX_NEW);
                ValueCodec.writeString(out, e.txId());
            }
            lastTx = e.txId();
            ValueCodec.writeNullableString(out, e.position());
            out.writeLong(e.sourceTsMs());
            ValueCodec.writeSeen(out, e);
        }
    }

    public static List<ChangeEvent> read(DataInput in) throws IOException {
        int n = in.readInt();
        List<ChangeEvent> events = new ArrayList<>(n);
        List<TableShape> shapes = new ArrayList<>();
        String lastTx = null;
        for (int i = 0; i < n; i++) {
            int opByte = in.readByte();
            int index = in.readInt();
            if (index == shapes.size()) {
                shapes.add(ValueCodec.readShape(in));
            } else if (index < 0 || index > shapes.size()) {
                throw new IOException("event list refers to table " + index + " of " + shapes.size() + ": corrupt state");
            }
            TableShape shape = shapes.get(index);
            Object[] before = ValueCodec.readRow(in);
            Object[] after = ValueCodec.readRow(in);
            byte tx = in.readByte();
            String txId = switch (tx) {
                case TX_NULL -> null;
                case TX_SAME -> Objects.requireNonNull(lastTx, "TX_SAME without a previous transaction id");
                case TX_NEW -> ValueCodec.readString(in);
                default -> throw new IOException("unknown transaction tag " + tx + ": state written by a newer Ferry?");
            };
            lastTx = txId;
            String position = ValueCodec.readNullableString(in);
            long ts = in.readLong();
            events.add(ValueCodec.readSeen(opByte, ValueCodec.event(opByte, shape, before, after, txId, position, ts),
                    in));
        }
        return events;
    }
}
