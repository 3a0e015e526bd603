package dev.ferry.dialect;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.TargetNames;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * What PostgreSQL and Oracle share: double-quoted names spelled by {@link TargetNames}, the plain INSERT
 * and DELETE, the conflict probe's shape, and binding values as typed JDBC objects (never as text that a
 * session setting could reinterpret).
 *
 * <p>{@link #guardedUpdate}, {@link #guardedDelete}, {@link #matchesRow}, {@link #keyAndGuards} and
 * {@link #lockByUniqueKey} keep {@link Dialect}'s defaults: with these quotes and comparisons they are valid
 * in both databases. {@code matchesRow} is {@code UPDATE t SET k = k WHERE <key and guards>}, whose update
 * count is the number of matching rows in PostgreSQL and Oracle as well.
 */
public abstract class TargetDialect extends AbstractDialect {
    private static final long serialVersionUID = 1L;

    protected final TargetNames names;

    protected TargetDialect(TargetNames names) {
        this.names = names;
    }

    public TargetNames names() {
        return names;
    }

    /** Ferry creates PostgreSQL and Oracle tables with plain columns only: it writes every column. */
    @Override
    public String generatedColumnsQuery() {
        return null;
    }

    @Override
    public String targetName(String sourceName) {
        return names.of(sourceName);
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return quoteVerbatim(targetName(identifier));
    }

    /** Quotes a name that already is in target spelling (an alias, a derived index name). */
    public static String quoteVerbatim(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** An SQL string literal: the only place a text is written into SQL rather than bound. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Whether {@code e}, or an error chained to it (a batch reports the statement's error as its next
     * exception or cause), passes {@code test}.
     */
    protected static boolean anyInChain(SQLException e, Predicate<SQLException> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                if (test.test(s)) {
                    return true;
                }
                if (s.getNextException() != null) {
                    todo.push(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
        }
        return false;
    }

    /** The value {@code expression} converted to {@code column}'s type, so that an untyped parameter resolves. */
    protected abstract String typed(String expression, ColumnInfo column);

    /** A condition as a selectable value (PostgreSQL selects booleans; Oracle before 23ai cannot). */
    protected abstract String asValue(String condition);

    /** The row as JSON text, keyed by the MySQL column names; {@code qualifier} prefixes the columns (e.g. "t."). */
    protected abstract String jsonObject(RowSchema schema, String qualifier);

    @Override
    public String lockConflictRow(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version) {
        String same = columnsEqual(compared);
        String order = "NULL";
        if (version != null) {
            String v = quoteIdentifier(version.name());
            String p = typed("?", version);
            // NULL is older than any value; the version value is bound three times
            order = "CASE WHEN " + p + " IS NULL THEN CASE WHEN " + v + " IS NULL THEN 0 ELSE -1 END WHEN " + v
                    + " IS NULL OR " + p + " > " + v + " THEN 1 WHEN " + p + " = " + v + " THEN 0 ELSE -1 END";
        }
        return "SELECT " + jsonObject(schema, "") + " AS " + PROBE_ROW + ", "
                + asValue(compared.length == 0 ? "1 = 1" : same) + " AS " + PROBE_FITS + ", " + order + " AS "
                + PROBE_ORDER + " FROM " + quoteTable(table) + " WHERE " + keyEquals(schema, "") + " FOR UPDATE";
    }


    /** The JSON key for a MySQL column: a string literal. */
    protected static String jsonKey(String sourceColumn) {
        return literal(sourceColumn);
    }
}
