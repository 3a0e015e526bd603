package dev.ferry.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Whole-number options with their range, so that {@code --port abc} or {@code --port -1} is a usage error that
 * names the range (picocli's own conversion knows only the Java type).
 */
public final class WholeNumbers {
    /** Flink tries the REST port given and the next 20. */
    public static final int MAX_PORT = 65535 - 20;

    private WholeNumbers() {}

    /** A value outside its option's range, in words that follow the option's name. */
    static final class Invalid extends TypeConversionException {
        Invalid(String message) {
            super(message);
        }
    }

    static long parse(String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "of at least " + min
                : "from " + min + " to " + max;
        throw new Invalid("must be a whole number " + range + ", not '" + value + "'");
    }

    /** A first REST port to try: 0 (any free port) to {@link #MAX_PORT}. */
    public static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) parse(value, 0, MAX_PORT);
        }
    }

    /** A count of at least one that fits an int. */
    public static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) parse(value, 1, Integer.MAX_VALUE);
        }
    }

    /** A count that may be zero and fits an int. */
    public static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) parse(value, 0, Integer.MAX_VALUE);
        }
    }

    /** A number of seconds, zero or more. */
    public static final class Seconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, 0, Long.MAX_VALUE);
        }
    }

    /** A number of seconds, one or more. */
    public static final class PositiveSeconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, 1, Long.MAX_VALUE);
        }
    }

    /** A percentage, 0 to 100. */
    public static final class Percent implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) parse(value, 0, 100);
        }
    }
}
