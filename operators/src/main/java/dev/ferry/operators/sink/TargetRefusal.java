package dev.ferry.operators.sink;

import dev.ferry.common.TableId;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * A row change the target refuses for a reason of one table that neither a retry nor a restart cures: a CHECK
 * constraint, a value the column cannot hold, a column or table missing there, a trigger that signals an error, a
 * missing privilege. Such a change holds its table (see {@link HeldTables}) until an operator fixes the target.
 * Duplicate keys are not refusals: the conflict resolver settles them.
 *
 * @param reason what kind of refusal
 * @param sqlState the target's SQLState (may be null)
 * @param errorCode the target's error code (0 for PostgreSQL)
 * @param message the target's message
 */
record TargetRefusal(Reason reason, String sqlState, int errorCode, String message) {
    /** What the target refused, with what an operator changes there before {@code retry}. */
    enum Reason {
        CHECK("a CHECK constraint of the target refuses the row",
                "change or drop that constraint at the target (or correct the row at the source)"),
        VALUE("the target's column cannot hold the value (a narrower type, NOT NULL, strict mode)",
                "change the column at the target to hold what the source holds"),
        GENERATED("the target computes a column itself (a generated column) for which the source sends a value",
                "make that column a plain one at the target, or one the source generates too (Ferry leaves out only"
                        + " the target's generated columns outside the primary key)"),
        NO_DEFAULT("the target has a NOT NULL column without a default that the source does not send",
                "give that column a default at the target, or drop it"),
        MISSING_COLUMN("a column the source writes is missing at the target (schema drift)",
                "add the column at the target as the source defines it (or set outcome = 'manual' with that"
                        + " ALTER TABLE in manual_sql)"),
        MISSING_TABLE("the table is missing at the target",
                "create it at the target as the source defines it (or set outcome = 'manual' with that CREATE TABLE"
                        + " in manual_sql)"),
        TRIGGER("a trigger at the target refuses the row (SIGNAL or RAISE)",
                "change or drop that trigger at the target, or make it skip Ferry's writes"),
        PRIVILEGE("Ferry's user may not write this table at the target",
                "grant Ferry's user SELECT, INSERT, UPDATE and DELETE on the table at the target");

        final String cause;
        final String change;

        Reason(String cause, String change) {
            this.cause = cause;
            this.change = change;
        }
    }

    /** MySQL and MariaDB error codes, and Oracle's ORA- numbers, by the refusal they mean. */
    private static final Map<Integer, Reason> CODES = Map.ofEntries(
            Map.entry(3819, Reason.CHECK), // MySQL: check constraint violated
            Map.entry(4025, Reason.CHECK), // MariaDB: CONSTRAINT failed
            Map.entry(1048, Reason.VALUE), // column cannot be null
            Map.entry(1264, Reason.VALUE), // out of range
            Map.entry(1265, Reason.VALUE), // data truncated
            Map.entry(1292, Reason.VALUE), // incorrect (date) value
            Map.entry(1366, Reason.VALUE), // incorrect string or integer value
            Map.entry(1406, Reason.VALUE), // data too long
            Map.entry(1690, Reason.VALUE), // value out of range
            Map.entry(3140, Reason.VALUE), // invalid JSON
            Map.entry(1364, Reason.NO_DEFAULT),
            Map.entry(3105, Reason.GENERATED), // MySQL: a value for a generated column
            Map.entry(1906, Reason.GENERATED), // MariaDB: the same
            Map.entry(54013, Reason.GENERATED), // ORA-54013: insert into a virtual column
            Map.entry(1054, Reason.MISSING_COLUMN),
            Map.entry(1146, Reason.MISSING_TABLE),
            Map.entry(1644, Reason.TRIGGER), // an unhandled user SIGNAL
            Map.entry(1142, Reason.PRIVILEGE),
            Map.entry(1143, Reason.PRIVILEGE),
            Map.entry(2290, Reason.CHECK), // ORA-02290
            Map.entry(12899, Reason.VALUE), // ORA-12899 value too large
            Map.entry(904, Reason.MISSING_COLUMN), // ORA-00904 invalid identifier
            Map.entry(942, Reason.MISSING_TABLE)); // ORA-00942

    /** SQLStates (PostgreSQL reports no error code), by the refusal they mean. */
    private static final Map<String, Reason> STATES = Map.of(
            "23514", Reason.CHECK,
            "23502", Reason.VALUE,
            "428C9", Reason.GENERATED,
            "42703", Reason.MISSING_COLUMN,
            "42S22", Reason.MISSING_COLUMN,
            "42P01", Reason.MISSING_TABLE,
            "42S02", Reason.MISSING_TABLE,
            "P0001", Reason.TRIGGER,
            "42501", Reason.PRIVILEGE);

    /** The longest message kept: the record's detail must keep room for the fix. */
    private static final int MESSAGE_LIMIT = 400;

    /**
     * The refusal among the error and its causes, in the target's own words (the innermost error of that kind, not
     * Ferry's wrappers around it); empty if the error is of another kind.
     */
    static Optional<TargetRefusal> of(SQLException error) {
        TargetRefusal found = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                Reason reason = reason(s.getSQLState(), s.getErrorCode());
                if (reason != null) {
                    String message = String.valueOf(s.getMessage());
                    found = new TargetRefusal(reason, s.getSQLState(), s.getErrorCode(), message.length() <= MESSAGE_LIMIT
                            ? message : message.substring(0, MESSAGE_LIMIT) + "...");
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static Reason reason(String state, int code) {
        Reason byCode = CODES.get(code);
        if (byCode != null) {
            return byCode;
        }
        if (code >= 20000 && code <= 20999) {
            return Reason.TRIGGER; // Oracle's RAISE_APPLICATION_ERROR
        }
        if (state == null) {
            return null;
        }
        // class 22: data exception (too long, out of range, invalid text) in every database
        return state.startsWith("22") ? Reason.VALUE : STATES.get(state);
    }

    /** The error as the target gave it: {@code SQLState 23000, error 4025: <message>}. */
    String error() {
        return "SQLState " + sqlState + ", error " + errorCode + ": " + message;
    }

    /** What went wrong, for the hold record and the log. */
    String describe(TableId table) {
        return table + " is held: " + reason.cause + " (" + error() + ")";
    }

    /** What the operator does: the change at the target, then the decision that releases the table. */
    String fix() {
        return reason.change + ", then set outcome = 'retry' on the hold's row of ferry.ferry_ddl; or set outcome"
                + " = 'skip' to drop the refused change (its row stays in ferry.ferry_ddl as 'skipped'), or 'manual'"
                + " with manual_sql for Ferry to run that SQL first";
    }
}
