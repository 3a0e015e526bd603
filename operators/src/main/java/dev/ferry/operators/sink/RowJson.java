package dev.ferry.operators.sink;

import dev.ferry.common.RowKeyText;
import dev.ferry.common.RowSchema;

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
            RowKeyText.string(b, schema.column(i));
            b.append(": ");
            RowKeyText.value(b, row[i]);
        }
        return b.append('}').toString();
    }

    /** {@code [v1, v2]}: a primary key. */
    static String array(Object[] values) {
        return RowKeyText.array(values);
    }

}
