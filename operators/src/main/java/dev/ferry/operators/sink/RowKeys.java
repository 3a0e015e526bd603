package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key of a row within a direction: table and primary key values. The apply operator's input is keyed by it
 * (in parallel mode it also routes the rows to writers), and so is its conflict memory. The key values are
 * rendered as in ferry_conflict's {@code row_key}, so a row met through another row's unique key (whose key was
 * read from the target) is named exactly as its own changes name it.
 */
public final class RowKeys implements KeySelector<ChangeEvent, String> {
    private static final long serialVersionUID = 1L;

    public static String of(TableId table, Object[] key) {
        return of(table, RowJson.array(key));
    }

    /** @param keyJson the key values as ferry_conflict's {@code row_key} holds them */
    static String of(TableId table, String keyJson) {
        return table + "\u0000" + keyJson;
    }

    @Override
    public String getKey(ChangeEvent e) {
        return of(e.table(), e.key());
    }
}
