package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One committable's walk through its rows: the batches being filled, and what it found so far.
 *
 * <p>Rows are batched per table, schema and kind (insert, update, delete, ...). Where the target checks no
 * foreign keys, rows of different keys may be written in another order than the source wrote them: they all
 * commit in this one transaction, so nobody sees the order, and each key's rows keep theirs (a row is added
 * to a batch only after every open batch holding its key was written). A table whose rows could meet through
 * anything but their exact primary key (a secondary unique key, or a text key that a collation folds) keeps
 * all its rows in source order. Otherwise (PostgreSQL and Oracle targets) a batch is written as soon as the
 * next row goes elsewhere: the source's order exactly.
 */
final class ApplyPass implements BatchFindings {
    private final ApplyContext ctx;
    /** The committable whose rows these are; null in a replay of held changes. */
    private final CheckpointBatch committable;
    /** Tables whose rows go one per batch: a batch of theirs failed as a whole, and the refused row is wanted. */
    final Set<TableId> rowByRow;
    final List<ConflictRecord> conflicts = new ArrayList<>();
    /**
     * Records of rows the resolver replaced or removed while deciding a change (a unique-key collision), which
     * {@link #record} keeps after that change's own record.
     */
    private final List<ConflictRecord> replaced = new ArrayList<>();
    /** Open batches by table, schema and kind, in the order they were opened. */
    private final Map<List<Object>, RowBatch> open = new LinkedHashMap<>();
    /** The open batch that holds a row this ordering key belongs to. */
    private final Map<String, RowBatch> holders = new HashMap<>();
    /** Rows ({@link RowKeys}) changed earlier in this pass, and those whose change here was not written. */
    private final Set<String> met = new HashSet<>();
    private final Set<String> lost = new HashSet<>();
    /** The target's write each concurrent change of this pass meets. */
    private final Map<ChangeEvent, TargetHistory.LocalWrite> localWrites = new IdentityHashMap<>();
    /** The target's concurrent write that took a unique value of a change of this pass, in another row. */
    private final Map<ChangeEvent, TargetHistory.Take> takes = new IdentityHashMap<>();
    /** Ordinary deletes this pass wrote, by row: see {@link #removedWithItsDelete}. */
    private final Map<String, ChangeEvent> deleted = new HashMap<>();

    ApplyPass(ApplyContext ctx, CheckpointBatch committable, Set<TableId> rowByRow) {
        this.ctx = ctx;
        this.committable = committable;
        this.rowByRow = rowByRow;
    }

    @Override
    public CheckpointBatch committable() {
        return committable;
    }

    @Override
    public List<ConflictRecord> replaced() {
        return replaced;
    }

    /** An empty batch of {@code kind}: one class per kind of write. */
    private RowBatch newBatch(List<Object> id, RowKind kind, TableId table, RowSchema schema) {
        return switch (kind) {
            case UPSERT -> new UpsertBatch(ctx, this, id, table, schema);
            case INSERT -> new InsertBatch(ctx, this, id, table, schema);
            case UPDATE, UPDATE_KEY -> new UpdateBatch(ctx, this, id, kind, table, schema);
            case DELETE -> new DeleteBatch(ctx, this, id, table, schema);
            case CONCURRENT -> new ConcurrentChange(ctx, this, id, table, schema);
        };
    }

    /** Adds a row, writing the batches it must follow; a refusal names the table and, if known, the row. */
    void add(ChangeEvent e) throws SQLException {
        try {
            addRow(e);
        } catch (SQLException error) {
            throw RefusedChange.attribute(error, e.table(), e);
        }
    }

    private void addRow(ChangeEvent e) throws SQLException {
        String key = Arrays.deepToString(e.key());
        String oldKey = e.changesKey() ? Arrays.deepToString(e.keyOf(e.before())) : key;
        // both are asked (no short cut): each keeps what it found for the decision
        RowKind kind = RowKind.of(e, concurrentHere(e, key, oldKey) | takenHere(e));
        List<Object> id = List.of(e.table(), e.schema(), kind);
        List<String> order = orderingKeys(e, key, oldKey);
        for (RowBatch other : List.copyOf(open.values())) {
            if (!other.id.equals(id) && (!ctx.reorders || order.stream().anyMatch(k -> holders.get(k) == other))) {
                flush(other);
            }
        }
        RowBatch batch = open.get(id);
        int limit = rowByRow.contains(e.table()) || kind == RowKind.CONCURRENT ? 1 : ctx.batchSize;
        if (batch != null && (batch.batch.size() >= limit || batch.keys.contains(key)
                || batch.keys.contains(oldKey))) {
            flush(batch);
            batch = null;
        }
        if (batch == null) {
            batch = newBatch(id, kind, e.table(), e.schema());
            open.put(id, batch);
        }
        batch.batch.add(e);
        batch.keys.add(key);
        batch.keys.add(oldKey);
        for (String k : order) {
            holders.put(k, batch);
        }
        batch.order.addAll(order);
    }

    /** What a row must stay in order with: rows of its key, or every row of its table (see the class). */
    private List<String> orderingKeys(ChangeEvent e, String key, String oldKey) throws SQLException {
        String table = e.table().toString();
        if (!ctx.reorders) {
            return List.of();
        }
        boolean textKey = Arrays.stream(e.key()).anyMatch(v -> v instanceof String);
        if (textKey || !ctx.tables.table(e.table()).uniqueKeys().isEmpty()) {
            return List.of(table);
        }
        return key.equals(oldKey) ? List.of(table + " " + key) : List.of(table + " " + key, table + " " + oldKey);
    }

    /** Writes every open batch. */
    void flush() throws SQLException {
        for (RowBatch b : List.copyOf(open.values())) {
            flush(b);
        }
    }

    private void flush(RowBatch b) throws SQLException {
        open.remove(b.id);
        for (String k : b.order) {
            holders.remove(k, b);
        }
        b.flush();
    }

    /**
     * Whether a change is concurrent with a write at the target. The first change of a row in this pass asks the
     * target history; a later one is concurrent only if the earlier change of the row was not written here (it
     * lost, was a delete that found the row gone, or was concurrent and found the target already holding its
     * version: the target's write is still the newest), as one that was
     * written replaced the target's write with one the source knows. So a row's earlier change is decided before
     * this one is looked at.
     */
    private boolean concurrentHere(ChangeEvent e, String key, String oldKey) throws SQLException {
        TargetHistory.LocalWrite local = concurrentWrite(e, key, oldKey);
        if (local != null) {
            localWrites.put(e, local);
        }
        return local != null;
    }

    /**
     * Whether a concurrent write at the target took one of the unique values {@code e} puts into its row, in
     * another row: the two collide through it, even where that row has let go of the value since.
     */
    private boolean takenHere(ChangeEvent e) throws SQLException {
        if ((e.op() != Op.INSERT && e.op() != Op.UPDATE) || ctx.tables.table(e.table()).uniqueKeys().isEmpty()) {
            return false;
        }
        TargetHistory.Take take = ctx.concurrent.take(e, ctx.uniqueValues(e));
        if (take != null) {
            takes.put(e, take);
        }
        return take != null;
    }

    private TargetHistory.LocalWrite concurrentWrite(ChangeEvent e, String key, String oldKey)
            throws SQLException {
        String row = RowKeys.of(e.table(), e.key());
        String oldRow = e.changesKey() ? RowKeys.of(e.table(), e.keyOf(e.before())) : row;
        boolean metBefore = !met.add(row) | (!oldRow.equals(row) && !met.add(oldRow));
        if (!metBefore) {
            return ctx.concurrent.write(e);
        }
        for (RowBatch b : List.copyOf(open.values())) {
            if (b.table.equals(e.table()) && (b.keys.contains(key) || b.keys.contains(oldKey))) {
                flush(b);
            }
        }
        return lost.contains(row) || lost.contains(oldRow) ? ctx.concurrent.write(e) : null;
    }

    /**
     * Decides a change concurrent with a target write: against the write that took one of its unique values in
     * another row, where there is one and the change wins on its own row (if that write wins, the change is not
     * applied); then against the write to its own row, or, where there is none, as a change that did not fit.
     */
    @Override
    public ConflictRecord decideConcurrent(ChangeEvent e, TableGuards guards) throws SQLException {
        TargetHistory.Take take = takes.get(e);
        TargetHistory.LocalWrite local = localWrites.get(e);
        // a change that loses on its own row is not applied, whatever it would take: as on the rows themselves,
        // where only a winner there is written and can collide
        if (take != null && (local == null || ctx.resolver.winsOwnRow(e, guards, local))) {
            ConflictRecord lost = ctx.resolver.lostToTake(e, guards, take, replaced);
            if (lost != null) {
                return lost;
            }
        }
        if (local != null) {
            ConflictRecord decided = ctx.resolver.concurrentChange(e, guards, local, replaced);
            if (decided == null) {
                // the target already held the incoming version: nothing was written, so the target's write is
                // still the newest one the source had not seen, and the row's next change here is concurrent
                // with it too (sysbench at both sites wrote the same value, then one deleted the row: both
                // sites must see that delete as concurrent, or they keep different rows)
                lost.add(RowKeys.of(e.table(), e.key()));
                lost.add(RowKeys.of(e.table(), e.keyOf(e.before() != null ? e.before() : e.after())));
            }
            return decided;
        }
        return e.op() == Op.INSERT ? ctx.resolver.insertFailed(e, guards, replaced)
                : ctx.resolver.updateFailed(e, guards, replaced);
    }

    /** Keeps a conflict (if any) and the records of rows it replaced, in order. */
    @Override
    public void record(ConflictRecord conflict) {
        if (conflict != null) {
            conflicts.add(conflict);
            conflicts.addAll(replaced);
            ConflictRecord removed = removedWithItsDelete(conflict, replaced);
            replaced.clear();
            if (removed != null) {
                conflicts.add(removed);
            }
            // only a change written here replaces the target's write (a delete that found nothing did not)
            String row = RowKeys.of(conflict.event().table(), conflict.event().key());
            if (conflict.resolution() == Resolution.INCOMING_APPLIED) {
                lost.remove(row);
            } else {
                lost.add(row);
            }
        }
    }

    /** A delete this pass wrote: the row's version it removed (the delete's before image) was there. */
    @Override
    public void deleted(ChangeEvent delete) {
        deleted.put(RowKeys.of(delete.table(), delete.keyOf(delete.before())), delete);
    }

    /**
     * The record of the version a source's REPLACE (or delete and insert of one key in one transaction) removed
     * here, where its insert then lost a unique value and so was not applied. At the source the row went from
     * that version to the insert's in one step, an update; a losing update's row version goes here, recorded as
     * {@code row-removed} (ConflictResolver#removeLoser). The delete half was written before the insert met the
     * value, so removeLoser found nothing, and the version vanished without a record (the checker's kv_prio 66).
     */
    private ConflictRecord removedWithItsDelete(ConflictRecord lost, List<ConflictRecord> replaced) {
        ChangeEvent insert = lost.event();
        if (insert.op() != Op.INSERT || lost.type() != ConflictType.INSERT_UNIQUE
                || lost.resolution() != Resolution.TARGET_KEPT
                || lost.policy().kind() == ConflictPolicy.Kind.TARGET_WINS) { // there each site keeps its own
            return null;
        }
        String row = RowKeys.of(insert.table(), insert.key());
        ChangeEvent delete = deleted.remove(row);
        boolean recorded = replaced.stream().anyMatch(c -> c.resolution() == Resolution.ROW_REMOVED
                && c.memoryKey().equals(row));
        if (delete == null || recorded || !delete.txId().equals(insert.txId())
                || !delete.schema().equals(insert.schema())) {
            return null; // a delete of an earlier transaction is a write of its own, which the source had made
        }
        // recorded as that update, as removeLoser records a losing update: its before image is the version gone
        ChangeEvent replacement = new ChangeEvent(Op.UPDATE, insert.table(), insert.schema(), delete.before(),
                insert.after(), insert.txId(), insert.position(), insert.sourceTsMs());
        return new ConflictRecord(replacement, ConflictType.UPDATE_UNIQUE, Resolution.ROW_REMOVED, lost.policy(),
                RowJson.object(delete.schema(), delete.before()), delete.keyOf(delete.before()));
    }

}
