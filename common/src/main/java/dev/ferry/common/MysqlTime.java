package dev.ferry.common;

import java.io.Serializable;

/**
 * A MySQL TIME value in microseconds. TIME is a duration, not a time of day: it ranges from
 * -838:59:59 to 838:59:59, so {@link java.time.LocalTime} cannot hold it.
 */
public record MysqlTime(long micros) implements Serializable {

    /** {@code [-]HH:MM:SS.ffffff}, the server's own text of a TIME(6) value, which it parses back to the same value. */
    public String toSqlLiteral() {
        long abs = Math.abs(micros);
        long hours = abs / 3_600_000_000L;
        long minutes = abs / 60_000_000L % 60;
        long seconds = abs / 1_000_000L % 60;
        long fraction = abs % 1_000_000L;
        return String.format("%s%02d:%02d:%02d.%06d", micros < 0 ? "-" : "", hours, minutes, seconds, fraction);
    }

    @Override
    public String toString() {
        return toSqlLiteral();
    }
}
