package dev.ferry.compat.zerodates;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Stand-ins for the DATE and DATETIME values the binlog decoder inside Flink CDC 3.5.0 reads as NULL: those with a
 * year, month or day of 0 ({@code 0000-00-00}, {@code 2024-00-10}, {@code 0000-03-01}), which MySQL and MariaDB store
 * unless the sql_mode forbids them. Debezium then hands on NULL, or 1970-01-01 for a NOT NULL column, so the value
 * arrived changed without a word. {@link ZeroDateRows} hands Debezium a stand-in instead: a date before year 0 (which
 * no DATE or DATETIME can hold, and which Debezium converts like any other date, to epoch days or epoch micros) that
 * encodes the stored year, month and day; Ferry's value converter recognises it ({@link #ofEpochDay},
 * {@link #ofEpochMicros}) and holds the row's table, naming the value, rather than apply it changed.
 */
public final class ZeroDates {
    /** Every stand-in lies below this epoch day; MySQL's earliest date, 0000-01-01, is day -719,528. */
    static final long BELOW = -1_000_000L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private ZeroDates() {}

    /** Whether the decoder reads this stored date as NULL. */
    public static boolean isZero(int year, int month, int day) {
        return year == 0 || month == 0 || day == 0;
    }

    /** The stand-in of a stored date with a zero part (year up to 16383, month up to 15, day up to 31). */
    public static LocalDate standIn(int year, int month, int day) {
        return LocalDate.ofEpochDay(BELOW - 1 - ((long) year << 9 | (long) month << 5 | day));
    }

    /** The stand-in of a stored date and time whose date has a zero part. */
    public static LocalDateTime standIn(int year, int month, int day, int hour, int minute, int second, int nanos) {
        return LocalDateTime.of(standIn(year, month, day), LocalTime.of(hour, minute, second, nanos));
    }

    /** The stored date, as MySQL writes it, that an epoch day stands for; null for an ordinary date. */
    public static String ofEpochDay(long epochDay) {
        if (epochDay >= BELOW) {
            return null;
        }
        long code = BELOW - 1 - epochDay;
        return String.format("%04d-%02d-%02d", code >> 9, code >> 5 & 15, code & 31);
    }

    /** The stored date and time, as MySQL writes it, that epoch microseconds stand for; null for an ordinary one. */
    public static String ofEpochMicros(long micros) {
        String date = ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY));
        if (date == null) {
            return null;
        }
        long fraction = Math.floorMod(micros, 1_000_000L);
        LocalTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, ZoneOffset.UTC)
                .toLocalTime();
        return String.format("%s %02d:%02d:%02d", date, time.getHour(), time.getMinute(), time.getSecond())
                + (fraction == 0 ? "" : String.format(".%06d", fraction));
    }
}
