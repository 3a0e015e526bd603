package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.RowKeyText;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.loop.FerryTables;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes this site's losing versions back, announced, so that other sites can take them back too.
 *
 * <p>When an incoming change wins over the target row, the target's version lost. Another site may already
 * hold that version: it read it from this site's binlog and applied it before this site saw the conflict,
 * and found nothing to object to, because its own concurrent changes had brought the row back to the version
 * this site's change started from (A to B and back to A) or removed it. So the loss is written here as a
 * change of its own, before the winner: the row is set back to the winner's base (the incoming change's
 * before image; absent for an insert). That write is announced first, in {@code ferry.ferry_retraction}
 * (the keys it is about to write), and a binlog reader of this site passes exactly that write on, as a
 * retraction (LoopFilter). A site applies a retraction only where its row still holds the lost version.
 *
 * <p>MySQL-family targets only: the only sites whose binlogs Ferry reads.
 */
final class RetractionWriter {
    private static final String ANNOUNCE = "INSERT INTO " + FerryTables.RETRACTION
            + " (channel, direction, subtask, seq, row_keys) VALUES (?, ?, ?, 1, ?)"
            + " ON DUPLICATE KEY UPDATE seq = seq + 1, row_keys = ?";

    private final Dialect dialect;
    private final Statements statements;
    private final String channel;
    private final String direction;
    private int subtask;

    RetractionWriter(Dialect dialect, Statements statements, String channel, String direction) {
        this.dialect = dialect;
        this.statements = statements;
        this.channel = channel;
        this.direction = direction;
    }

    /** The writer subtask whose committable is being applied: each has a marker row of its own. */
    void subtask(int subtask) {
        this.subtask = subtask;
    }

    /** Announces that the next write of each of these rows in this transaction takes a losing version back. */
    void announce(TableId table, List<Object[]> keys) throws SQLException {
        String rows = keys.stream().map(k -> RowKeyText.of(table, k)).collect(Collectors.joining("\n"));
        PreparedStatement ps = statements.get(ANNOUNCE);
        ps.setString(1, channel);
        ps.setString(2, direction);
        ps.setInt(3, subtask);
        ps.setString(4, rows);
        ps.setString(5, rows);
        ps.executeUpdate();
    }

    /**
     * Announces and sets back the target rows of {@code winners} (distinct keys of one table without a secondary
     * unique key, whose incoming changes won over the rows here) to the winners' before images, deleting those of
     * inserts: as an upsert batch and a delete batch.
     */
    void writeBackAll(List<ChangeEvent> winners) throws SQLException {
        if (winners.isEmpty()) {
            return;
        }
        ChangeEvent head = winners.get(0);
        announce(head.table(), winners.stream().map(RetractionWriter::keyOf).toList());
        PreparedStatement upsert = null;
        PreparedStatement delete = null;
        for (ChangeEvent e : winners) {
            if (e.before() == null) {
                delete = delete != null ? delete : statements.get(dialect.deleteByKey(e.table(), e.schema()));
                statements.bindValues(delete, 1, keyOf(e));
                delete.addBatch();
            } else {
                upsert = upsert != null ? upsert : statements.get(dialect.upsert(e.table(), e.schema()));
                statements.bindValues(upsert, 1, e.before());
                upsert.addBatch();
            }
        }
        if (delete != null) {
            delete.executeBatch();
        }
        if (upsert != null) {
            upsert.executeBatch();
        }
    }

    /**
     * Announces and sets back the target row of one winning change to its before image (deletes it for an insert),
     * by key: an UPDATE, or an INSERT where the row is gone; never an upsert, which on a table with a secondary
     * unique key could rewrite another row. Throws the target's error, e.g. a unique value another row holds.
     */
    void writeBack(ChangeEvent winner) throws SQLException {
        announce(winner.table(), List.<Object[]>of(keyOf(winner)));
        if (winner.before() == null) {
            execute(dialect.deleteByKey(winner.table(), winner.schema()), keyOf(winner), null);
        } else if (execute(dialect.guardedUpdate(winner.table(), winner.schema(), TableGuards.NONE), winner.before(),
                keyOf(winner)) == 0) {
            execute(dialect.insert(winner.table(), winner.schema()), winner.before(), null);
        }
    }

    /** The key the winning change addresses: its before image's, or its row's for an insert. */
    static Object[] keyOf(ChangeEvent e) {
        return e.keyOf(e.before() != null ? e.before() : e.after());
    }

    private int execute(String sql, Object[] values, Object[] key) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        ps.clearParameters();
        int next = statements.bindValues(ps, 1, values);
        if (key != null) {
            statements.bindValues(ps, next, key);
        }
        return ps.executeUpdate();
    }
}
