package dev.ferry.common;

import java.io.Serializable;
import java.util.Objects;

/** A MySQL table name: database plus table, both unquoted. */
public final class TableId implements Serializable, Comparable<TableId> {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;

    public TableId(String database, String table) {
        this.database = Objects.requireNonNull(database, "database");
        this.table = Objects.requireNonNull(table, "table");
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableId other && database.equals(other.database) && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return 31 * database.hashCode() + table.hashCode();
    }

    @Override
    public int compareTo(TableId o) {
        int c = database.compareTo(o.database);
        return c != 0 ? c : table.compareTo(o.table);
    }

    /** {@code db.table}, unquoted: the form the table filter regexes match against. */
    @Override
    public String toString() {
        return database + "." + table;
    }
}
