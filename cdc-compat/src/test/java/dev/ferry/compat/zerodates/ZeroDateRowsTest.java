package dev.ferry.compat.zerodates;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * Values as the binlog stores them, decoded by the row deserializers ZeroDateRows installs: ordinary dates as
 * upstream decodes them, dates with a zero part as stand-ins that give back the stored value.
 */
class ZeroDateRowsTest {
    private final ZeroDateRows.Writes writes = new ZeroDateRows.Writes(new HashMap<>());
    private final ZeroDateRows.Updates updates = new ZeroDateRows.Updates(new HashMap<>());
    private final ZeroDateRows.Deletes deletes = new ZeroDateRows.Deletes(new HashMap<>());

    @Test
    void ordinaryDatesDecodeAsUpstreamDoes() throws Exception {
        assertThat(writes.deserializeDate(date(2024, 5, 10))).isEqualTo(LocalDate.of(2024, 5, 10));
        assertThat(updates.deserializeDate(date(50, 3, 1))).isEqualTo(LocalDate.of(50, 3, 1));
        assertThat(deletes.deserializeDatetimeV2(6, datetimeV2(2024, 2, 29, 23, 59, 58, 123456, 6)))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000));
        assertThat(writes.deserializeDatetime(datetime(1999, 12, 31, 1, 2, 3)))
                .isEqualTo(LocalDateTime.of(1999, 12, 31, 1, 2, 3));
    }

    @Test
    void datesWithAZeroPartBecomeStandInsOfTheStoredValue() throws Exception {
        assertThat(storedDate(writes.deserializeDate(date(0, 0, 0)))).isEqualTo("0000-00-00");
        assertThat(storedDate(updates.deserializeDate(date(2024, 0, 10)))).isEqualTo("2024-00-10");
        assertThat(storedDate(deletes.deserializeDate(date(2024, 7, 0)))).isEqualTo("2024-07-00");
        assertThat(storedDate(writes.deserializeDate(date(0, 3, 1)))).isEqualTo("0000-03-01");
        assertThat(storedDateTime(writes.deserializeDatetimeV2(6, datetimeV2(0, 0, 0, 0, 0, 0, 0, 6))))
                .isEqualTo("0000-00-00 00:00:00");
        assertThat(storedDateTime(updates.deserializeDatetimeV2(2, datetimeV2(2024, 0, 10, 12, 34, 56, 120000, 2))))
                .isEqualTo("2024-00-10 12:34:56.120000");
        assertThat(storedDateTime(deletes.deserializeDatetimeV2(0, datetimeV2(9999, 12, 0, 23, 59, 59, 0, 0))))
                .isEqualTo("9999-12-00 23:59:59");
        assertThat(storedDateTime(writes.deserializeDatetime(datetime(2001, 0, 0, 1, 2, 3))))
                .isEqualTo("2001-00-00 01:02:03");
    }

    @Test
    void noOrdinaryDateOrDateTimeIsTakenForAStandIn() {
        assertThat(ZeroDates.ofEpochDay(LocalDate.of(0, 1, 1).toEpochDay())).isNull();
        assertThat(ZeroDates.ofEpochDay(LocalDate.of(9999, 12, 31).toEpochDay())).isNull();
        assertThat(ZeroDates.ofEpochMicros(LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC)
                * 1_000_000L)).isNull();
        assertThat(ZeroDates.ofEpochDay(ZeroDates.standIn(16383, 15, 31).toEpochDay())).isEqualTo("16383-15-31");
    }

    private static String storedDate(Serializable value) {
        return ZeroDates.ofEpochDay(((LocalDate) value).toEpochDay());
    }

    private static String storedDateTime(Serializable value) {
        LocalDateTime t = (LocalDateTime) value;
        return ZeroDates.ofEpochMicros(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000);
    }

    private static ByteArrayInputStream date(int year, int month, int day) {
        int v = year << 9 | month << 5 | day;
        return new ByteArrayInputStream(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16)});
    }

    private static ByteArrayInputStream datetime(int year, int month, int day, int hour, int minute, int second) {
        long v = ((((year * 100L + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second;
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return new ByteArrayInputStream(b);
    }

    /** MySQL's DATETIME2: sign bit set (non-negative), then year*13+month, day, hour, minute, second; the fraction. */
    private static ByteArrayInputStream datetimeV2(int year, int month, int day, int hour, int minute, int second,
            int micros, int fsp) {
        long packed = 1L << 39 | (long) (year * 13 + month) << 22 | (long) day << 17 | (long) hour << 12
                | (long) minute << 6 | second;
        int fractionBytes = (fsp + 1) / 2;
        long fraction = micros / (long) Math.pow(10, 6 - 2 * fractionBytes);
        byte[] b = new byte[5 + fractionBytes];
        for (int i = 0; i < 5; i++) {
            b[i] = (byte) (packed >> (8 * (4 - i)));
        }
        for (int i = 0; i < fractionBytes; i++) {
            b[5 + i] = (byte) (fraction >> (8 * (fractionBytes - 1 - i)));
        }
        return new ByteArrayInputStream(b);
    }
}
