package dev.ferry.operators.source;

import dev.ferry.common.MysqlTime;
import dev.ferry.compat.zerodates.ZeroDates;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * Turns one Debezium (Kafka Connect) column value into Ferry's value types, exactly. Debezium
 * must run with {@code decimal.handling.mode=precise}, {@code bigint.unsigned.handling.mode=precise},
 * {@code binary.handling.mode=bytes} and {@code time.precision.mode=adaptive_time_microseconds}.
 */
final class ConnectValueConverter {
    private ConnectValueConverter() {}

    static final String SOURCE_TYPE = "__debezium.source.column.type";
    static final String SOURCE_LENGTH = "__debezium.source.column.length";

    /** @throws UnsupportedTypeException for a type Ferry cannot carry without loss */
    static Object convert(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case "io.debezium.time.Date":
                    LocalDate date = LocalDate.ofEpochDay(((Number) value).longValue());
                    refuseZeroDate(ZeroDates.ofEpochDay(date.toEpochDay()), date);
                    return date;
                case "io.debezium.time.MicroTimestamp":
                    return dateTime(((Number) value).longValue());
                case "io.debezium.time.Timestamp":
                    return dateTime(((Number) value).longValue() * 1000L);
                case "io.debezium.time.NanoTimestamp":
                    long nanos = ((Number) value).longValue();
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                            (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
                case "io.debezium.time.ZonedTimestamp":
                    Instant instant = Instant.parse((String) value);
                    // a TIMESTAMP's range starts at 1970-01-01 00:00:01 UTC: the epoch itself is its zero value
                    refuseZeroDate(instant.equals(Instant.EPOCH) ? "0000-00-00 00:00:00" : null, instant);
                    return instant;
                case "io.debezium.time.MicroTime":
                    return new MysqlTime(((Number) value).longValue());
                case "io.debezium.time.Time":
                    return new MysqlTime(((Number) value).longValue() * 1000L);
                case "io.debezium.time.NanoTime":
                    return new MysqlTime(((Number) value).longValue() / 1000L);
                case "io.debezium.time.Year":
                    return ((Number) value).longValue();
                case "io.debezium.data.Bits":
                    return bitsToBigEndian(bytes(value), schema);
                case "org.apache.kafka.connect.data.Decimal":
                    return (BigDecimal) value;
                case "io.debezium.data.Json":
                case "io.debezium.data.Enum":
                case "io.debezium.data.EnumSet":
                    return value.toString();
                case "io.debezium.data.geometry.Geometry":
                case "io.debezium.data.geometry.Point":
                    return mysqlGeometry((Struct) value);
                default:
                    if (logical.startsWith("io.debezium.data.geometry")) {
                        throw new UnsupportedTypeException("spatial type " + logical);
                    }
            }
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
            case INT64:
                return ((Number) value).longValue();
            case FLOAT32:
                return ((Number) value).floatValue();
            case FLOAT64:
                return ((Number) value).doubleValue();
            case BOOLEAN:
                return value;
            case STRING:
                return value.toString();
            case BYTES:
                return value instanceof BigDecimal ? value : padBinary(bytes(value), schema);
            default:
                throw new UnsupportedTypeException("Connect type " + schema.type()
                        + (logical == null ? "" : " (" + logical + ")"));
        }
    }

    /**
     * A spatial value in MySQL's own storage form, 4 bytes SRID (little-endian) then the WKB, the form both MySQL and
     * MariaDB store and accept back as a binary value. Debezium splits it into {@code srid} (null for 0) and
     * {@code wkb} without changing either, so the target gets the source's bytes exactly.
     */
    static byte[] mysqlGeometry(Struct value) {
        byte[] wkb = bytes(value.get("wkb"));
        Integer srid = value.getInt32("srid");
        return ByteBuffer.allocate(4 + wkb.length).order(ByteOrder.LITTLE_ENDIAN).putInt(srid == null ? 0 : srid)
                .put(wkb).array();
    }

    private static LocalDateTime dateTime(long micros) {
        LocalDateTime t = microsToDateTime(micros);
        refuseZeroDate(ZeroDates.ofEpochMicros(micros), t);
        return t;
    }

    /**
     * @param stored a zero date's value, as MySQL writes it (see ZeroDates), or null
     * @param standIn the value that stands for it
     */
    private static void refuseZeroDate(String stored, Object standIn) {
        if (stored != null) {
            throw new ZeroDateException(stored, standIn);
        }
    }

    private static LocalDateTime microsToDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        return b;
    }

    /**
     * The binlog drops BINARY(n)'s trailing zero bytes; MySQL pads them back on insert, PostgreSQL and
     * Oracle would not. The column's declared type and length come with the schema
     * ({@code datatype.propagate.source.type}, see DirectionJob).
     */
    private static byte[] padBinary(byte[] value, Schema schema) {
        Map<String, String> parameters = schema.parameters();
        if (parameters == null || !"BINARY".equalsIgnoreCase(parameters.get(SOURCE_TYPE))) {
            return value;
        }
        String length = parameters.get(SOURCE_LENGTH);
        int n = length == null ? value.length : Integer.parseInt(length);
        return value.length < n ? Arrays.copyOf(value, n) : value;
    }

    /** Debezium gives BIT(n) little-endian; MySQL reads a binary string into BIT big-endian. */
    private static byte[] bitsToBigEndian(byte[] littleEndian, Schema schema) {
        int bits = Integer.parseInt(schema.parameters().getOrDefault("length", String.valueOf(littleEndian.length * 8)));
        byte[] out = new byte[(bits + 7) / 8];
        for (int i = 0; i < out.length; i++) {
            out[out.length - 1 - i] = i < littleEndian.length ? littleEndian[i] : 0;
        }
        return out;
    }

    /** A DATE or DATETIME value with a year, month or day of 0: the binlog reader cannot carry it exactly. */
    static final class ZeroDateException extends RuntimeException {
        final String stored;
        /** What stands for it: a date before year 0 (ZeroDates), or the epoch for a TIMESTAMP; never applied. */
        final Object standIn;

        ZeroDateException(String stored, Object standIn) {
            super("'" + stored + "'", null, false, false);
            this.stored = stored;
            this.standIn = standIn;
        }
    }

    /** A column type Ferry refuses rather than carry inexactly. */
    static final class UnsupportedTypeException extends RuntimeException {
        UnsupportedTypeException(String what) {
            super(what);
        }
    }
}
