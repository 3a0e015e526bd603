package dev.ferry.it.checker;

import static dev.ferry.it.checker.CheckerSchema.BULK;
import static dev.ferry.it.checker.CheckerSchema.NEWER;
import static dev.ferry.it.checker.CheckerSchema.PRIO;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses and runs the statements of one random transaction at one site, from a seeded random stream: single-row
 * inserts, updates and deletes; a delete and re-insert of one key; REPLACE; INSERT ... ON DUPLICATE KEY UPDATE;
 * primary key changes; swaps of unique values between two rows; several rows of one table or of several tables;
 * now and then 500 rows of {@code kv_bulk} at once. A quarter of the keys are picked from the ten "hot" keys, so both
 * sites often write the same rows. Whether a row exists decides between some of these, so a seed replays the
 * choices, not the exact statements.
 */
public final class WorkloadGenerator {
    private enum Op {
        UPSERT(30), DELETE(10), DELETE_REINSERT(6), REPLACE(6), UPSERT_ODKU(6), KEY_CHANGE(5), SWAP_UNIQUE(5),
        MULTI_ROW(10), MULTI_TABLE(10);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    static final int LARGE_ROWS = 500;

    private final Random random;
    private final String site;
    private final Columns columns;
    private final AtomicLong clock;
    private final double largeShare;
    private final long keyOffset;
    private final String uniqueSuffix;

    /**
     * @param clock the value of {@code kv_newer.ts} (newer-wins), shared by the sites' clients
     * @param largeShare the share of transactions that write {@value #LARGE_ROWS} rows
     * @param disjoint a control: keys and unique values of this site only (site index * 10,000 added), so that the
     *     sites never write the same row and no conflict is possible
     */
    /** Whether the clients write kv_prio's unique column (else it stays NULL: no unique-key collisions). */
    private final boolean uniqueValues;

    public WorkloadGenerator(Random random, String site, Columns columns, AtomicLong clock, double largeShare,
            int siteIndex, boolean disjoint, boolean uniqueValues) {
        this.random = random;
        this.uniqueValues = uniqueValues;
        this.site = site;
        this.columns = columns;
        this.clock = clock;
        this.largeShare = largeShare;
        this.keyOffset = disjoint ? siteIndex * 10_000L : 0;
        this.uniqueSuffix = disjoint ? "s" + siteIndex : "";
    }

    private boolean unique(String table) {
        return uniqueValues && CheckerSchema.hasUnique(table);
    }

    /** Runs the statements of one transaction (not its commit). */
    void next(ClientTransaction tx) throws SQLException {
        if (random.nextDouble() < largeShare) {
            large(tx);
            return;
        }
        Op op = pick();
        switch (op) {
            case MULTI_ROW -> {
                tx.op("multi-row");
                String table = table();
                for (int i = 2 + random.nextInt(4); i > 0; i--) {
                    simple(tx, table);
                }
            }
            case MULTI_TABLE -> {
                tx.op("multi-table");
                for (int i = 2 + random.nextInt(3); i > 0; i--) {
                    simple(tx, table());
                }
            }
            case SWAP_UNIQUE -> swap(tx);
            case KEY_CHANGE -> keyChange(tx, random.nextBoolean() ? PRIO : NEWER);
            default -> single(tx, op, table());
        }
    }

    private Op pick() {
        int total = 0;
        for (Op op : Op.values()) {
            total += op.weight;
        }
        int r = random.nextInt(total);
        for (Op op : Op.values()) {
            r -= op.weight;
            if (r < 0) {
                return op;
            }
        }
        throw new AssertionError();
    }

    private String table() {
        int r = random.nextInt(20);
        return r < 9 ? PRIO : r < 18 ? NEWER : BULK;
    }

    private long key(String table) {
        int n = random.nextInt(4) == 0 ? 10 : CheckerSchema.keySpace(table); // a quarter from the hot keys
        return keyOffset + 1 + random.nextInt(n);
    }

    private void simple(ClientTransaction tx, String table) throws SQLException {
        int r = random.nextInt(5);
        single(tx, r < 3 ? Op.UPSERT : r < 4 ? Op.DELETE : Op.DELETE_REINSERT, table);
    }

    private void single(ClientTransaction tx, Op op, String table) throws SQLException {
        long id = key(table);
        switch (op) {
            case UPSERT -> upsert(tx, table, id);
            case DELETE -> {
                tx.op("delete");
                if (tx.lock(table, id) != null) {
                    tx.exec("DELETE FROM " + table + " WHERE id = ?", id);
                }
            }
            case DELETE_REINSERT -> deleteAndReinsert(tx, table, id);
            case REPLACE -> replace(tx, table, id);
            case UPSERT_ODKU -> onDuplicateKeyUpdate(tx, table, id);
            default -> throw new IllegalArgumentException(op.name());
        }
    }

    private void upsert(ClientTransaction tx, String table, long id) throws SQLException {
        tx.op("upsert");
        Map<String, String> row = tx.lock(table, id);
        if (row == null) {
            Map<String, Object> v = version(tx, table, id, null);
            if (unique(table)) {
                v.put("u", freeUnique(tx, table, id, null));
            }
            insert(tx, "INSERT", table, v);
        } else {
            update(tx, table, row);
        }
    }

    private void update(ClientTransaction tx, String table, Map<String, String> row) throws SQLException {
        long id = Long.parseLong(row.get("id"));
        Map<String, Object> set = version(tx, table, id, tok(row));
        set.remove("id");
        if (unique(table) && random.nextInt(3) == 0) {
            set.put("u", freeUnique(tx, table, id, row.get("u")));
        }
        updateRow(tx, table, set, id);
    }

    /** UPDATE of one row by key: {@code set} maps columns to their new values. */
    private static void updateRow(ClientTransaction tx, String table, Map<String, Object> set, long id)
            throws SQLException {
        List<Object> params = new ArrayList<>(set.values());
        params.add(id);
        tx.exec("UPDATE " + table + " SET " + String.join(" = ?, ", set.keySet()) + " = ? WHERE id = ?",
                params.toArray());
    }

    /** The row locked, and the next version of it, replacing what is there. */
    private record Next(Map<String, String> row, Map<String, Object> version) {}

    private Next lockForNextVersion(ClientTransaction tx, String op, String table, long id) throws SQLException {
        tx.op(op);
        Map<String, String> row = tx.lock(table, id);
        return new Next(row, version(tx, table, id, row == null ? null : tok(row)));
    }

    /** A delete and an insert of the same key in one transaction. */
    private void deleteAndReinsert(ClientTransaction tx, String table, long id) throws SQLException {
        Next next = lockForNextVersion(tx, "delete-reinsert", table, id);
        if (unique(table)) { // its unique value is free again once the row is deleted
            next.version().put("u", next.row() == null ? null : next.row().get("u"));
        }
        if (next.row() != null) {
            tx.exec("DELETE FROM " + table + " WHERE id = ?", id);
        }
        insert(tx, "INSERT", table, next.version());
    }

    /** REPLACE, in kv_prio with a unique value that may belong to another row, which REPLACE then deletes. */
    private void replace(ClientTransaction tx, String table, long id) throws SQLException {
        Map<String, Object> v = lockForNextVersion(tx, "replace", table, id).version();
        if (unique(table)) {
            v.put("u", anyUnique(tx, table));
        }
        insert(tx, "REPLACE", table, v);
    }

    /**
     * INSERT ... ON DUPLICATE KEY UPDATE; in kv_prio the unique value may belong to another row, which is then the
     * one updated. {@code prev = tok} keeps the token of the version replaced, whichever row that is.
     */
    private void onDuplicateKeyUpdate(ClientTransaction tx, String table, long id) throws SQLException {
        Next next = lockForNextVersion(tx, "insert-on-duplicate-key-update", table, id);
        Map<String, Object> v = next.version();
        if (unique(table)) {
            v.put("u", anyUnique(tx, table));
        }
        List<Object> params = new ArrayList<>(v.values());
        StringBuilder update = new StringBuilder(" ON DUPLICATE KEY UPDATE prev = tok, tok = ?, v = ?");
        params.add(v.get("tok"));
        params.add(v.get("v"));
        if (CheckerSchema.hasTs(table)) {
            update.append(", ts = ?");
            params.add(v.get("ts"));
        }
        int changed = tx.exec("INSERT INTO " + table + " (" + String.join(", ", v.keySet()) + ") VALUES ("
                + marks(v.size()) + ")" + update, params.toArray());
        if (next.row() == null && changed != 1) { // not inserted: the row holding the unique value took the update
            tx.notWritten(table, id);
        }
    }

    /** UPDATE ... SET id = <a free key>: the row moves. */
    private void keyChange(ClientTransaction tx, String table) throws SQLException {
        long id = key(table);
        Map<String, String> row = tx.lock(table, id);
        long to = key(table);
        if (row == null || to == id || tx.lock(table, to) != null) {
            upsert(tx, table, id);
            return;
        }
        tx.op("key-change");
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("id", to);
        set.put("tok", tx.token(table, to));
        set.put("prev", tok(row));
        if (CheckerSchema.hasTs(table)) {
            set.put("ts", clock.incrementAndGet());
        }
        updateRow(tx, table, set, id);
        tx.moved(table, id, to);
    }

    /** Two rows of kv_prio exchange their unique values, through NULL. */
    private void swap(ClientTransaction tx) throws SQLException {
        long a = key(PRIO);
        long b = key(PRIO);
        Map<String, String> ra = tx.lock(PRIO, a);
        Map<String, String> rb = a == b ? null : tx.lock(PRIO, b);
        if (ra == null || rb == null || ra.get("u") == null || rb.get("u") == null) {
            upsert(tx, PRIO, a);
            return;
        }
        tx.op("swap-unique");
        long ta = tx.token(PRIO, a);
        long tb = tx.token(PRIO, b);
        String sql = "UPDATE " + PRIO + " SET u = ?, tok = ?, prev = ? WHERE id = ?";
        tx.exec(sql, null, ta, tok(ra), a);
        tx.exec(sql, ra.get("u"), tb, tok(rb), b);
        tx.exec(sql, rb.get("u"), ta, tok(ra), a);
    }

    /** 500 consecutive keys of kv_bulk: all written (inserted or updated), or all deleted. */
    private void large(ClientTransaction tx) throws SQLException {
        long from = keyOffset + 1 + random.nextInt(CheckerSchema.BULK_KEYS - LARGE_ROWS + 1);
        long to = from + LARGE_ROWS - 1;
        Map<Long, Map<String, String>> rows = tx.lockRange(BULK, from, to);
        if (random.nextInt(3) == 0) {
            tx.op("large-delete");
            tx.exec("DELETE FROM " + BULK + " WHERE id BETWEEN ? AND ?", from, to);
            return;
        }
        tx.op("large-upsert");
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            Map<String, String> row = rows.get(id);
            if (row == null) {
                inserts.add(new Object[] {id, tx.token(BULK, id), null, text()});
            } else {
                updates.add(new Object[] {tx.token(BULK, id), tok(row), text(), id});
            }
        }
        tx.batch("UPDATE " + BULK + " SET tok = ?, prev = ?, v = ? WHERE id = ?", updates);
        tx.batch("INSERT INTO " + BULK + " (id, tok, prev, v) VALUES (?, ?, ?, ?)", inserts);
    }

    /** The columns of a new version: key, token, the version it replaces, a value; ts; some added columns. */
    private Map<String, Object> version(ClientTransaction tx, String table, long id, Long prev) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("tok", tx.token(table, id));
        v.put("prev", prev);
        v.put("v", text());
        if (CheckerSchema.hasTs(table)) {
            v.put("ts", clock.incrementAndGet());
        }
        List<String> added = new ArrayList<>(columns.at(site, table));
        Collections.shuffle(added, random);
        for (String column : added.subList(0, random.nextInt(added.size() + 1))) {
            v.put(column, random.nextInt(1000));
        }
        return v;
    }

    private static void insert(ClientTransaction tx, String verb, String table, Map<String, Object> v)
            throws SQLException {
        tx.exec(verb + " INTO " + table + " (" + String.join(", ", v.keySet()) + ") VALUES (" + marks(v.size()) + ")",
                v.values().toArray());
    }

    /** A unique value for row {@code id} that no other row holds here (locked), NULL, or {@code current}. */
    private String freeUnique(ClientTransaction tx, String table, long id, String current) throws SQLException {
        if (random.nextInt(3) == 0) {
            return null;
        }
        String u = "u" + (1 + random.nextInt(CheckerSchema.UNIQUE_VALUES)) + uniqueSuffix;
        Map<String, String> holder = tx.lockUnique(table, u);
        return holder == null || Long.parseLong(holder.get("id")) == id ? u : current;
    }

    /** Any unique value (its holder locked), or NULL. */
    private String anyUnique(ClientTransaction tx, String table) throws SQLException {
        if (random.nextInt(4) == 0) {
            return null;
        }
        String u = "u" + (1 + random.nextInt(CheckerSchema.UNIQUE_VALUES)) + uniqueSuffix;
        tx.lockUnique(table, u);
        return u;
    }

    private String text() {
        return Long.toHexString(random.nextLong());
    }

    private static long tok(Map<String, String> row) {
        return Long.parseLong(row.get("tok"));
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
