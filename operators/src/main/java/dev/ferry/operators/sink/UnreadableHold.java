package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.TableId;

/**
 * A table held because the source reader could not read its changes ({@link Op#UNDECODABLE}): it has no primary key,
 * or a column has a type Ferry cannot carry exactly. No retry or restart reads them, and they carry no values, so
 * they cannot wait in {@code ferry_held} like a refused row: the first of them waits there, as the hold's place in
 * the table's order (its id is the record's {@code seq}), and the record counts them all, with the first and last
 * source position. A {@code skip} drops them (the record says {@code skipped}, with the count) and applies the table's
 * later changes; {@code retry} cannot apply them and holds the table again; {@code manual} runs its SQL, then skips.
 *
 * @param seq the id of the first undecodable change in ferry_held, the record's {@code seq}
 * @param count how many changes of the table could not be read since the hold
 * @param first the source position of the first, also the record's {@code source_position}
 * @param last the source position of the last
 */
record UnreadableHold(long seq, long count, String first, String last) {
    /** Every record of such a hold has a statement that starts so (a refused change's starts with its operation). */
    static final String PREFIX = Op.UNDECODABLE + " ";
    private static final String COUNTED = " change(s) could not be read from the binlog, first at ";
    private static final String LAST = ", last at ";
    private static final String END = "; not kept as values";

    /** A hold at the undecodable change {@code e}, kept in ferry_held as {@code seq}. */
    static UnreadableHold at(long seq, ChangeEvent e) {
        return new UnreadableHold(seq, 1, e.position(), e.position());
    }

    /** The hold with one more undecodable change of its table counted. */
    UnreadableHold plus(ChangeEvent e) {
        return new UnreadableHold(seq, count + 1, first, e.position());
    }

    /** The record's {@code statement}: what could not be read, how often, where. */
    String statement(TableId table) {
        return PREFIX + table + ": " + count + COUNTED + first + LAST + last + END;
    }

    /** The hold a record's statement describes, or null if the record holds something else. */
    static UnreadableHold parse(long seq, TableId table, String statement) {
        String head = PREFIX + table + ": ";
        if (statement == null || !statement.startsWith(head)) {
            return null;
        }
        int counted = statement.indexOf(COUNTED, head.length());
        int last = statement.lastIndexOf(LAST);
        if (counted < 0 || last < counted || !statement.endsWith(END)) {
            return null;
        }
        return new UnreadableHold(seq, Long.parseLong(statement.substring(head.length(), counted)),
                statement.substring(counted + COUNTED.length(), last),
                statement.substring(last + LAST.length(), statement.length() - END.length()));
    }

    /** Why the table is held, for the record's detail and the log: table, column, position, reason, fix. */
    static String detail(ChangeEvent first) {
        return first.table() + " is held: the source reader cannot read its changes: " + first.unreadableMessage()
                + ". Fix: " + fix(first) + ".";
    }

    /** What the operator does at the source, then the decision that releases the table. */
    private static String fix(ChangeEvent e) {
        String atSource = switch (e.unreadable()) {
            case NO_PRIMARY_KEY -> "add a primary key to the table at the source, or exclude it in 'tables.exclude'";
            case UNSUPPORTED_TYPE -> "change the type of column " + e.unreadableColumn() + " at the source to one"
                    + " Ferry carries, or exclude the table in 'tables.exclude'";
            case ZERO_DATE -> "at the source, set column " + e.unreadableColumn() + " to NULL or a real date in the"
                    + " rows that hold such a value, and add NO_ZERO_DATE,NO_ZERO_IN_DATE and a strict mode to the"
                    + " sql_mode of the applications that write it, or exclude the table in 'tables.exclude'";
            case UNPARSEABLE_STATEMENT -> "run the statement at the target yourself (or as manual_sql), then make"
                    + " the table readable again: exclude it in 'tables.exclude' and restart, recreate it at the source"
                    + " with a CREATE TABLE the reader parses, or start the channel afresh ('startup: initial');"
                    + " until then each later change of the table holds it again";
        };
        return atSource + "; then set outcome = 'skip' on the hold's row of ferry.ferry_ddl: the changes that could"
                + " not be read are dropped (their count and positions stay in its statement), the table's later"
                + " changes apply; then 'ferry verify --repair' brings the rows they touched. 'retry' cannot apply"
                + " them; 'manual' runs manual_sql, then skips";
    }
}
