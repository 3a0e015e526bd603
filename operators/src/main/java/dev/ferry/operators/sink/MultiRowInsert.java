package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Inserts a batch of rows on a MySQL-family target as multi-row INSERT statements that Ferry binds itself,
 * instead of a JDBC batch that Connector/J rewrites into the same statement: the rewrite binds every value
 * twice (once per row, then again into the rewritten statement), which was about a third of the apply's CPU in
 * bulk loads (docs/benchmark.md). A statement holds at most {@link Statements#rowsPerStatement} rows and about
 * half the server's {@code max_allowed_packet}, as Connector/J's rewrite would split it.
 */
final class MultiRowInsert {
    private final Connection connection;
    private final Dialect dialect;
    private final Statements statements;
    /** Rows of one batch at most. */
    private final int batchSize;
    private long maxStatementBytes;

    MultiRowInsert(Connection connection, Dialect dialect, Statements statements, int batchSize) {
        this.connection = connection;
        this.dialect = dialect;
        this.statements = statements;
        this.batchSize = batchSize;
    }

    /**
     * Inserts {@code rows} in order; returns a count per row: 1 where inserted, {@link Statement#EXECUTE_FAILED}
     * from the first statement that met an existing key on (that statement changed nothing, and the rest did not
     * run). Other errors are thrown.
     */
    int[] insert(TableId table, RowSchema schema, List<ChangeEvent> rows) throws SQLException {
        int[] counts = new int[rows.size()];
        Arrays.fill(counts, Statement.EXECUTE_FAILED);
        int maxRows = Math.min(batchSize, Statements.rowsPerStatement(schema.size()));
        long maxBytes = maxStatementBytes();
        String single = dialect.insert(table, schema);
        String valuesRow = single.substring(single.lastIndexOf(" VALUES ") + " VALUES ".length());
        int from = 0;
        while (from < rows.size()) {
            int to = from + 1;
            long bytes = single.length() + estimatedBytes(rows.get(from).after());
            while (to < rows.size() && to - from < maxRows) {
                bytes += valuesRow.length() + 2 + estimatedBytes(rows.get(to).after());
                if (bytes > maxBytes) {
                    break;
                }
                to++;
            }
            try {
                execute(single, valuesRow, rows.subList(from, to), to - from == maxRows);
            } catch (SQLException e) {
                if (!dialect.isDuplicateKey(e)) {
                    throw e;
                }
                return counts;
            }
            Arrays.fill(counts, from, to, 1);
            from = to;
        }
        return counts;
    }

    /** @param full whether the statement has the most rows one can have: those are kept prepared, others not */
    private void execute(String single, String valuesRow, List<ChangeEvent> rows, boolean full) throws SQLException {
        StringBuilder sql = new StringBuilder(single.length() + rows.size() * (valuesRow.length() + 2)).append(single);
        for (int i = 1; i < rows.size(); i++) {
            sql.append(", ").append(valuesRow);
        }
        if (full) {
            bindAndRun(statements.get(sql.toString()), rows);
        } else {
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                bindAndRun(ps, rows);
            }
        }
    }

    private void bindAndRun(PreparedStatement ps, List<ChangeEvent> rows) throws SQLException {
        int index = 1;
        for (ChangeEvent e : rows) {
            index = statements.bindValues(ps, index, e.after());
        }
        ps.executeUpdate();
    }

    /** Half the server's packet limit: room for the estimate's misses (escaping, multi-byte characters). */
    private long maxStatementBytes() throws SQLException {
        if (maxStatementBytes == 0) {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
                maxStatementBytes = rs.next() ? rs.getLong(1) / 2 : 1 << 20;
            }
        }
        return maxStatementBytes;
    }

    /** A row's size in the statement text: text up to 4 bytes a character, binary escaped, the rest short. */
    static long estimatedBytes(Object[] row) {
        long bytes = 0;
        for (Object v : row) {
            if (v instanceof String s) {
                bytes += 4L * s.length() + 3;
            } else if (v instanceof byte[] b) {
                bytes += 2L * b.length + 10;
            } else {
                bytes += 40;
            }
        }
        return bytes;
    }
}
