package dev.ferry.operators.sink;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.ColumnInfo;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.TableConflictRule;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * For one table and row layout: which columns a change's before image is compared on (all non-key
 * columns the target can compare, or only the version column), and the version column of newer-wins.
 */
record TableGuards(TableConflictRule rule, int[] indexes, ColumnInfo[] columns, int versionIndex,
        ColumnInfo version, TargetTables.Table target) {

    /** No guard columns: a statement that finds its row by key alone. */
    static final ColumnInfo[] NONE = new ColumnInfo[0];

    static TableGuards of(TableId table, RowSchema schema, TableConflictRule rule, TargetTables.Table target)
            throws SQLException {
        ColumnInfo[] all = target.columnsOf(schema, table);
        int versionIndex = -1;
        if (rule.policy().kind() == ConflictPolicy.Kind.NEWER_WINS) {
            versionIndex = schema.indexOf(rule.policy().column());
            if (versionIndex < 0) {
                throw new SQLException("conflict policy " + rule.policy() + " of " + table + " names column `"
                        + rule.policy().column() + "`, which the table does not have. Fix: name an existing"
                        + " timestamp or version column in the channel file's conflicts section", "42S22");
            }
        }
        List<Integer> guards = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            if ((rule.compareAll() ? !schema.isKey(i) : i == versionIndex) && comparable(all[i])) {
                guards.add(i);
            }
        }
        int[] indexes = guards.stream().mapToInt(Integer::intValue).toArray();
        ColumnInfo[] columns = new ColumnInfo[indexes.length];
        for (int g = 0; g < indexes.length; g++) {
            columns[g] = all[indexes[g]];
        }
        return new TableGuards(rule, indexes, columns, versionIndex, versionIndex < 0 ? null : all[versionIndex],
                target);
    }

    /**
     * Whether the target can compare the column's values: MySQL 9 refuses any comparison of VECTOR values ("Incorrect
     * arguments to <=>", error 1210), so such a column is no guard; the row's other columns still are.
     */
    private static boolean comparable(ColumnInfo column) {
        return column == null || !"vector".equals(column.dataType());
    }
}
