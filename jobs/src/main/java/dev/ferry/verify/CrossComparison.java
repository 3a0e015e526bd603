package dev.ferry.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * A MySQL source table compared with its PostgreSQL or Oracle copy, whose servers cannot digest rows alike:
 * both sides' rows are read into Ferry values and digested here (see {@link CrossValues}). First the source in
 * chunks of its own key order, each chunk's keys looked up at the target; then the target's keys in chunks of
 * the target's own order, looked up at the source, for the rows that only the target has. Neither side's order
 * is assumed to be the other's.
 */
final class CrossComparison implements Comparison {
    private final CrossTable table;
    private final Connection source;
    private final Connection target;
    private final int chunkSize;

    CrossComparison(CrossTable table, Connection source, Connection target, int chunkSize) {
        this.table = table;
        this.source = source;
        this.target = target;
        this.chunkSize = chunkSize;
    }

    @Override
    public List<Object[]> differingKeys(IntConsumer progress) throws SQLException {
        List<Object[]> differing = new ArrayList<>();
        int chunks = 0;
        Object[] after = null;
        while (true) {
            List<Object[]> rows = table.sourceChunk(source, after, chunkSize);
            if (rows.isEmpty()) {
                break;
            }
            List<Object[]> keys = rows.stream().map(table::keyOf).toList();
            Map<String, Object[]> there = table.targetRows(target, keys);
            for (Object[] row : rows) {
                Object[] other = there.get(table.keyText(table.keyOf(row)));
                if (other == null || !table.digest(row).equals(table.digest(other))) {
                    differing.add(table.keyOf(row));
                }
            }
            progress.accept(++chunks);
            if (rows.size() < chunkSize) {
                break;
            }
            after = keys.get(keys.size() - 1);
        }
        after = null;
        while (true) {
            List<Object[]> keys = table.targetKeys(target, after, chunkSize);
            if (keys.isEmpty()) {
                break;
            }
            Set<String> atSource = table.sourceKeys(source, keys);
            for (Object[] k : keys) {
                if (!atSource.contains(table.keyText(k))) {
                    differing.add(k);
                }
            }
            progress.accept(++chunks);
            if (keys.size() < chunkSize) {
                break;
            }
            after = keys.get(keys.size() - 1);
        }
        return differing;
    }

    @Override
    public List<Object[]> stillDiffering(List<Object[]> keys) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += chunkSize) { // a chunk's worth of keys per query, as above
            List<Object[]> slice = keys.subList(from, Math.min(keys.size(), from + chunkSize));
            Map<String, Object[]> atSource = table.sourceRows(source, slice);
            Map<String, Object[]> atTarget = table.targetRows(target, slice);
            for (Object[] key : slice) {
                Object[] a = atSource.get(table.keyText(key));
                Object[] b = atTarget.get(table.keyText(key));
                if (!Objects.equals(a == null ? null : table.digest(a), b == null ? null : table.digest(b))) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    @Override
    public String keyText(Object[] key) {
        return TableComparison.format(key);
    }
}
