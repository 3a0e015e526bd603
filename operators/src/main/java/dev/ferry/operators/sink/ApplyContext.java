package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every part of an apply works with, handed to each explicitly: the target connection whose open transaction
 * the apply writes in, and the helpers bound to it. One per {@link ChangeApplier}; a pass ({@link ApplyPass}) and its
 * batches ({@link RowBatch}) keep their own state and read only this.
 */
final class ApplyContext {
    final Connection connection;
    final Dialect dialect;
    final ConflictRules rules;
    final TargetTables tables;
    final Statements statements;
    final ConflictResolver resolver;
    final CommitMarkers markers;
    /** MySQL-family targets: inserts as Ferry's own multi-row statements; else null (a JDBC batch). */
    final MultiRowInsert multiRowInsert;
    /** What the target history says about an incoming change (see TargetHistory). */
    final Concurrency concurrent;
    final int batchSize;
    /** Whether rows of different keys may be batched out of source order (see ApplyPass). */
    final boolean reorders;
    /**
     * Tables whose last batch of inserts met existing rows: their next batch is probed before it is written (the
     * rows a conflict stream keeps meeting), until a probe finds none. Kept across passes.
     */
    final Set<TableId> insertsMeetRows = new HashSet<>();

    ApplyContext(Connection connection, Dialect dialect, ConflictRules rules, CommitMarkers markers,
            Concurrency concurrent, int batchSize) {
        this.connection = connection;
        this.dialect = dialect;
        this.rules = rules;
        this.markers = markers;
        this.concurrent = concurrent;
        this.batchSize = batchSize;
        this.tables = new TargetTables(connection, dialect);
        this.statements = new Statements(connection, dialect);
        this.resolver = new ConflictResolver(dialect, rules, statements);
        this.reorders = dialect.applyIgnoresForeignKeys();
        this.multiRowInsert = dialect.schema() == null ? new MultiRowInsert(connection, dialect, statements, batchSize)
                : null;
    }

    /** The unique values {@code e}'s row holds at the target once {@code e} is applied (see UniqueValues). */
    List<String> uniqueValues(ChangeEvent e) throws SQLException {
        return UniqueValues.of(e.table(), tables.table(e.table()), e.schema(), e.after());
    }

    /** Forgets prepared statements and table definitions: the target's tables may have changed. */
    void forgetDefinitions() {
        statements.close();
        tables.forget();
    }

    /** Rolls back the open transaction after {@code cause}, keeping a failure to do so with it. */
    void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
