package dev.ferry.common;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Binary form of Ferry's column values and change events. Flink state, checkpoints and
 * committables all go through here, so the format is versioned by its tags: never renumber one.
 */
public final class ValueCodec {
    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte DECIMAL = 2;
    private static final byte FLOAT = 3;
    private static final byte DOUBLE = 4;
    private static final byte STRING = 5;
    private static final byte BYTES = 6;
    private static final byte BOOLEAN = 7;
    private static final byte DATE = 8;
    private static final byte DATETIME = 9;
    private static final byte TIMESTAMP = 10;
    private static final byte TIME = 11;

    private ValueCodec() {}

    public static void writeValue(DataOutput out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            writeBytes(out, d.unscaledValue().toByteArray());
            out.writeInt(d.scale());
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (v instanceof byte[] b) {
            out.writeByte(BYTES);
            writeBytes(out, b);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeLong(d.toEpochDay());
        } else if (v instanceof LocalDateTime t) {
            out.writeByte(DATETIME);
            out.writeLong(t.toLocalDate().toEpochDay());
            out.writeLong(t.toLocalTime().toNanoOfDay());
        } else if (v instanceof Instant i) {
            out.writeByte(TIMESTAMP);
            out.writeLong(i.getEpochSecond());
            out.writeInt(i.getNano());
        } else if (v instanceof MysqlTime t) {
            out.writeByte(TIME);
            out.writeLong(t.micros());
        } else {
            throw new IllegalArgumentException("Ferry cannot store a value of type " + v.getClass().getName());
        }
    }

    public static Object readValue(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case LONG -> in.readLong();
            case DECIMAL -> new BigDecimal(new BigInteger(readBytes(in)), in.readInt());
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case STRING -> readString(in);
            case BYTES -> readBytes(in);
            case BOOLEAN -> in.readBoolean();
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case DATETIME -> LocalDateTime.of(LocalDate.ofEpochDay(in.readLong()), LocalTime.ofNanoOfDay(in.readLong()));
            case TIMESTAMP -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case TIME -> new MysqlTime(in.readLong());
            default -> throw new IOException("unknown value tag " + tag + ": state written by a newer Ferry?");
        };
    }

    public static void writeRow(DataOutput out, Object[] row) throws IOException {
        if (row == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(row.length);
        for (Object v : row) {
            writeValue(out, v);
        }
    }

    public static Object[] readRow(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
            row[i] = readValue(in);
        }
        return row;
    }

    private static final int OWN_WRITE_FLAG = 0x40;
    /** Bit 5 of the op byte: the event's {@link ChangeEvent#seen()} follows its other fields. */
    private static final int SEEN_FLAG = 0x20;

    public static void writeEvent(DataOutput out, ChangeEvent e) throws IOException {
        // bit 6 of the op byte marks an own write (older versions: an echo); bit 5, a seen position that follows
        out.writeByte(opByte(e));
        writeShape(out, new TableShape(e.table(), e.schema()));
        writeRow(out, e.before());
        writeRow(out, e.after());
        writeNullableString(out, e.txId());
        writeNullableString(out, e.position());
        out.writeLong(e.sourceTsMs());
        writeSeen(out, e);
    }

    public static ChangeEvent readEvent(DataInput in) throws IOException {
        int opByte = in.readByte();
        TableShape shape = readShape(in);
        Object[] before = readRow(in);
        Object[] after = readRow(in);
        String txId = readNullableString(in);
        String position = readNullableString(in);
        return readSeen(opByte, event(opByte, shape, before, after, txId, position, in.readLong()), in);
    }

    /** Writes the event's seen position, if it has one (its op byte says so): the last field of an event. */
    static void writeSeen(DataOutput out, ChangeEvent e) throws IOException {
        if (e.seen() != null) {
            writeString(out, e.seen());
        }
    }

    /** Reads the seen position that {@code opByte} announces; events written before it existed have none. */
    static ChangeEvent readSeen(int opByte, ChangeEvent e, DataInput in) throws IOException {
        return (opByte & SEEN_FLAG) != 0 ? e.withSeen(readString(in)) : e;
    }

    /** A table and the schema its rows were read with. */
    record TableShape(TableId table, RowSchema schema) {}

    static int opByte(ChangeEvent e) {
        return e.op().ordinal() | (e.isOwnWrite() ? OWN_WRITE_FLAG : 0) | (e.seen() != null ? SEEN_FLAG : 0);
    }

    static ChangeEvent event(int opByte, TableShape shape, Object[] before, Object[] after, String txId,
            String position, long sourceTsMs) {
        Op op = Op.values()[opByte & ~(OWN_WRITE_FLAG | SEEN_FLAG)];
        ChangeEvent e = new ChangeEvent(op, shape.table(), shape.schema(), before, after, txId, position, sourceTsMs);
        return (opByte & OWN_WRITE_FLAG) != 0 ? e.asOwnWrite() : e;
    }

    static void writeShape(DataOutput out, TableShape shape) throws IOException {
        writeString(out, shape.table().database());
        writeString(out, shape.table().table());
        String[] columns = shape.schema().columns();
        out.writeInt(columns.length);
        for (String c : columns) {
            writeString(out, c);
        }
        int[] keys = shape.schema().keyIndexes();
        out.writeInt(keys.length);
        for (int k : keys) {
            out.writeInt(k);
        }
    }

    static TableShape readShape(DataInput in) throws IOException {
        TableId table = new TableId(readString(in), readString(in));
        String[] columns = new String[in.readInt()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = readString(in);
        }
        int[] keys = new int[in.readInt()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = in.readInt();
        }
        return new TableShape(table, new RowSchema(columns, keys));
    }

    /** UTF-8 with an int length: {@link DataOutput#writeUTF} stops at 64 KB, TEXT does not. */
    public static void writeString(DataOutput out, String s) throws IOException {
        writeBytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void writeNullableString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    public static String readNullableString(DataInput in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static void writeBytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
