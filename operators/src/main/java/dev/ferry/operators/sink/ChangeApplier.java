package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Applies one committable to the target as one local transaction: first the commit-marker row
 * (which makes a repeated commit a no-op and stamps the transaction for the loop filter), then the
 * rows in order, batched while consecutive rows go to the same statement.
 */
final class ChangeApplier implements AutoCloseable {
    private static final int PRUNE_EVERY = 1000;

    /** What happened to one committable. */
    enum Outcome { APPLIED, ALREADY_APPLIED, EMPTY, DDL_APPLIED, DDL_ALREADY_SATISFIED }

    private final Connection connection;
    private final Dialect dialect;
    private final CommitMarkers markers;
    private final DdlApplier ddl;
    private final int batchSize;
    private final Map<StatementKey, PreparedStatement> statements = new HashMap<>();
    private long commits;

    ChangeApplier(Connection connection, Dialect dialect, String channel, String direction, int batchSize)
            throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.markers = new CommitMarkers(connection, channel, direction);
        this.ddl = new DdlApplier(connection, markers, channel, direction);
        this.batchSize = batchSize;
        try (Statement s = connection.createStatement()) {
            for (String sql : dialect.sessionSetup()) {
                s.execute(sql);
            }
        }
        connection.setAutoCommit(false);
    }

    Outcome apply(FerryCommittable committable) throws SQLException {
        if (committable.events().size() == 1 && committable.events().get(0).op() == Op.DDL) {
            try {
                return ddl.apply(committable, committable.events().get(0));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            } finally {
                close(); // statements prepared for the old table definition
            }
        }
        long rows = committable.events().stream().filter(e -> e.op() != Op.HEARTBEAT).count();
        if (rows == 0) {
            return Outcome.EMPTY;
        }
        try {
            if (!markers.insert(committable, rows)) {
                connection.rollback();
                return Outcome.ALREADY_APPLIED;
            }
            Batch batch = null;
            for (ChangeEvent e : committable.events()) {
                switch (e.op()) {
                    case HEARTBEAT:
                        break;
                    case DDL:
                        throw new IllegalStateException("DDL inside a row committable: " + e);
                    case DELETE:
                        batch = add(batch, Kind.DELETE, e, e.before());
                        break;
                    case UPDATE:
                        if (e.changesKey()) {
                            batch = add(batch, Kind.DELETE, e, e.before());
                        }
                        batch = add(batch, Kind.UPSERT, e, e.after());
                        break;
                    default:
                        batch = add(batch, Kind.UPSERT, e, e.after());
                }
            }
            if (batch != null) {
                batch.execute();
            }
            if (++commits % PRUNE_EVERY == 0) {
                markers.prune(committable.subtask());
            }
            connection.commit();
            return Outcome.APPLIED;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    private Batch add(Batch batch, Kind kind, ChangeEvent e, Object[] row) throws SQLException {
        StatementKey key = new StatementKey(kind, e.table(), e.schema());
        if (batch == null || !batch.key.equals(key) || batch.size >= batchSize) {
            if (batch != null) {
                batch.execute();
            }
            batch = new Batch(key, statement(key));
        }
        batch.add(kind == Kind.DELETE ? e.keyOf(row) : row, e);
        return batch;
    }

    private PreparedStatement statement(StatementKey key) throws SQLException {
        PreparedStatement ps = statements.get(key);
        if (ps == null) {
            String sql = key.kind == Kind.DELETE
                    ? dialect.deleteByKey(key.table, key.schema)
                    : dialect.upsert(key.table, key.schema);
            ps = connection.prepareStatement(sql);
            statements.put(key, ps);
        }
        return ps;
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away too
            }
        }
        statements.clear();
    }

    private enum Kind { UPSERT, DELETE }

    private record StatementKey(Kind kind, TableId table, RowSchema schema) {}

    /** Consecutive rows for one prepared statement. */
    private final class Batch {
        final StatementKey key;
        final PreparedStatement statement;
        int size;
        ChangeEvent first;

        Batch(StatementKey key, PreparedStatement statement) {
            this.key = Objects.requireNonNull(key);
            this.statement = statement;
        }

        void add(Object[] values, ChangeEvent e) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                dialect.bind(statement, i + 1, values[i]);
            }
            statement.addBatch();
            if (first == null) {
                first = e;
            }
            size++;
        }

        void execute() throws SQLException {
            try {
                statement.executeBatch();
            } catch (SQLException e) {
                throw new ApplyException(key.kind + " of " + size + " row(s) into " + key.table
                        + " failed (first row: " + first + "): " + e.getMessage(), e);
            }
        }
    }

    /** A statement the target refused, with the table and source position in the message. */
    static final class ApplyException extends SQLException {
        ApplyException(String message, SQLException cause) {
            super(message, cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }
}
