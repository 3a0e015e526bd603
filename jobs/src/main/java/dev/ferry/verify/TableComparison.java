package dev.ferry.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntConsumer;

/**
 * Compares one table at two servers in primary-key chunks: a count and a digest per chunk at each side,
 * and row by row only inside the chunks whose digests differ. Chunks are cut at the first server's keys;
 * the last chunk is open-ended, so rows beyond them at the second server are seen too.
 *
 * <p>Across a WAN every round trip counts, so the chunks go in batches: one query at the first server gives a
 * batch's boundaries, then one query at each server, both at once, gives every chunk's count and digest,
 * computed next to the data. Only the keys and digests of a differing chunk's rows cross.
 */
final class TableComparison implements Comparison {
    /** Chunks per round trip. */
    static final int BATCH = 64;
    private static final List<Object> NO_ROWS = List.of(0L, "0");

    private final VerifiedTable table;
    private final Connection a;
    private final Connection b;
    private final int chunkSize;

    TableComparison(VerifiedTable table, Connection a, Connection b, int chunkSize) {
        this.table = table;
        this.a = a;
        this.b = b;
        this.chunkSize = chunkSize;
    }

    @Override
    public List<Object[]> differingKeys(IntConsumer progress) throws SQLException {
        List<Object[]> differing = new ArrayList<>();
        Object[] lower = null;
        int chunks = 0;
        while (true) {
            List<Object[]> ends = boundaries(lower);
            boolean last = ends.size() < BATCH; // the table ends in this batch: an open chunk takes the rest
            Object[] from = lower;
            List<Map<Integer, List<Object>>> sums = atBoth(c -> checksums(c, from, ends, last));
            for (int i = 0; i < ends.size() + (last ? 1 : 0); i++) {
                if (!Objects.equals(sums.get(0).getOrDefault(i, NO_ROWS), sums.get(1).getOrDefault(i, NO_ROWS))) {
                    differing.addAll(differingRows(i == 0 ? lower : ends.get(i - 1),
                            i < ends.size() ? ends.get(i) : null));
                }
                progress.accept(++chunks);
            }
            if (last) {
                return differing;
            }
            lower = ends.get(ends.size() - 1);
        }
    }

    @Override
    public List<Object[]> stillDiffering(List<Object[]> keys) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += chunkSize) {
            List<Object[]> slice = keys.subList(from, Math.min(keys.size(), from + chunkSize));
            List<Map<String, String>> digests = atBoth(c -> digests(c, slice));
            for (Object[] key : slice) {
                String text = keyText(key);
                if (!Objects.equals(digests.get(0).get(text), digests.get(1).get(text))) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    /** One query at both sites at once, the second's on a thread of its own: the first site's answer, then the second's. */
    private <T> List<T> atBoth(SqlQuery<T> query) throws SQLException {
        CompletableFuture<T> atB = new CompletableFuture<>();
        Thread second = new Thread(() -> {
            try {
                atB.complete(query.at(b));
            } catch (SQLException | RuntimeException e) {
                atB.completeExceptionally(e);
            }
        }, "ferry-verify " + table.id);
        second.setDaemon(true);
        second.start();
        T atA = query.at(a);
        try {
            return List.of(atA, atB.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the second site answered", e);
        }
    }

    /** One query at one site. */
    private interface SqlQuery<T> {
        T at(Connection c) throws SQLException;
    }

    private List<Object[]> boundaries(Object[] lower) throws SQLException {
        List<Object[]> ends = new ArrayList<>();
        try (PreparedStatement ps = a.prepareStatement(table.nextBoundaries(lower != null, chunkSize, BATCH))) {
            bind(ps, 1, lower);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ends.add(key(rs));
                }
            }
        }
        return ends;
    }

    /** Per chunk number, its row count and digest at {@code c}; chunks without rows are absent. */
    private Map<Integer, List<Object>> checksums(Connection c, Object[] lower, List<Object[]> ends, boolean openEnd)
            throws SQLException {
        Map<Integer, List<Object>> sums = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(table.chunkChecksums(lower != null, ends.size(), openEnd))) {
            int index = 1;
            for (Object[] end : ends) {
                index = bind(ps, index, end);
            }
            index = bind(ps, index, lower);
            bind(ps, index, openEnd ? null : ends.get(ends.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getInt(1), List.of(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return sums;
    }

    private List<Object[]> differingRows(Object[] lower, Object[] upper) throws SQLException {
        List<Map<String, KeyDigest>> rows = atBoth(c -> rows(c, lower, upper));
        Map<String, KeyDigest> atA = rows.get(0);
        Map<String, KeyDigest> atB = rows.get(1);
        List<Object[]> out = new ArrayList<>();
        for (KeyDigest r : atA.values()) {
            KeyDigest other = atB.get(keyText(r.key()));
            if (other == null || !Objects.equals(r.digest(), other.digest())) {
                out.add(r.key());
            }
        }
        for (Map.Entry<String, KeyDigest> r : atB.entrySet()) {
            if (!atA.containsKey(r.getKey())) {
                out.add(r.getValue().key());
            }
        }
        return out;
    }

    /** A row's key and digest. */
    private record KeyDigest(Object[] key, String digest) {}

    /** The rows of a range by key text, in key order. */
    private Map<String, KeyDigest> rows(Connection c, Object[] lower, Object[] upper) throws SQLException {
        Map<String, KeyDigest> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(table.chunkRows(lower != null, upper != null))) {
            bind(ps, bind(ps, 1, lower), upper);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] key = key(rs);
                    rows.put(keyText(key), new KeyDigest(key, rs.getString(table.key.size() + 1)));
                }
            }
        }
        return rows;
    }

    /** The digests of the rows with these keys, by key text; a key without a row is absent. */
    private Map<String, String> digests(Connection c, List<Object[]> keys) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(table.rowsByKeys(keys.size()))) {
            int index = 1;
            for (Object[] key : keys) {
                index = bind(ps, index, key);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(keyText(key(rs)), rs.getString(table.key.size() + 1));
                }
            }
        }
        return out;
    }

    private Object[] key(ResultSet rs) throws SQLException {
        Object[] key = new Object[table.key.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = rs.getObject(i + 1);
        }
        return key;
    }

    /** Binds a key (if any) from parameter {@code index}; returns the next index. */
    private static int bind(PreparedStatement ps, int index, Object[] key) throws SQLException {
        if (key != null) {
            for (Object v : key) {
                ps.setObject(index++, v);
            }
        }
        return index;
    }

    @Override
    public String keyText(Object[] key) {
        return format(key);
    }

    /** The key's values, comma-separated, bytes as hex. */
    static String format(Object[] key) {
        List<String> parts = new ArrayList<>();
        for (Object v : key) {
            parts.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v));
        }
        return String.join(", ", parts);
    }
}
