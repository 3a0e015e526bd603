package dev.ferry.common;

/** What a {@link ChangeEvent} does to its row. */
public enum Op {
    /** A row copied by the initial snapshot: applied as an upsert, it belongs to no transaction. */
    READ,
    INSERT,
    UPDATE,
    DELETE,
    /**
     * Ferry's own heartbeat row, written into the source every second. It is never applied; it
     * closes the transaction before it and carries the time it was written, for lag.
     */
    HEARTBEAT,
    /**
     * A schema change (CREATE/ALTER/RENAME/TRUNCATE/DROP TABLE, CREATE/DROP INDEX) of a table in the
     * channel. Its after image holds one value: the statement, as the source's binlog has it.
     */
    DDL,
    /**
     * A row change of a table in the channel that the source reader could not turn into values (the table has no
     * primary key, a column has a type Ferry cannot carry exactly): it holds only its table. Its after image holds
     * three values: the reason (a {@code ChangeEvent.Unreadable} name), the column (empty if none) and the message.
     * Appended last: the ordinal is the op's tag in state and in ferry_held.
     */
    UNDECODABLE
}
