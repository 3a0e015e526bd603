package dev.ferry.dialect.schema;

/** Facts about MySQL types that both target type maps need. */
public final class MySqlTypes {
    private MySqlTypes() {}

    /** Fractional seconds digits of DATETIME, TIMESTAMP and TIME: 0 unless declared. */
    public static int fsp(SourceColumn c) {
        return c.length() < 0 ? 0 : Math.min(c.length(), 6);
    }

    /** DECIMAL's precision: 10 unless declared. */
    public static int precision(SourceColumn c) {
        return c.length() < 0 ? 10 : c.length();
    }

    /** DECIMAL's scale: 0 unless declared. */
    public static int scale(SourceColumn c) {
        return Math.max(c.scale(), 0);
    }

    /** A declared length of at least 1 (MySQL allows CHAR(0) and BINARY(0); targets do not); {@code dflt} if none. */
    public static int length(SourceColumn c, int dflt) {
        return c.length() < 0 ? dflt : Math.max(c.length(), 1);
    }

    /** FLOAT(p) with p above 24 is a DOUBLE. */
    public static boolean isDoubleFloat(SourceColumn c) {
        return c.length() > 24;
    }

    /** The longest ENUM value, in characters (at least 1). */
    public static int enumLength(SourceColumn c) {
        return Math.max(1, c.enumValues().stream().mapToInt(String::length).max().orElse(1));
    }

    /** The longest SET value: every member, joined by commas. */
    public static int setLength(SourceColumn c) {
        return Math.max(1, String.join(",", c.enumValues()).length());
    }

    /** Bytes of a BIT(n) value: big-endian, ceil(n / 8). */
    public static int bitBytes(SourceColumn c) {
        return (length(c, 1) + 7) / 8;
    }
}
