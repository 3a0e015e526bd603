package dev.ferry.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The three benchmark workloads and the SQL they send. Every transaction is one round trip
 * (autocommit statement, or {@code BEGIN; ...; COMMIT} with allowMultiQueries), and every row it
 * writes carries the transaction's sequence number ({@code seq}, indexed) and the JVM wall clock
 * at the time it was sent ({@code src_ms}), so that a poller at a target can see when each
 * transaction became visible there.
 */
enum Workload {
    BULK("a", "bulk insert, 1000-row tx", 1000),
    UPDATES("b", "single-row autocommit update", 1),
    MIXED("c", "OLTP mix, 1-5 row tx (ins/upd/del)", 3);

    static final String DATABASE = "bench";
    static final String TABLE = "t";
    static final int BULK_ROWS = 1000;

    static final List<String> DDL = List.of(
            "DROP DATABASE IF EXISTS " + DATABASE,
            "CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4",
            "CREATE TABLE " + DATABASE + "." + TABLE + " ("
                    + " id BIGINT NOT NULL PRIMARY KEY,"
                    + " k INT NOT NULL,"
                    + " c VARCHAR(120) NOT NULL,"
                    + " pad VARCHAR(60) NOT NULL,"
                    + " v BIGINT NOT NULL,"
                    + " seq BIGINT NOT NULL,"
                    + " src_ms BIGINT NOT NULL,"
                    + " KEY seq_idx (seq)) ENGINE=InnoDB",
            "CREATE TABLE " + DATABASE + ".probe (id INT NOT NULL PRIMARY KEY, ts BIGINT NOT NULL) ENGINE=InnoDB");

    final String letter;
    final String title;
    /** Rows per transaction on average, used only for planning. */
    final int nominalRowsPerTx;

    Workload(String letter, String title, int nominalRowsPerTx) {
        this.letter = letter;
        this.title = title;
        this.nominalRowsPerTx = nominalRowsPerTx;
    }

    String label() {
        return "(" + letter + ") " + title;
    }

    boolean needsPreload() {
        return this != BULK;
    }

    /** Multi-row INSERTs of ids 1..rows with deterministic content: the same statements for every server. */
    static List<String> preloadStatements(long rows) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> out = new ArrayList<>();
        StringBuilder sql = null;
        for (long id = 1; id <= rows; id++) {
            if (sql == null) {
                sql = new StringBuilder(256 * BULK_ROWS).append("INSERT INTO ").append(TABLE)
                        .append(" (id, k, c, pad, v, seq, src_ms) VALUES ");
            } else {
                sql.append(',');
            }
            appendRow(sql, rnd, id, 0, 0);
            if (id % BULK_ROWS == 0 || id == rows) {
                out.add(sql.toString());
                sql = null;
            }
        }
        return out;
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String POOL;

    static {
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder b = new StringBuilder(8192);
        for (int i = 0; i < 8192; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        POOL = b.toString();
    }

    static void appendRow(StringBuilder sql, SplittableRandom rnd, long id, long seq, long srcMs) {
        int c = rnd.nextInt(POOL.length() - 100);
        int p = rnd.nextInt(POOL.length() - 50);
        sql.append('(').append(id).append(',').append(rnd.nextInt(1_000_000)).append(",'")
                .append(POOL, c, c + 100).append("','").append(POOL, p, p + 50).append("',")
                .append(rnd.nextInt(1000)).append(',').append(seq).append(',').append(srcMs).append(')');
    }

    /**
     * Produces the transactions of one workload; not thread-safe. Several generators can run at once
     * without touching the same rows: generator {@code part} of {@code parts} only inserts, updates
     * and deletes ids with {@code (id - 1) % parts == part}.
     */
    static final class Generator {
        final Workload workload;
        private final SplittableRandom rnd;
        private final int part;
        private final int parts;
        /** The next id this generator inserts; updates and deletes pick owned ids below it. */
        private long nextId;
        /** Updates of workload (b) pick owned ids in [1, updateRange]. */
        private final long updateRange;

        Generator(Workload workload, long preloadedRows, long seed) {
            this(workload, preloadedRows, seed, 0, 1, preloadedRows + 1);
        }

        /** @param firstFreeId the smallest id not in use yet (by any generator) */
        Generator(Workload workload, long preloadedRows, long seed, int part, int parts, long firstFreeId) {
            this.workload = workload;
            this.rnd = new SplittableRandom(seed);
            this.part = part;
            this.parts = parts;
            long id = firstFreeId;
            while ((id - 1) % parts != part) {
                id++;
            }
            this.nextId = id;
            this.updateRange = Math.max(1, preloadedRows);
        }

        /** The smallest id that no generator of this split has used: where a later split may start. */
        long nextFreeId() {
            return nextId - part;
        }

        /** A uniformly chosen owned id in [1, max] (ids 1..parts are owned by one generator each). */
        private long pick(long max) {
            long owned = Math.max(1, (max - 1 - part) / parts + 1);
            return 1 + part + rnd.nextLong(owned) * parts;
        }

        private long takeId() {
            long id = nextId;
            nextId += parts;
            return id;
        }

        /** The SQL of the next transaction (one round trip). */
        String next(long seq, long srcMs) {
            switch (workload) {
                case BULK: {
                    StringBuilder sql = new StringBuilder(200 * BULK_ROWS).append("INSERT INTO ").append(TABLE)
                            .append(" (id, k, c, pad, v, seq, src_ms) VALUES ");
                    for (int i = 0; i < BULK_ROWS; i++) {
                        if (i > 0) {
                            sql.append(',');
                        }
                        appendRow(sql, rnd, takeId(), seq, srcMs);
                    }
                    return sql.toString();
                }
                case UPDATES:
                    return "UPDATE " + TABLE + " SET v = v + 1, k = " + rnd.nextInt(1_000_000) + ", seq = " + seq
                            + ", src_ms = " + srcMs + " WHERE id = " + pick(updateRange);
                default: {
                    int n = 1 + rnd.nextInt(5);
                    StringBuilder sql = new StringBuilder(256 * n).append("BEGIN;");
                    for (int i = 0; i < n; i++) {
                        int op = rnd.nextInt(10);
                        if (op < 4) {
                            sql.append("INSERT INTO ").append(TABLE).append(" (id, k, c, pad, v, seq, src_ms) VALUES ");
                            appendRow(sql, rnd, takeId(), seq, srcMs);
                        } else if (op < 8) {
                            sql.append("UPDATE ").append(TABLE).append(" SET v = v + 1, k = ")
                                    .append(rnd.nextInt(1_000_000)).append(", seq = ").append(seq)
                                    .append(", src_ms = ").append(srcMs).append(" WHERE id = ")
                                    .append(pick(nextId - 1));
                        } else {
                            sql.append("DELETE FROM ").append(TABLE).append(" WHERE id = ")
                                    .append(pick(nextId - 1));
                        }
                        sql.append(';');
                    }
                    return sql.append("COMMIT").toString();
                }
            }
        }
    }

    /** Runs one (possibly multi-statement) round trip and returns the number of rows it changed. */
    static long execute(Statement s, String sql) throws SQLException {
        long rows = 0;
        boolean resultSet = s.execute(sql);
        while (true) {
            if (resultSet) {
                try (ResultSet ignored = s.getResultSet()) {
                    // none expected
                }
            } else {
                int count = s.getUpdateCount();
                if (count == -1) {
                    break;
                }
                rows += count;
            }
            resultSet = s.getMoreResults();
        }
        return rows;
    }

    /** Checksum of the benchmark table: "count/crc-sum". */
    static String checksum(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('#', id, k, c, pad, v, seq, src_ms))), 0) FROM "
                        + DATABASE + "." + TABLE)) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getString(2);
        }
    }
}
