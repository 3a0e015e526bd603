package dev.ferry.it.checker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One client transaction at one site, as the checker sees it. Every row is locked ({@code SELECT ... FOR UPDATE})
 * before it is changed, which records the version the transaction read; for a row that is absent it also reads,
 * locked, the deletes of that row that this site has seen ({@code ck_gone}). At the end {@link #finish} reads every
 * locked row again and turns the difference into {@link History.Write}s, so REPLACE, ON DUPLICATE KEY UPDATE and
 * key changes are logged by what they did, not by what the workload meant. After each statement on {@code kv_prio} it
 * also notes the unique values the rows it wrote hold then ({@link #uniquesHeld}): Ferry replicates statement by
 * statement, so a value a row takes and lets go of within the transaction still meets the other site's rows.
 */
final class ClientTransaction {
    private record RowRef(String table, long id) {}

    private record Before(Map<String, String> row, Map<String, Long> seen) {}

    private final Connection connection;
    private final String site;
    private final LongSupplier tokens;
    private final Map<RowRef, Before> before = new LinkedHashMap<>();
    private final Map<RowRef, Long> movedFrom = new HashMap<>();
    private final Set<Long> issued = new HashSet<>();
    private final Set<RowRef> written = new HashSet<>();
    private final List<String> ops = new ArrayList<>();
    private final List<Long> reads = new ArrayList<>();
    /** The token each locked kv_prio row held at the last look (null: absent). */
    private final Map<Long, String> prioTokens = new HashMap<>();
    private final Set<String> uniquesHeld = new java.util.LinkedHashSet<>();

    ClientTransaction(Connection connection, String site, LongSupplier tokens) {
        this.connection = connection;
        this.site = site;
        this.tokens = tokens;
    }

    /** A new token for a version of one row written in this transaction. */
    long token(String table, long id) {
        long t = tokens.getAsLong();
        issued.add(t);
        written.add(new RowRef(table, id));
        return t;
    }

    /** The version {@link #token(String, long)} made for this row went to another row instead. */
    void notWritten(String table, long id) {
        written.remove(new RowRef(table, id));
    }

    void op(String name) {
        ops.add(name);
    }

    List<String> ops() {
        return ops;
    }

    List<Long> reads() {
        return reads;
    }

    /** The tokens of every row version this transaction wrote, also those it replaced itself. */
    List<Long> issued() {
        return new ArrayList<>(issued);
    }

    /** Locks one row by key; returns it as it is now (null if absent). */
    Map<String, String> lock(String table, long id) throws SQLException {
        List<Map<String, String>> rows = query("SELECT * FROM " + table + " WHERE id = ? FOR UPDATE", id);
        Map<String, String> row = rows.isEmpty() ? null : rows.get(0);
        if (!before.containsKey(new RowRef(table, id))) {
            remember(table, id, row, row == null ? seenDeletes(table, id, id).getOrDefault(id, Map.of()) : null);
        }
        return row;
    }

    /** Locks the row holding a unique value of {@code u}, or the gap where it would be; returns it or null. */
    Map<String, String> lockUnique(String table, String u) throws SQLException {
        List<Map<String, String>> rows = query("SELECT * FROM " + table + " WHERE u = ? FOR UPDATE", u);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, String> row = rows.get(0);
        long id = Long.parseLong(row.get("id"));
        if (!before.containsKey(new RowRef(table, id))) {
            remember(table, id, row, null);
        }
        return row;
    }

    /** Locks the keys {@code from..to} (and the gaps between them); returns the rows there by key. */
    Map<Long, Map<String, String>> lockRange(String table, long from, long to) throws SQLException {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (Map<String, String> r : query("SELECT * FROM " + table + " WHERE id BETWEEN ? AND ? FOR UPDATE", from, to)) {
            rows.put(Long.parseLong(r.get("id")), r);
        }
        Map<Long, Map<String, Long>> seen = seenDeletes(table, from, to);
        for (long id = from; id <= to; id++) {
            if (!before.containsKey(new RowRef(table, id))) {
                Map<String, String> row = rows.get(id);
                remember(table, id, row, row == null ? seen.getOrDefault(id, Map.of()) : null);
            }
        }
        return rows;
    }

    /** The new row of a primary key change comes from {@code from}. */
    void moved(String table, long from, long to) {
        movedFrom.put(new RowRef(table, to), from);
    }

    int exec(String sql, Object... params) throws SQLException {
        int changed;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            changed = ps.executeUpdate();
        }
        noteUniquesHeld(sql);
        return changed;
    }

    /**
     * Every kv_prio unique value that a row version this transaction wrote held, also one a later statement of it
     * replaced: a row that took the value and let go of it before the commit still collides with the other site's
     * rows while Ferry applies the transaction there, statement by statement.
     */
    Set<String> uniquesHeld() {
        return uniquesHeld;
    }

    /** After a statement on kv_prio: the unique values of the locked rows it gave a new version. */
    private void noteUniquesHeld(String sql) throws SQLException {
        if (prioTokens.isEmpty() || !sql.contains(" " + CheckerSchema.PRIO + " ")) {
            return;
        }
        String in = prioTokens.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        Set<Long> absent = new HashSet<>(prioTokens.keySet());
        for (Map<String, String> r : query("SELECT id, tok, u FROM " + CheckerSchema.PRIO + " WHERE id IN (" + in + ")")) {
            long id = Long.parseLong(r.get("id"));
            absent.remove(id);
            if (!r.get("tok").equals(prioTokens.put(id, r.get("tok"))) && r.get("u") != null) {
                uniquesHeld.add(r.get("u"));
            }
        }
        absent.forEach(id -> prioTokens.put(id, null));
    }

    void batch(String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] r : rows) {
                bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Reads every locked row again and returns what changed, one write per row; records this site's deletes in
     * {@code ck_gone}. Fails (a bug of the workload, not of Ferry) if a token of this transaction landed in a row
     * that was not locked first, or a locked row changed without a new token.
     */
    List<History.Write> finish() throws SQLException {
        Map<String, List<Long>> idsByTable = new LinkedHashMap<>();
        before.keySet().forEach(r -> idsByTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r.id()));
        Map<RowRef, Map<String, String>> after = new HashMap<>();
        for (Map.Entry<String, List<Long>> t : idsByTable.entrySet()) {
            String in = t.getValue().stream().map(String::valueOf).collect(Collectors.joining(","));
            for (Map<String, String> r : query("SELECT * FROM " + t.getKey() + " WHERE id IN (" + in + ") FOR UPDATE")) {
                after.put(new RowRef(t.getKey(), Long.parseLong(r.get("id"))), r);
            }
            checkNoUnlockedRowChanged(t.getKey());
        }
        List<History.Write> writes = new ArrayList<>();
        for (Map.Entry<RowRef, Before> e : before.entrySet()) {
            RowRef ref = e.getKey();
            Map<String, String> b = e.getValue().row();
            Map<String, String> a = after.get(ref);
            if (b == null && a == null && !written.contains(ref)) {
                continue; // locked, found absent, left absent; a row written and deleted again is a write
            }
            Long prevTok = b == null ? null : Long.parseLong(b.get("tok"));
            Long newTok = a == null ? null : Long.parseLong(a.get("tok"));
            if (prevTok != null && prevTok.equals(newTok)) {
                if (!b.equals(a)) {
                    throw new IllegalStateException(site + ": " + ref + " changed without a new token: " + b + " -> " + a);
                }
                continue;
            }
            if (newTok != null && !issued.contains(newTok)) {
                throw new IllegalStateException(site + ": " + ref + " holds token " + newTok
                        + ", which this transaction did not issue");
            }
            Long delTok = null;
            if (a == null) {
                delTok = tokens.getAsLong();
                exec("INSERT INTO " + CheckerSchema.GONE + " (tbl, id, site, tok) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE tok = ?", ref.table(), ref.id(), site, delTok, delTok);
            }
            writes.add(new History.Write(ref.table(), ref.id(), prevTok, newTok, delTok,
                    b == null ? e.getValue().seen() : null, a, movedFrom.get(ref)));
        }
        return writes;
    }

    /** A token of this transaction in a row that was never locked would be a write the log cannot see. */
    private void checkNoUnlockedRowChanged(String table) throws SQLException {
        if (issued.isEmpty()) {
            return;
        }
        String in = issued.stream().map(String::valueOf).collect(Collectors.joining(","));
        for (Map<String, String> r : query("SELECT id FROM " + table + " WHERE tok IN (" + in + ")")) {
            if (!before.containsKey(new RowRef(table, Long.parseLong(r.get("id"))))) {
                throw new IllegalStateException(site + ": workload wrote " + table + " " + r.get("id") + " unlocked");
            }
        }
    }

    private void remember(String table, long id, Map<String, String> row, Map<String, Long> seen) {
        before.put(new RowRef(table, id), new Before(row, seen));
        if (CheckerSchema.PRIO.equals(table)) {
            prioTokens.put(id, row == null ? null : row.get("tok"));
        }
        if (row != null) {
            reads.add(Long.parseLong(row.get("tok")));
        } else {
            reads.addAll(seen.values());
        }
    }

    /** Per key in {@code from..to}: per site, the newest delete of that row by that site seen here. */
    private Map<Long, Map<String, Long>> seenDeletes(String table, long from, long to) throws SQLException {
        Map<Long, Map<String, Long>> seen = new HashMap<>();
        for (Map<String, String> r : query("SELECT id, site, tok FROM " + CheckerSchema.GONE
                + " WHERE tbl = ? AND id BETWEEN ? AND ? FOR UPDATE", table, from, to)) {
            seen.computeIfAbsent(Long.parseLong(r.get("id")), k -> new TreeMap<>())
                    .put(r.get("site"), Long.parseLong(r.get("tok")));
        }
        return seen;
    }

    private List<Map<String, String>> query(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        }
    }

    /** Every row of a result set, each column (lower case) as text. */
    static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, String>> rows = new ArrayList<>();
        while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }
}
