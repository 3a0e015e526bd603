package dev.ferry.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Compares one table at two servers in primary-key chunks: a count and a digest per chunk at each side,
 * and row by row only inside the chunks whose digests differ. Chunks are cut at the first server's keys;
 * the last chunk is open-ended, so rows beyond them at the second server are seen too.
 */
final class TableComparison implements Comparison {
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
            Object[] upper = boundary(lower);
            if (!Objects.equals(checksum(a, lower, upper), checksum(b, lower, upper))) {
                differing.addAll(differingRows(lower, upper));
            }
            progress.accept(++chunks);
            if (upper == null) {
                return differing;
            }
            lower = upper;
        }
    }

    @Override
    public boolean sameNow(Object[] key) throws SQLException {
        return Objects.equals(digest(a, key), digest(b, key));
    }

    private Object[] boundary(Object[] lower) throws SQLException {
        try (PreparedStatement ps = a.prepareStatement(table.nextBoundary(lower != null, chunkSize))) {
            bind(ps, 1, lower);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? key(rs) : null;
            }
        }
    }

    private List<Object> checksum(Connection c, Object[] lower, Object[] upper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(table.chunkChecksum(lower != null, upper != null))) {
            bind(ps, bind(ps, 1, lower), upper);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getLong(1), rs.getString(2));
            }
        }
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
