package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.loop.FerryTables;
import java.sql.SQLException;

/**
 * A target's refusal (see {@link TargetRefusal}) of a change of one user table, raised while that table's rows were
 * written: the apply rolls back and goes again with the table held. The change is unknown when a batch of several
 * rows failed as a whole; the apply then writes that table's rows one by one to learn it.
 */
final class RefusedChange extends SQLException {
    private final transient TableId table;
    private final transient ChangeEvent event;
    private final transient TargetRefusal refusal;

    private RefusedChange(TableId table, ChangeEvent event, TargetRefusal refusal, SQLException cause) {
        super(table + " refused a change: " + cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        this.table = table;
        this.event = event;
        this.refusal = refusal;
    }

    /**
     * The error as a refusal of {@code table}'s change {@code event} (null if unknown), or as it is: retriable, of
     * Ferry's own tables, or of another kind.
     */
    static SQLException attribute(SQLException error, TableId table, ChangeEvent event) {
        if (error instanceof RefusedChange || Retry.isRetriable(error) || FerryTables.isFerryTable(table)) {
            return error;
        }
        return TargetRefusal.of(error).<SQLException>map(r -> new RefusedChange(table, event, r, error)).orElse(error);
    }

    TableId table() {
        return table;
    }

    /** The refused change, or null if a batch of several failed. */
    ChangeEvent event() {
        return event;
    }

    TargetRefusal refusal() {
        return refusal;
    }

    /** The same refusal, naming the change (when the batch could not be split). */
    RefusedChange of(ChangeEvent change) {
        return new RefusedChange(table, change, refusal, (SQLException) getCause());
    }
}
