package dev.ferry.compat.zerodates;

import static dev.ferry.compat.BinlogClientReflection.field;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.debezium.connector.mysql.RowDeserializers;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has a binlog client's row events decoded by Debezium's row deserializers (Ferry's DBZ-7594 copy of them) with one
 * difference: a DATE or DATETIME with a year, month or day of 0, which they read as NULL, becomes its {@link
 * ZeroDates} stand-in, so that Ferry can hold the row's table, naming the value, instead of applying NULL or
 * 1970-01-01 in its place. Every other value decodes as before: each override reads the stored bytes, hands them to
 * the upstream method, and looks at them only when it returned NULL.
 *
 * <p>Installed with {@code TableMapTypes}, on each binlog client before it reads: the client's event deserializer
 * gets one of these subclasses for each row event type, carrying the state of the deserializer it replaces. Where the
 * client's classes are not the ones this class was linked against (the connector in a Flink cluster's lib/), it
 * stands aside with a warning, and zero dates read as NULL as before (start-up warns of such columns). No upstream
 * code is copied.
 */
public final class ZeroDateRows {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroDateRows.class);
    private static final List<EventType> ROW_EVENTS = List.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS,
            EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS);

    private ZeroDateRows() {}

    /** Replaces the row deserializers of {@code client}'s current event deserializer; false if it stood aside. */
    public static boolean install(Object client) {
        try {
            EventDeserializer events = (EventDeserializer) field(client.getClass(), "eventDeserializer", client);
            for (EventType type : ROW_EVENTS) {
                EventDataDeserializer<?> current = events.getEventDataDeserializer(type);
                EventDataDeserializer<?> ours = replacementOf(current);
                if (ours != null) {
                    copyState(current, ours);
                    events.setEventDataDeserializer(type, ours);
                }
            }
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.warn("cannot tell zero dates from NULL in the binlog (they will arrive as NULL or 1970-01-01): {}",
                    e.toString());
            return false;
        }
    }

    /** Ours in place of {@code current}; null if it is ours already. */
    private static EventDataDeserializer<?> replacementOf(EventDataDeserializer<?> current)
            throws ReflectiveOperationException {
        if (current instanceof Writes || current instanceof Updates || current instanceof Deletes) {
            return null;
        }
        Class<?> type = current == null ? null : current.getClass();
        if (type == RowDeserializers.WriteRowsDeserializer.class) {
            return new Writes(tablesOf(current));
        } else if (type == RowDeserializers.UpdateRowsDeserializer.class) {
            return new Updates(tablesOf(current));
        } else if (type == RowDeserializers.DeleteRowsDeserializer.class) {
            return new Deletes(tablesOf(current));
        }
        throw new IllegalStateException("unexpected row deserializer " + (type == null ? "none" : type.getName()));
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, TableMapEventData> tablesOf(Object deserializer) throws ReflectiveOperationException {
        return (Map<Long, TableMapEventData>) field(AbstractRowsEventDataDeserializer.class, "tableMapEventByTableId",
                deserializer);
    }

    /** Every field of {@code from} (its flags: extra information, compatibility modes) into {@code to}. */
    private static void copyState(Object from, Object to) throws IllegalAccessException {
        for (Class<?> c = from.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                }
            }
        }
    }

    /** The upstream decoding of one value from its stored bytes. */
    interface Upstream {
        Serializable decode(ByteArrayInputStream in) throws IOException;
    }

    /** DATE: 3 bytes, little-endian, day in the low 5 bits, then month (4), then year. */
    static Serializable date(byte[] stored, Upstream upstream) throws IOException {
        Serializable value = upstream.decode(new ByteArrayInputStream(stored));
        if (value != null) {
            return value;
        }
        int v = (stored[0] & 0xff) | (stored[1] & 0xff) << 8 | (stored[2] & 0xff) << 16;
        return ZeroDates.standIn(v >> 9, v >> 5 & 15, v & 31);
    }

    /** DATETIME before MySQL 5.6.4: 8 bytes, little-endian, the decimal number YYYYMMDDhhmmss. */
    static Serializable datetime(byte[] stored, Upstream upstream) throws IOException {
        Serializable value = upstream.decode(new ByteArrayInputStream(stored));
        if (value != null) {
            return value;
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (stored[i] & 0xff);
        }
        return ZeroDates.standIn((int) (v / 10_000_000_000L), (int) (v / 100_000_000 % 100),
                (int) (v / 1_000_000 % 100), (int) (v / 10_000 % 100), (int) (v / 100 % 100), (int) (v % 100), 0);
    }

    /**
     * DATETIME2: 5 bytes, big-endian (a sign bit, year*13+month in 17 bits, day 5, hour 5, minute 6, second 6), then
     * the fraction in (fsp + 1) / 2 big-endian bytes.
     */
    static Serializable datetimeV2(int fsp, byte[] stored, Upstream upstream) throws IOException {
        Serializable value = upstream.decode(new ByteArrayInputStream(stored));
        if (value != null) {
            return value;
        }
        long packed = 0;
        for (int i = 0; i < 5; i++) {
            packed = packed << 8 | (stored[i] & 0xff);
        }
        long fraction = 0;
        for (int i = 5; i < stored.length; i++) {
            fraction = fraction << 8 | (stored[i] & 0xff);
        }
        long micros = fraction * (long) Math.pow(10, 6 - 2 * (stored.length - 5));
        int yearMonth = (int) (packed >> 22 & 0x1FFFF);
        return ZeroDates.standIn(yearMonth / 13, yearMonth % 13, (int) (packed >> 17 & 31), (int) (packed >> 12 & 31),
                (int) (packed >> 6 & 63), (int) (packed & 63), (int) (micros * 1000));
    }

    static int datetimeV2Length(int fsp) {
        return 5 + (fsp + 1) / 2;
    }

    static final class Writes extends RowDeserializers.WriteRowsDeserializer {
        Writes(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in.read(3), super::deserializeDate);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in.read(8), super::deserializeDatetime);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetimeV2(meta, in.read(datetimeV2Length(meta)), s -> super.deserializeDatetimeV2(meta, s));
        }
    }

    static final class Updates extends RowDeserializers.UpdateRowsDeserializer {
        Updates(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in.read(3), super::deserializeDate);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in.read(8), super::deserializeDatetime);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetimeV2(meta, in.read(datetimeV2Length(meta)), s -> super.deserializeDatetimeV2(meta, s));
        }
    }

    static final class Deletes extends RowDeserializers.DeleteRowsDeserializer {
        Deletes(Map<Long, TableMapEventData> tables) {
            super(tables);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in.read(3), super::deserializeDate);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in.read(8), super::deserializeDatetime);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetimeV2(meta, in.read(datetimeV2Length(meta)), s -> super.deserializeDatetimeV2(meta, s));
        }
    }
}
