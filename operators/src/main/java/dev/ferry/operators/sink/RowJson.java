package dev.ferry.operators.sink;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import java.time.Instant;
import java.util.Base64;

/** Renders Ferry's values as JSON text for ferry_conflict, so an operator can read both versions. */
final class RowJson {
    private RowJson() {}

    /** {@code {"col": value, ...}}, or {@code null} for a missing image. */
    static String object(RowSchema schema, Object[] row) {
        if (row == null) {
            return null;
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < row.length; i++) {
            b.append(i == 0 ? "" : ", ");
            string(b, schema.column(i));
            b.append(": ");
            value(b, row[i]);
        }
        return b.append('}').toString();
    }

    /** {@code [v1, v2]}: a primary key. */
    static String array(Object[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ");
            value(b, values[i]);
        }
        return b.append(']').toString();
    }

    private static void value(StringBuilder b, Object v) {
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

    private static void string(StringBuilder b, String s) {
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
