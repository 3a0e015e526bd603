package dev.ferry.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ferry.common.MysqlTime;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of a MySQL source and of its PostgreSQL or Oracle copy in one form, so that they compare across
 * database kinds: each side is read into Ferry's value types (as the binlog delivers them, see
 * {@link dev.ferry.common.ChangeEvent}), then written as a canonical text whose MD5 is the row digest.
 *
 * <p>Numbers compare by value (DECIMAL {@code 1.50} = NUMBER {@code 1.5}, TINYINT = smallint = NUMBER(3));
 * FLOAT and DOUBLE by their exact bits; BIT(1) as true/false (PostgreSQL boolean, Oracle 1/0); BIT(n), binary
 * and blobs as bytes; text, ENUM and SET as text; JSON by parsed value (key order, spacing and {@code 1.0} vs
 * {@code 1} do not count); DATE and DATETIME exactly, to the microsecond; TIMESTAMP as the instant; TIME as a
 * signed duration in microseconds. At an Oracle site the empty text and the empty binary value are NULL, so
 * they are NULL on both sides of such a comparison.
 */
final class CrossValues {
    private CrossValues() {}

    /** How one source column is read and compared. */
    enum Kind {
        INTEGER, UNSIGNED_BIGINT, DECIMAL, FLOAT, DOUBLE, BIT1, BITS, TEXT, JSON, BINARY, DATE, DATETIME, TIMESTAMP,
        TIME, YEAR
    }

    /** One column: its MySQL name and how it is compared. */
    record Column(String name, Kind kind) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd[ ]['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter CANONICAL_DATETIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    /** Oracle's INTERVAL DAY TO SECOND text: one sign for the whole value, days, then the time. */
    private static final Pattern ORACLE_INTERVAL =
            Pattern.compile("([+-])?(\\d+) (\\d+):(\\d+):(\\d+)(?:\\.(\\d+))?");
    /** MySQL TIME and PostgreSQL interval (intervalstyle postgres): [-]N day(s), then [-]H:MM:SS[.f], each signed. */
    private static final Pattern INTERVAL = Pattern.compile(
            "(?:([+-]?\\d+) days?)?\\s*(?:([+-])?(\\d+):(\\d+):(\\d+)(?:\\.(\\d+))?)?");

    /**
     * The kind of a MySQL column from information_schema ({@code DATA_TYPE}, {@code COLUMN_TYPE}), or {@code null}
     * for a type verify cannot compare across kinds (spatial types: Ferry does not replicate them either).
     */
    static Kind kindOf(String dataType, String columnType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        String full = columnType == null ? type : columnType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer" -> Kind.INTEGER;
            case "bigint" -> full.contains("unsigned") ? Kind.UNSIGNED_BIGINT : Kind.INTEGER;
            case "decimal", "numeric" -> Kind.DECIMAL;
            case "float" -> Kind.FLOAT;
            case "double", "real" -> Kind.DOUBLE;
            case "bit" -> full.equals("bit") || full.equals("bit(1)") ? Kind.BIT1 : Kind.BITS;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> Kind.TEXT;
            case "json" -> Kind.JSON;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Kind.BINARY;
            case "date" -> Kind.DATE;
            case "datetime" -> Kind.DATETIME;
            case "timestamp" -> Kind.TIMESTAMP;
            case "time" -> Kind.TIME;
            case "year" -> Kind.YEAR;
            default -> null;
        };
    }

    /**
     * What to select at the MySQL source for a column: temporal values as the server's text (in the UTC session),
     * which no driver setting converts; everything else as it is.
     */
    static String sourceExpression(String quotedColumn, Kind kind) {
        return switch (kind) {
            case DATE, DATETIME, TIMESTAMP, TIME, YEAR -> "CAST(" + quotedColumn + " AS CHAR)";
            default -> quotedColumn;
        };
    }

    /** Reads a source value (selected by {@link #sourceExpression}) as a Ferry value. */
    static Object readSource(ResultSet rs, int i, Kind kind) throws SQLException {
        Object v = switch (kind) {
            case INTEGER -> rs.getLong(i);
            case UNSIGNED_BIGINT, DECIMAL -> rs.getBigDecimal(i);
            case FLOAT -> rs.getFloat(i);
            case DOUBLE -> rs.getDouble(i);
            case BIT1 -> {
                byte[] b = rs.getBytes(i);
                yield b == null ? null : nonZero(b);
            }
            case BITS, BINARY -> rs.getBytes(i);
            case TEXT, JSON, DATE, DATETIME, TIMESTAMP, TIME, YEAR -> rs.getString(i);
        };
        if (rs.wasNull()) {
            return null;
        }
        try {
            return toFerry(v, kind);
        } catch (java.time.DateTimeException e) {
            return v; // a zero date: its text, which no target value equals
        }
    }

    /** Reads a PostgreSQL or Oracle value (a plain column) as the Ferry value it was written from. */
    static Object readTarget(ResultSet rs, int i, Kind kind) throws SQLException {
        Object v = switch (kind) {
            case INTEGER, UNSIGNED_BIGINT, DECIMAL, YEAR -> rs.getBigDecimal(i);
            case FLOAT -> rs.getFloat(i);
            case DOUBLE -> rs.getDouble(i);
            case BIT1 -> rs.getObject(i);
            case BITS, BINARY -> rs.getBytes(i);
            case TEXT, JSON, TIME -> rs.getString(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case DATETIME -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP -> rs.getObject(i, OffsetDateTime.class);
        };
        return rs.wasNull() ? null : toFerry(v, kind);
    }

    /**
     * A JDBC value of either side as Ferry's value type for the column: numbers of integer columns as Long,
     * other numbers as BigDecimal, BIT(1) as Boolean (from a boolean, a number or bytes), temporal values from
     * their objects or text, TIME as {@link MysqlTime}. Text and bytes stay as they are.
     */
    static Object toFerry(Object v, Kind kind) {
        if (v == null) {
            return null;
        }
        return switch (kind) {
            case INTEGER, YEAR -> v instanceof String s ? Long.valueOf(s.trim()) : ((Number) v).longValue();
            case UNSIGNED_BIGINT, DECIMAL -> v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
            case FLOAT -> v instanceof Float f ? f : ((Number) v).floatValue();
            case DOUBLE -> v instanceof Double d ? d : ((Number) v).doubleValue();
            case BIT1 -> v instanceof Boolean b ? b
                    : v instanceof byte[] bytes ? nonZero(bytes) : ((Number) v).intValue() != 0;
            case DATE -> v instanceof LocalDate d ? d : v instanceof LocalDateTime t ? t.toLocalDate()
                    : LocalDate.parse(v.toString().trim().substring(0, 10));
            case DATETIME -> v instanceof LocalDateTime t ? t : LocalDateTime.parse(v.toString().trim(), DATETIME);
            case TIMESTAMP -> v instanceof OffsetDateTime o ? o.toInstant() : v instanceof Instant i ? i
                    : LocalDateTime.parse(v.toString().trim(), DATETIME).toInstant(ZoneOffset.UTC);
            case TIME -> v instanceof MysqlTime t ? t : new MysqlTime(timeMicros(v.toString()));
            default -> v;
        };
    }

    private static boolean nonZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A duration's microseconds from MySQL TIME text ({@code -838:59:59.000000}), PostgreSQL interval text
     * ({@code -838:59:59}, {@code 1 day 02:00:00}, {@code -1 days -02:00:00}) or Oracle INTERVAL DAY TO SECOND
     * text ({@code -01 02:03:04.500000}).
     */
    static long timeMicros(String text) {
        String t = text.trim();
        Matcher o = ORACLE_INTERVAL.matcher(t);
        if (o.matches()) {
            long micros = Long.parseLong(o.group(2)) * 86_400_000_000L
                    + clock(o.group(3), o.group(4), o.group(5), o.group(6));
            return "-".equals(o.group(1)) ? -micros : micros;
        }
        Matcher m = INTERVAL.matcher(t);
        if (t.isEmpty() || !m.matches() || (m.group(1) == null && m.group(3) == null)) {
            throw new IllegalArgumentException("not a TIME or interval value: '" + text + "'");
        }
        long micros = m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 86_400_000_000L;
        if (m.group(3) != null) {
            long clock = clock(m.group(3), m.group(4), m.group(5), m.group(6));
            micros += "-".equals(m.group(2)) ? -clock : clock;
        }
        return micros;
    }

    private static long clock(String hours, String minutes, String seconds, String fraction) {
        long micros = ((Long.parseLong(hours) * 60 + Long.parseLong(minutes)) * 60 + Long.parseLong(seconds))
                * 1_000_000L;
        if (fraction != null) {
            String f = (fraction + "000000").substring(0, 6);
            micros += Long.parseLong(f);
        }
        return micros;
    }

    /**
     * The canonical text of a Ferry value, {@code null} for NULL. {@code emptyIsNull}: the pair has an Oracle
     * site, where {@code ''} and the empty binary value are NULL.
     */
    static String canonical(Object v, Kind kind, boolean emptyIsNull) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            if (s.isEmpty() && emptyIsNull) {
                return null;
            }
            return kind == Kind.JSON ? json(s) : "s" + s;
        }
        if (v instanceof byte[] b) {
            return b.length == 0 && emptyIsNull ? null : "x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof Long || v instanceof BigDecimal) {
            BigDecimal d = v instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) v;
            return "n" + (d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
        }
        if (v instanceof Float f) {
            return "f" + Integer.toHexString(Float.floatToIntBits(f));
        }
        if (v instanceof Double d) {
            return "d" + Long.toHexString(Double.doubleToLongBits(d));
        }
        if (v instanceof Boolean b) {
            return b ? "b1" : "b0";
        }
        if (v instanceof LocalDate d) {
            return "D" + d;
        }
        if (v instanceof LocalDateTime t) {
            return "T" + CANONICAL_DATETIME.format(t);
        }
        if (v instanceof Instant i) {
            return "I" + i.getEpochSecond() + "." + String.format("%09d", i.getNano());
        }
        if (v instanceof MysqlTime t) {
            return "t" + t.micros();
        }
        return "?" + v;
    }

    /** A JSON document by value: keys sorted, numbers by value; text that does not parse stays text. */
    static String json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null) {
                return "s" + text;
            }
            StringBuilder out = new StringBuilder("j");
            write(node, out);
            return out.toString();
        } catch (JsonProcessingException e) {
            return "s" + text;
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                out.append(JSON.getNodeFactory().textNode(e.getKey())).append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            out.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toString());
        } else {
            out.append(node);
        }
    }

    /** The digest of a row: MD5 over each column's canonical text, NULL kept apart from every value. */
    static String digest(List<String> canonicalValues) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (String v : canonicalValues) {
                if (v == null) {
                    md5.update((byte) 0);
                } else {
                    byte[] b = v.getBytes(StandardCharsets.UTF_8);
                    md5.update((byte) 1);
                    md5.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
                    md5.update((byte) ':');
                    md5.update(b);
                }
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical texts of some values of a row. */
    static List<String> canonical(Object[] values, List<Column> columns, boolean emptyIsNull) {
        List<String> out = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            out.add(canonical(values[i], columns.get(i).kind(), emptyIsNull));
        }
        return out;
    }
}
