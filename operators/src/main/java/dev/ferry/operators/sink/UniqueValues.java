package dev.ferry.operators.sink;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.ColumnInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a row holds in its table's secondary unique keys at the target, one text per key, equal exactly when
 * the key's values are equal. Values a collation only folds alike (case, trailing spaces) give different texts: two
 * rows meeting that way are not found through these texts, only through the target's own duplicate-key error. A key
 * with a NULL among its values holds nothing unique.
 */
final class UniqueValues {
    private UniqueValues() {}

    static List<String> of(TableId table, TargetTables.Table target, RowSchema schema, Object[] row) {
        if (row == null || target.uniqueKeys().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (List<ColumnInfo> key : target.uniqueKeys()) {
            String value = valueOf(target, schema, row, key);
            if (value != null) {
                out.add(table + "\u0000" + value);
            }
        }
        return out;
    }

    private static String valueOf(TargetTables.Table target, RowSchema schema, Object[] row, List<ColumnInfo> key) {
        if (key.contains(null)) {
            return null; // a column Ferry cannot name (see ConflictResolver#collidingKeys)
        }
        StringBuilder names = new StringBuilder();
        Object[] values = new Object[key.size()];
        for (int k = 0; k < values.length; k++) {
            int column = indexOf(target, schema, key.get(k).name());
            if (column < 0 || row[column] == null) {
                return null;
            }
            values[k] = row[column];
            names.append(key.get(k).name()).append(',');
        }
        return names + "\u0000" + RowJson.array(values);
    }

    private static int indexOf(TargetTables.Table target, RowSchema schema, String targetName) {
        for (int i = 0; i < schema.size(); i++) {
            if (target.targetName().apply(schema.column(i)).equals(targetName)) {
                return i;
            }
        }
        return -1;
    }
}
