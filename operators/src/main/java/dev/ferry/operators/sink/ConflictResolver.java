package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.ColumnInfo;
import dev.ferry.dialect.Dialect;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;
import dev.ferry.operators.sink.ConflictJudge.MetRow;
import dev.ferry.operators.sink.ConflictJudge.Missed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Handles, one by one, the changes whose batched guarded statement did not fit the target row. It
 * locks and reads that row, decides by the table's policy, applies the winner, and returns what to
 * record. Everything happens inside the apply transaction, so the resolution and its record commit
 * together with the rest of the committable, or not at all. A decision that also replaced or removed
 * other rows (a unique-key collision) adds their records to the caller's {@code replaced} list; the
 * caller keeps them after the decision's own record (ApplyPass#record).
 */
final class ConflictResolver {

    private final Dialect dialect;
    private final ConflictRules rules;
    private final Statements statements;
    private final ConflictJudge judge;

    ConflictResolver(Dialect dialect, ConflictRules rules, Statements statements) {
        this.dialect = dialect;
        this.rules = rules;
        this.statements = statements;
        this.judge = new ConflictJudge(rules);
    }

    /** A plain INSERT failed: its key exists, or a unique key of another row holds its values. */
    ConflictRecord insertFailed(ChangeEvent e, TableGuards g, List<ConflictRecord> replaced) throws SQLException {
        MetRow p = probe(e, g, e.after(), e.keyOf(e.after()), e.after());
        if (p.found()) {
            return p.sameAsImage() ? null : decide(e, g, ConflictType.INSERT_EXISTS, p, () -> upsert(e), replaced);
        }
        try {
            executeAlone(dialect.insert(e.table(), e.schema()), ps -> statements.bindValues(ps, 1, e.after()));
            return null;
        } catch (SQLException duplicate) {
            rethrowUnlessDuplicate(duplicate);
            return uniqueCollision(e, g, ConflictType.INSERT_UNIQUE, duplicate,
                    () -> executeAlone(dialect.insert(e.table(), e.schema()),
                            ps -> statements.bindValues(ps, 1, e.after())), replaced);
        }
    }

    /** A guarded UPDATE changed no row: the row is gone or differs from the before image. */
    ConflictRecord updateMissed(ChangeEvent e, TableGuards g, List<ConflictRecord> replaced) throws SQLException {
        MetRow p = probe(e, g, e.after(), e.keyOf(e.before()), e.after());
        if (!p.found() && rules.refillsRowsItRemoved(g.rule().policy())) {
            try {
                insertMissing(e, g); // no conflict: see ConflictRules#refillsRowsItRemoved
                return null;
            } catch (SQLException duplicate) {
                rethrowUnlessDuplicate(duplicate);
                return uniqueCollision(e, g, ConflictType.UPDATE_UNIQUE, duplicate, () -> insertMissing(e, g),
                        replaced);
            }
        }
        if (!p.found()) {
            return decide(e, g, ConflictType.UPDATE_MISSING, p, () -> insertMissing(e, g), replaced);
        }
        return p.sameAsImage() ? null : decide(e, g, ConflictType.UPDATE_MISMATCH, p, () -> forceUpdate(e), replaced);
    }

    /** A guarded UPDATE raised an error: run it alone to see which, and resolve a duplicate key. */
    ConflictRecord updateFailed(ChangeEvent e, TableGuards g, List<ConflictRecord> replaced) throws SQLException {
        try {
            int updated = executeAlone(dialect.guardedUpdate(e.table(), e.schema(), g.columns()),
                    ps -> bindGuarded(ps, e, g));
            return updated == 1 ? null : updateMissed(e, g, replaced);
        } catch (SQLException duplicate) {
            rethrowUnlessDuplicate(duplicate);
            return uniqueCollision(e, g, ConflictType.UPDATE_UNIQUE, duplicate, () -> forceUpdate(e), replaced);
        }
    }

    /** A guarded DELETE deleted nothing: the row is gone already, or differs from the before image. */
    ConflictRecord deleteMissed(ChangeEvent e, TableGuards g, List<ConflictRecord> replaced) throws SQLException {
        MetRow p = probe(e, g, e.before(), e.keyOf(e.before()), e.before());
        if (!p.found()) {
            return new ConflictRecord(e, ConflictType.DELETE_MISSING, Resolution.NOTHING_TO_DO, g.rule().policy(),
                    null);
        }
        return decide(e, g, ConflictType.DELETE_MISMATCH, p, () -> deleteByKey(e.table(), e.schema(),
                e.keyOf(e.before())), replaced);
    }

    /**
     * A change concurrent with a write at the target, {@code local} (see TargetHistory): a conflict whatever the row
     * holds now, even where it is the change's before image again (written back, or deleted and inserted again, at
     * the target). The row is locked and read; a row that already is the incoming version is no conflict; otherwise
     * the table's policy decides between it and the incoming change. Where the row is gone because the target
     * deleted it, {@code newer-wins} compares the incoming version with the version that delete removed, as the
     * other site does when it meets the delete: both then keep the same one.
     */
    ConflictRecord concurrentChange(ChangeEvent e, TableGuards g, TargetHistory.LocalWrite local,
            List<ConflictRecord> replaced)
            throws SQLException {
        if (e.op() == Op.INSERT) {
            MetRow p = probe(e, g, e.after(), e.key(), e.after());
            if (p.found()) {
                return p.sameAsImage() ? null : decide(e, g, ConflictType.INSERT_EXISTS, p, () -> upsert(e), replaced);
            }
            return decide(e, g, ConflictType.INSERT_CONCURRENT,
                    ConflictJudge.againstDelete(p, e, versionIndex(g), local),
                    () -> insertMissing(e, g), replaced);
        }
        Object[] image = e.op() == Op.DELETE ? e.before() : e.after();
        MetRow before = probe(e, g, e.before(), e.keyOf(e.before()), image);
        if (e.op() == Op.UPDATE && !before.found()) {
            return decide(e, g, ConflictType.UPDATE_MISSING,
                    ConflictJudge.againstDelete(before, e, versionIndex(g), local),
                    () -> insertMissing(e, g), replaced);
        }
        if (!before.found() || !before.sameAsImage()) {
            return e.op() == Op.DELETE ? deleteMissed(e, g, replaced) : updateMissed(e, g, replaced);
        }
        if (e.op() == Op.DELETE) {
            return decide(e, g, ConflictType.DELETE_CONCURRENT, before,
                    () -> deleteByKey(e.table(), e.schema(), e.keyOf(e.before())), replaced);
        }
        return decide(e, g, ConflictType.UPDATE_CONCURRENT, before, () -> forceUpdate(e), replaced);
    }

    /**
     * A change that puts into its row a unique value that a concurrent write at the target put into another row
     * ({@code take}), whether or not that row holds it still: the policy decides between the two as it decides a
     * collision on the rows themselves (newer-wins with the version that write left), which is how the other site
     * meets them. Null if the incoming change wins: it is then applied as usual (and collides there, if the other
     * row holds the value still). Else it is not applied, recorded, and its row's version here goes, as a loser of
     * a collision on the rows goes (see #removeLoser).
     */
    ConflictRecord lostToTake(ChangeEvent e, TableGuards g, TargetHistory.Take take, List<ConflictRecord> replaced)
            throws SQLException {
        ConflictType type = e.op() == Op.INSERT ? ConflictType.INSERT_UNIQUE : ConflictType.UPDATE_UNIQUE;
        ConflictRecord decided = judge.judge(e, g.rule().policy(), type,
                ConflictJudge.againstTake(e, versionIndex(g), take));
        if (decided.resolution() == Resolution.INCOMING_APPLIED) {
            return null;
        }
        if (ConflictJudge.removesLoser(decided)) {
            removeLoser(e, g, type, decided.policy(), replaced);
        }
        return decided;
    }

    /**
     * Whether {@code e} wins over {@code local}, the target's concurrent write to its row, by the policy alone (before
     * any unique value is looked at): under {@code newer-wins} by the version the row holds (or its delete removed),
     * as {@link #concurrentChange} compares them; under the other policies by the sites.
     */
    boolean winsOwnRow(ChangeEvent e, TableGuards g, TargetHistory.LocalWrite local) throws SQLException {
        ConflictPolicy policy = g.rule().policy();
        if (policy.kind() != ConflictPolicy.Kind.NEWER_WINS || g.version() == null) {
            return rules.incomingWins(policy, 0);
        }
        MetRow row = probe(e, g, e.after(), e.op() == Op.INSERT ? e.key() : e.keyOf(e.before()), e.after());
        return rules.incomingWins(policy,
                (row.found() ? row : ConflictJudge.againstDelete(row, e, versionIndex(g), local)).versionOrder());
    }

    /** The version column's index where newer-wins can compare versions at the target, else -1. */
    private static int versionIndex(TableGuards g) {
        return g.version() == null ? -1 : g.versionIndex();
    }

    /**
     * Sets the target's columns that a winning version does not have to their defaults. Its source wrote it before a
     * column added at the target reached it, and there the column got its default when the ADD COLUMN arrived; an
     * upsert or update here would keep the value the target's own (losing) version gave it, and the sites would
     * differ in that column (the checker found this with columns added while both sites wrote). Two-way channels only.
     */
    void defaultColumnsItLacks(ChangeEvent e, TableGuards g) throws SQLException {
        if (e.op() == Op.DELETE || g == null || !rules.twoWay()) {
            return; // one way, a target's columns of its own are its own
        }
        java.util.Set<String> has = new java.util.HashSet<>();
        for (int i = 0; i < e.schema().size(); i++) {
            has.add(dialect.targetName(e.schema().column(i)));
        }
        StringBuilder set = new StringBuilder();
        for (String column : new java.util.TreeSet<>(g.target().columns().keySet())) {
            if (!has.contains(column) && !g.target().generated().contains(column)) { // the target computes those
                set.append(set.length() == 0 ? "" : ", ").append(dialect.quoteIdentifier(column)).append(" = DEFAULT");
            }
        }
        if (set.length() > 0) {
            executeAlone("UPDATE " + dialect.quoteTable(e.table()) + " SET " + set + " WHERE "
                    + dialect.keyAndGuards(e.schema(), TableGuards.NONE), ps -> statements.bindValues(ps, 1, e.key()));
        }
    }

    /** Binds a guarded UPDATE: the after image, then the before image's key and guard columns. */
    int bindGuarded(PreparedStatement ps, ChangeEvent e, TableGuards g) throws SQLException {
        int next = statements.bindValues(ps, 1, e.after());
        return bindKeyAndGuards(ps, next, e.before(), e, g);
    }

    int bindKeyAndGuards(PreparedStatement ps, int index, Object[] row, ChangeEvent e, TableGuards g)
            throws SQLException {
        int next = statements.bindValues(ps, index, e.keyOf(row));
        return statements.bindGuards(ps, next, row, g.indexes(), g.columns());
    }

    /** The schema's column that the target spells {@code targetName}, or -1. */
    private int indexOfTargetColumn(RowSchema schema, String targetName) {
        for (int i = 0; i < schema.size(); i++) {
            if (dialect.targetName(schema.column(i)).equals(targetName)) {
                return i;
            }
        }
        return -1;
    }

    private void rethrowUnlessDuplicate(SQLException e) throws SQLException {
        if (!dialect.isDuplicateKey(e)) {
            throw e;
        }
    }

    private ConflictRecord uniqueCollision(ChangeEvent e, TableGuards g, ConflictType type,
            SQLException duplicate, Action applyIncoming, List<ConflictRecord> replaced) throws SQLException {
        List<Object[]> colliders = collidingKeys(e, g);
        if (colliders.isEmpty()) {
            throw duplicate; // not a key Ferry can see (a functional index?): fail loudly rather than guess
        }
        MetRow p = probe(e, g, e.after(), colliders.get(0), e.after());
        ConflictRecord decided = decide(e, g, type, p, () -> {
            for (Object[] key : colliders) {
                deleteByKey(e.table(), e.schema(), key);
            }
            applyIncoming.run();
        }, replaced);
        if (decided.resolution() == Resolution.INCOMING_APPLIED) {
            for (Object[] key : colliders) {
                replaced.add(new ConflictRecord(e, type, Resolution.INCOMING_APPLIED, decided.policy(), p.json(),
                        key));
            }
        } else if (ConflictJudge.removesLoser(decided)) {
            removeLoser(e, g, type, decided.policy(), replaced);
        }
        return decided;
    }

    /**
     * The incoming row lost its unique value to another row here. Where the change came from, that row holds the
     * value, so the winner's change deletes it there when it arrives (as {@link #uniqueCollision} deletes the losers
     * here). The loser's version here goes too, recorded, or the sites would end with different rows.
     */
    private void removeLoser(ChangeEvent e, TableGuards g, ConflictType type, ConflictPolicy policy,
            List<ConflictRecord> replaced)
            throws SQLException {
        Object[] image = e.op() == Op.INSERT ? e.after() : e.before();
        Object[] key = e.keyOf(image);
        MetRow here = probe(e, g, image, key, e.after());
        if (here.found()) {
            deleteByKey(e.table(), e.schema(), key);
            replaced.add(new ConflictRecord(e, type, Resolution.ROW_REMOVED, policy, here.json(), key));
        }
    }

    /** Primary keys of other rows that hold one of the incoming row's unique-key values. */
    private List<Object[]> collidingKeys(ChangeEvent e, TableGuards g) throws SQLException {
        List<Object[]> keys = new ArrayList<>();
        Object[] own = e.keyOf(e.after());
        for (List<ColumnInfo> unique : g.target().uniqueKeys()) {
            if (unique.contains(null)) {
                continue;
            }
            PreparedStatement ps = statements.get(dialect.lockByUniqueKey(e.table(), e.schema(), unique));
            int i = 1;
            for (ColumnInfo c : unique) {
                int column = indexOfTargetColumn(e.schema(), c.name());
                dialect.bindForCompare(ps, i++, column < 0 ? null : e.after()[column], c);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] key = new Object[own.length];
                    for (int k = 0; k < key.length; k++) {
                        key[k] = rs.getObject(k + 1);
                    }
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private ConflictRecord decide(ChangeEvent e, TableGuards g, ConflictType type, MetRow p, Action applyIncoming,
            List<ConflictRecord> replaced)
            throws SQLException {
        ConflictRecord decided = judge.judge(e, g.rule().policy(), type, p);
        if (decided.resolution() == Resolution.INCOMING_APPLIED) {
            try {
                applyIncoming.run();
                defaultColumnsItLacks(e, g);
            } catch (SQLException duplicate) {
                rethrowUnlessDuplicate(duplicate);
                // the winning version holds a unique value that another row has here: a conflict with that row,
                // decided like any unique-key collision (it never stops the direction)
                ConflictRecord collision = uniqueCollision(e, g, e.op() == Op.INSERT ? ConflictType.INSERT_UNIQUE
                        : ConflictType.UPDATE_UNIQUE, duplicate, applyIncoming, replaced);
                if (collision.resolution() == Resolution.INCOMING_APPLIED) {
                    // written after all: what it won over on its own row lost too, and is recorded (the checker
                    // found a target's delete undone with only the collision on record)
                    replaced.add(0, decided);
                    defaultColumnsItLacks(e, g);
                }
                return collision;
            }
        }
        return decided;
    }

    /**
     * What {@link #judgeRun} decided for a run: a record per row (null where the target already held the incoming
     * row), the rows whose incoming version wins and is to be written (upserted, or deleted by key), and the inserts
     * whose key was free after all, for {@link #insertFailed} one at a time.
     */
    record Verdicts(List<ConflictRecord> records, List<ChangeEvent> upserts, List<ChangeEvent> deletes,
            List<ChangeEvent> insertAlone) {}

    /**
     * Decides a run of changes of one table (distinct keys, no change of key) whose guarded statements did not
     * fit, by one locking read of all their target rows, as {@link #insertFailed}, {@link #updateMissed} and
     * {@link #deleteMissed} decide one: the caller then writes the winners in one batch per kind. Null if the
     * target cannot lock such rows in one statement (see Dialect#lockConflictRows).
     */
    Verdicts judgeRun(Missed missed, List<ChangeEvent> run, TableGuards g, Connection connection)
            throws SQLException {
        ChangeEvent head = run.get(0);
        if (dialect.lockConflictRows(head.table(), head.schema(), g.columns(), g.version(), 1) == null) {
            return null;
        }
        MetRow[] probes = new MetRow[run.size()];
        int chunk = Statements.rowsPerStatement(
                1 + head.schema().keyIndexes().length + g.columns().length + (g.version() == null ? 0 : 1));
        for (int from = 0; from < run.size(); from += chunk) {
            int to = Math.min(run.size(), from + chunk);
            try (PreparedStatement ps = connection.prepareStatement(
                    dialect.lockConflictRows(head.table(), head.schema(), g.columns(), g.version(), to - from))) {
                int index = 1;
                for (int i = from; i < to; i++) {
                    ChangeEvent e = run.get(i);
                    Object[] image = missed == Missed.DELETE ? e.before() : e.after();
                    ps.setInt(index++, i);
                    index = statements.bindValues(ps, index, e.keyOf(missed == Missed.INSERT ? e.after() : e.before()));
                    index = statements.bindGuards(ps, index, image, g.indexes(), g.columns());
                    if (g.version() != null) {
                        dialect.bindForCompare(ps, index++, image[g.versionIndex()], g.version());
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean found = rs.getBoolean(Dialect.PROBE_FOUND);
                        int order = !found || rs.getObject(Dialect.PROBE_ORDER) == null ? (found ? 0 : 1)
                                : rs.getInt(Dialect.PROBE_ORDER);
                        probes[rs.getInt(Dialect.PROBE_INDEX)] = new MetRow(found,
                                found && rs.getBoolean(Dialect.PROBE_FITS), order,
                                found ? rs.getString(Dialect.PROBE_ROW) : null);
                    }
                }
            }
        }
        Verdicts v = new Verdicts(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        boolean refill = rules.refillsRowsItRemoved(g.rule().policy());
        for (int i = 0; i < run.size(); i++) {
            ChangeEvent e = run.get(i);
            MetRow p = probes[i];
            ConflictRecord decided = judge.missed(missed, e, g.rule().policy(), p);
            if (missed == Missed.INSERT && !p.found()) {
                v.insertAlone().add(e);
            }
            if (missed == Missed.UPDATE && !p.found() && refill) {
                v.upserts().add(e); // no conflict: see ConflictRules#refillsRowsItRemoved
            }
            v.records().add(decided);
            if (decided != null && decided.resolution() == Resolution.INCOMING_APPLIED) {
                (missed == Missed.DELETE ? v.deletes() : v.upserts()).add(e);
            }
        }
        return v;
    }

    /** Locks and reads the target row with {@code key}. */
    private MetRow probe(ChangeEvent e, TableGuards g, Object[] image, Object[] key, Object[] versionSource)
            throws SQLException {
        PreparedStatement ps = statements.get(dialect.lockConflictRow(e.table(), e.schema(), g.columns(), g.version()));
        int i = statements.bindGuards(ps, 1, image, g.indexes(), g.columns());
        if (g.version() != null) {
            Object v = versionSource[g.versionIndex()];
            for (int n = 0; n < 3; n++) {
                dialect.bindForCompare(ps, i++, v, g.version());
            }
        }
        statements.bindValues(ps, i, key);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return MetRow.ABSENT;
            }
            int order = rs.getObject(Dialect.PROBE_ORDER) == null ? 0 : rs.getInt(Dialect.PROBE_ORDER);
            return new MetRow(true, rs.getBoolean(Dialect.PROBE_FITS), order, rs.getString(Dialect.PROBE_ROW));
        }
    }

    /**
     * Writes a row the target does not have. Where the table has a secondary unique key, as a plain INSERT: a
     * MySQL upsert would silently rewrite whichever other row holds one of its unique values.
     */
    private void insertMissing(ChangeEvent e, TableGuards g) throws SQLException {
        if (g.target().uniqueKeys().isEmpty()) {
            upsert(e);
        } else {
            executeAlone(dialect.insert(e.table(), e.schema()), ps -> statements.bindValues(ps, 1, e.after()));
        }
    }

    private void upsert(ChangeEvent e) throws SQLException {
        executeAlone(dialect.upsert(e.table(), e.schema()), ps -> statements.bindValues(ps, 1, e.after()));
    }

    private void forceUpdate(ChangeEvent e) throws SQLException {
        int updated = executeAlone(dialect.guardedUpdate(e.table(), e.schema(), TableGuards.NONE), ps -> {
            int next = statements.bindValues(ps, 1, e.after());
            return statements.bindValues(ps, next, e.keyOf(e.before()));
        });
        if (updated == 0) {
            upsert(e);
        }
    }

    private void deleteByKey(TableId table, RowSchema schema, Object[] key) throws SQLException {
        executeAlone(dialect.deleteByKey(table, schema), ps -> statements.bindValues(ps, 1, key));
    }

    private int executeAlone(String sql, Binder binder) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        ps.clearParameters();
        binder.bind(ps);
        return ps.executeUpdate();
    }

    @FunctionalInterface
    interface Binder {
        int bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Action {
        void run() throws SQLException;
    }
}
