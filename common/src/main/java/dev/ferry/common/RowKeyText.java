package dev.ferry.common;

import java.time.Instant;
import java.util.Base64;

/**
 * Ferry's values as JSON text: a row's primary key as a JSON array ({@code [1, "a"]}), the form in which
 * ferry_conflict's {@code row_key} names a row, the apply operator keys its state, and a retraction marker
 * lists the rows it announces. Every producer of such a key renders it here, so the forms always agree.
 */
public final class RowKeyText {
    private RowKeyText() {}

    /** {@code [v1, v2]}: a primary key. */
    public static String array(Object[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ");
            value(b, values[i]);
        }
        return b.append(']').toString();
    }

    /** One row of one table, as a single line: the table, a NUL, and {@link #array} of its key. */
    public static String of(TableId table, Object[] key) {
        return of(table, array(key));
    }

    /** @param keyJson the key values as {@link #array} renders them */
    public static String of(TableId table, String keyJson) {
        return table + "\u0000" + keyJson;
    }

    public static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof byte[] bytes) {
            string(b, "base64:" + Base64.getEncoder().encodeToString(bytes));
        } else if (v instanceof Instant i) {
            string(b, i.toString());
        } else if (v instanceof MysqlTime t) {
            string(b, t.toSqlLiteral());
        } else {
            string(b, v.toString());
        }
    }

    /** A JSON string; control characters (newlines included) are escaped, so the text is one line. */
    public static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
