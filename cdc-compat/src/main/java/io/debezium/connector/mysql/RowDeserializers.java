/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 */
package io.debezium.connector.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * Ferry's patched copy of Debezium 1.9.8.Final's {@code RowDeserializers}, as bundled in Flink CDC 3.5.0, for
 * <b>DBZ-7594</b> (negative TIME values from the binlog are decoded wrongly: {@code -01:00:00} arrives as
 * {@code -01:04:03}, {@code -00:00:00.5} as another value; fixed upstream in Debezium 2.6, which no Flink CDC release
 * here bundles). Only {@link #deserializeTimeV2} and {@link #deserializeTime} differ from upstream: they decode
 * MySQL's packed TIME as one signed number. Everything else keeps upstream's behaviour.
 *
 * <p>This class shadows upstream's by name, so {@code ferry-cdc-compat} must come before
 * {@code flink-sql-connector-mysql-cdc} on the class path (it does: operators declares it first).
 * {@link #FERRY_PATCH} lets Ferry verify at start-up that this copy is the one loaded. Remove the class once Flink
 * CDC bundles a Debezium with DBZ-7594.
 */
public class RowDeserializers {
    /** Read by Ferry's start-up check: present only in this patched copy. */
    public static final String FERRY_PATCH = "DBZ-7594";

    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private RowDeserializers() {}

    protected static Serializable deserializeString(int length, ByteArrayInputStream inputStream) throws IOException {
        int stringLength = length < 256 ? inputStream.readInteger(1) : inputStream.readInteger(2);
        return inputStream.read(stringLength);
    }

    protected static Serializable deserializeVarString(int meta, ByteArrayInputStream inputStream) throws IOException {
        int varcharLength = meta < 256 ? inputStream.readInteger(1) : inputStream.readInteger(2);
        return inputStream.read(varcharLength);
    }

    protected static Serializable deserializeDate(ByteArrayInputStream inputStream) throws IOException {
        int value = inputStream.readInteger(3);
        int day = value % 32;
        value >>>= 5;
        int month = value % 16;
        int year = value >> 4;
        return year != 0 && month != 0 && day != 0 ? LocalDate.of(year, month, day) : null;
    }

    /** The old TIME format (before MySQL 5.6.4): a signed 3-byte integer HHMMSS. */
    protected static Serializable deserializeTime(ByteArrayInputStream inputStream) throws IOException {
        int value = inputStream.readInteger(3);
        if ((value & 0x800000) != 0) {
            value -= 0x1000000; // sign-extend: upstream read it unsigned
        }
        int abs = Math.abs(value);
        Duration d = Duration.ofHours(abs / 10000).plusMinutes(abs / 100 % 100).plusSeconds(abs % 100);
        return value < 0 ? d.negated() : d;
    }

    /**
     * TIME2 (MySQL 5.6.4+, MariaDB with mysql56_temporal_format): the server writes the packed value
     * {@code ±(((h << 12) | (m << 6) | s) << 24 | micros)} as one big-endian number offset by 2^23 (integer part)
     * and, for 1 to 4 fractional digits, a fraction stored as its complement when the value is negative (MySQL's
     * my_time_packed_from_binary). Upstream negated hours, minutes and seconds one by one, which is wrong whenever
     * a borrow crosses a field.
     */
    protected static Serializable deserializeTimeV2(int meta, ByteArrayInputStream inputStream) throws IOException {
        long packed;
        switch (meta) {
            case 1, 2 -> {
                long intPart = bigEndianLong(inputStream.read(3), 0, 3) - TIMEF_INT_OFS;
                long frac = bigEndianLong(inputStream.read(1), 0, 1);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10_000;
            }
            case 3, 4 -> {
                long intPart = bigEndianLong(inputStream.read(3), 0, 3) - TIMEF_INT_OFS;
                long frac = bigEndianLong(inputStream.read(2), 0, 2);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
            }
            case 5, 6 -> packed = bigEndianLong(inputStream.read(6), 0, 6) - TIMEF_OFS;
            default -> packed = (bigEndianLong(inputStream.read(3), 0, 3) - TIMEF_INT_OFS) << 24;
        }
        long abs = Math.abs(packed);
        long hms = abs >>> 24;
        long micros = ((((hms >> 12) & 0x3FF) * 60 + ((hms >> 6) & 0x3F)) * 60 + (hms & 0x3F)) * 1_000_000L
                + (abs & 0xFFFFFF);
        return Duration.ofNanos((packed < 0 ? -micros : micros) * 1000L);
    }

    protected static Serializable deserializeDatetime(ByteArrayInputStream inputStream) throws IOException {
        int[] split = split(inputStream.readLong(8), 100, 6);
        int year = split[5];
        int month = split[4];
        int day = split[3];
        return year != 0 && month != 0 && day != 0
                ? LocalDateTime.of(year, month, day, split[2], split[1], split[0], 0) : null;
    }

    protected static Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream inputStream) throws IOException {
        long datetime = bigEndianLong(inputStream.read(5), 0, 5);
        int yearMonth = bitSlice(datetime, 1, 17, 40);
        int year = yearMonth / 13;
        int month = yearMonth % 13;
        int day = bitSlice(datetime, 18, 5, 40);
        int hours = bitSlice(datetime, 23, 5, 40);
        int minutes = bitSlice(datetime, 28, 6, 40);
        int seconds = bitSlice(datetime, 34, 6, 40);
        int nanoOfSecond = deserializeFractionalSecondsInNanos(meta, inputStream);
        return year != 0 && month != 0 && day != 0
                ? LocalDateTime.of(year, month, day, hours, minutes, seconds, nanoOfSecond) : null;
    }

    protected static Serializable deserializeTimestamp(ByteArrayInputStream inputStream) throws IOException {
        long epochSecond = inputStream.readLong(4);
        return ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, 0), ZoneOffset.UTC);
    }

    protected static Serializable deserializeTimestampV2(int meta, ByteArrayInputStream inputStream) throws IOException {
        long epochSecond = bigEndianLong(inputStream.read(4), 0, 4);
        int nanoSeconds = deserializeFractionalSecondsInNanos(meta, inputStream);
        return ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, nanoSeconds), ZoneOffset.UTC);
    }

    protected static Serializable deserializeYear(ByteArrayInputStream inputStream) throws IOException {
        return Year.of(1900 + inputStream.readInteger(1));
    }

    protected static int[] split(long value, int divider, int length) {
        int[] result = new int[length];
        for (int i = 0; i < length - 1; i++) {
            result[i] = (int) (value % divider);
            value /= divider;
        }
        result[length - 1] = (int) value;
        return result;
    }

    protected static long bigEndianLong(byte[] bytes, int offset, int length) {
        long result = 0;
        for (int i = offset; i < offset + length; i++) {
            result = (result << 8) | (bytes[i] & 0xFF);
        }
        return result;
    }

    protected static int bitSlice(long value, int bitOffset, int numberOfBits, int payloadSize) {
        long result = value >> payloadSize - (bitOffset + numberOfBits);
        return (int) (result & ((1 << numberOfBits) - 1));
    }

    protected static int deserializeFractionalSecondsInNanos(int fsp, ByteArrayInputStream inputStream)
            throws IOException {
        int length = (fsp + 1) / 2;
        if (length == 0) {
            return 0;
        }
        long fraction = bigEndianLong(inputStream.read(length), 0, length);
        return (int) (fraction / (1.0E-7 * Math.pow(100.0, length - 1)));
    }

    // The three row deserializers below are upstream's, unchanged: they route every temporal and string column
    // through the static methods above.

    public static class DeleteRowsDeserializer extends DeleteRowsEventDataDeserializer {
        public DeleteRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
            super(tableMapEventByTableId);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeString(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeVarString(meta, in);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDate(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTime(in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeYear(in);
        }
    }

    public static class UpdateRowsDeserializer extends UpdateRowsEventDataDeserializer {
        public UpdateRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
            super(tableMapEventByTableId);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeString(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeVarString(meta, in);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDate(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTime(in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeYear(in);
        }
    }

    public static class WriteRowsDeserializer extends WriteRowsEventDataDeserializer {
        public WriteRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
            super(tableMapEventByTableId);
        }

        @Override
        protected Serializable deserializeString(int length, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeString(length, in);
        }

        @Override
        protected Serializable deserializeVarString(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeVarString(meta, in);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDate(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeDatetimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimeV2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTime(in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeTimestampV2(meta, in);
        }

        @Override
        protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException {
            return RowDeserializers.deserializeYear(in);
        }
    }
}
