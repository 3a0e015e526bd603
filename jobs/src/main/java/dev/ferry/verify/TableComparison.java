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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        ExecutorService secondSite = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferry-verify " + table.id);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Object[]> differing = new ArrayList<>();
            Object[] lower = null;
            int chunks = 0;
            while (true) {
                List<Object[]> ends = boundaries(lower);
                boolean last = ends.size() < BATCH; // the table ends in this batch: an open chunk takes the rest
                Object[] from = lower;
                Future<Map<Integer, List<Object>>> atB = secondSite.submit(() -> checksums(b, from, ends, last));
                Map<Integer, List<Object>> atA = checksums(a, lower, ends, last);
                Map<Integer, List<Object>> sumsB = await(atB);
                for (int i = 0; i < ends.size() + (last ? 1 : 0); i++) {
                    if (!Objects.equals(atA.getOrDefault(i, NO_ROWS), sumsB.getOrDefault(i, NO_ROWS))) {
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
        } finally {
            secondSite.shutdownNow();
        }
    }

    private static Map<Integer, List<Object>> await(Future<Map<Integer, List<Object>>> result) throws SQLException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while the second site computed its checksums", e);
        }
    }

    @Override
    public boolean sameNow(Object[] key) throws SQLException {
        return Objects.equals(digest(a, key), digest(b, key));
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
        Map<String, Object[]> keys = new LinkedHashMap<>();
        Map<String, String> atA = rows(a, lower, upper, keys);
        Map<String, String> atB = rows(b, lower, upper, keys);
        List<Object[]> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> k : keys.entrySet()) {
            if (!Objects.equals(atA.get(k.getKey()), atB.get(k.getKey()))) {
                out.add(k.getValue());
            }
        }
        return out;
    }

    /** Digest by key text; every key seen goes into {@code keys}. */
    private Map<String, String> rows(Connection c, Object[] lower, Object[] upper, Map<String, Object[]> keys)
            throws SQLException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(table.chunkRows(lower != null, upper != null))) {
            bind(ps, bind(ps, 1, lower), upper);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] key = key(rs);
                    String text = keyText(key);
                    keys.putIfAbsent(text, key);
                    digests.put(text, rs.getString(table.key.size() + 1));
                }
            }
        }
        return digests;
    }

    private String digest(Connection c, Object[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(table.rowByKey())) {
            bind(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
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
