package dev.ferry.dialect;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.SchemaTranslator;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;

/**
 * What the sink needs to know about one target database: how to name things, how to write a
 * row, and how to bind Ferry's values. One small class per database, chosen by JDBC URL.
 */
public interface Dialect extends Serializable {

    /** A human name for error messages, such as "MySQL 8.0.20+". */
    String name();

    /** Quotes one identifier, escaping the quote character inside it, after {@link #targetName}. */
    String quoteIdentifier(String identifier);

    /** The target's spelling of a MySQL name (see {@link dev.ferry.dialect.schema.IdentifierCase}), unquoted. */
    default String targetName(String sourceName) {
        return sourceName;
    }

    /**
     * Target DDL from structured schema changes, or {@code null} for MySQL and MariaDB, where the source's
     * statement is replayed as it is.
     */
    default SchemaTranslator schema() {
        return null;
    }

    /** An SQL expression for the current time in UTC, with microseconds where the database has them. */
    default String currentUtcTimestamp() {
        return "UTC_TIMESTAMP(6)";
    }

    /** {@code column = ?} for one of Ferry's own long text columns (Oracle cannot compare a CLOB with {@code =}). */
    default String storedTextEquals(String column) {
        return column + " = ?";
    }

    /** Whether the database stores an empty string or binary value as NULL, so that the two cannot be told apart. */
    default boolean emptyIsNull() {
        return false;
    }

    /** Whether an error is a duplicate primary or unique key. */
    default boolean isDuplicateKey(SQLException e) {
        return e instanceof SQLIntegrityConstraintViolationException || e.getErrorCode() == 1062;
    }

    /**
     * SQL reading the target's columns of one table, binding (schema, table) as {@link #targetName} spells
     * them: column name, data type, character set (or NULL), length (see {@link ColumnInfo}).
     */
    default String columnInfoQuery() {
        return "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME,"
                + " COALESCE(CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, 0) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    }

    /**
     * SQL reading the target's generated columns, whose values it computes itself and refuses from a writer,
     * binding (schema, table): column name; null where Ferry does not ask (its PostgreSQL and Oracle tables have
     * none: it creates them with plain columns).
     */
    default String generatedColumnsQuery() {
        return "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " AND GENERATION_EXPRESSION <> ''"; // MySQL: '' for other columns (also DEFAULT_GENERATED); MariaDB: NULL
    }

    /**
     * SQL reading the target's unique keys other than the primary key, binding (schema, table): index
     * name, column name, ordered by index and position.
     */
    default String uniqueKeysQuery() {
        return "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'"
                + " ORDER BY INDEX_NAME, SEQ_IN_INDEX";
    }

    /** {@code db.table}, each part quoted on its own. */
    default String quoteTable(TableId table) {
        return quoteIdentifier(table.database()) + "." + quoteIdentifier(table.table());
    }

    /** Inserts a whole row, or overwrites the row with the same primary key. Binds every column in order. */
    String upsert(TableId table, RowSchema schema);

    /** Deletes the row with the given primary key. Binds the key columns in key order. */
    default String deleteByKey(TableId table, RowSchema schema) {
        return "DELETE FROM " + quoteTable(table) + " WHERE " + keyEquals(schema, "");
    }

    /** Inserts a whole row; fails with a duplicate-key error if the key (or a unique key) exists. Binds every column. */
    default String insert(TableId table, RowSchema schema) {
        StringBuilder columns = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < schema.size(); i++) {
            columns.append(i == 0 ? "" : ", ").append(quoteIdentifier(schema.column(i)));
            marks.append(i == 0 ? "?" : ", ?");
        }
        return "INSERT INTO " + quoteTable(table) + " (" + columns + ") VALUES (" + marks + ")";
    }

    /** {@code k1 = ? AND k2 = ?} in key order, each column prefixed with {@code qualifier} (such as {@code t.}). */
    default String keyEquals(RowSchema schema, String qualifier) {
        StringBuilder where = new StringBuilder();
        for (int k : schema.keyIndexes()) {
            where.append(where.length() == 0 ? "" : " AND ").append(qualifier).append(quoteIdentifier(schema.column(k)))
                    .append(" = ?");
        }
        return where.toString();
    }

    /**
     * A null-safe, exact comparison of one stored column with one parameter, e.g.
     * {@code `c` <=> ?}. Exact means byte for byte for text (no collation folding), bit for bit for
     * FLOAT, and by value for JSON.
     */
    default String nullSafeEquals(String quotedColumn, ColumnInfo column) {
        return nullSafeEquals(quotedColumn, column, "?");
    }

    /** As {@link #nullSafeEquals(String, ColumnInfo)}, comparing with the SQL expression {@code value}. */
    String nullSafeEquals(String quotedColumn, ColumnInfo column, String value);

    /**
     * Locks and checks many rows in one statement: for row {@code i} of {@code rows}, whether the
     * target has its key and whether the guard columns hold its values. Selects {@code i}, found,
     * matches. Binds per row: {@code i}, the key columns, the guard columns (as {@link #bindForCompare}).
     */
    String probeRows(TableId table, RowSchema schema, ColumnInfo[] guards, int rows);

    /**
     * Whether {@link #probeRows} locks the rows it finds, so that rows it found fitting may then be written by key
     * alone. Where it cannot (Oracle), updates and deletes keep their before image in their own WHERE clause.
     */
    default boolean probeLocksRows() {
        return true;
    }

    /**
     * Updates the row found by the before image's key, only if its {@code guards} columns still hold
     * the before image's values: no row updated means a conflict. Binds every column of the after
     * image, then the key and the guard columns of the before image (see {@link #bindForCompare}).
     */
    default String guardedUpdate(TableId table, RowSchema schema, ColumnInfo[] guards) {
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < schema.size(); i++) {
            set.append(i == 0 ? "" : ", ").append(quoteIdentifier(schema.column(i))).append(" = ?");
        }
        return "UPDATE " + quoteTable(table) + " SET " + set + " WHERE " + keyAndGuards(schema, guards);
    }

    /** Deletes the row found by the key, only if its guard columns still hold the before image's values. */
    default String guardedDelete(TableId table, RowSchema schema, ColumnInfo[] guards) {
        return "DELETE FROM " + quoteTable(table) + " WHERE " + keyAndGuards(schema, guards);
    }

    /**
     * Touches nothing but counts 1 if the row with the image's key holds exactly the image's guard
     * column values: a batched "is the target already this row?". Binds as {@link #guardedDelete}.
     */
    default String matchesRow(TableId table, RowSchema schema, ColumnInfo[] guards) {
        String firstKey = quoteIdentifier(schema.column(schema.keyIndexes()[0]));
        return "UPDATE " + quoteTable(table) + " SET " + firstKey + " = " + firstKey + " WHERE "
                + keyAndGuards(schema, guards);
    }

    /** {@code <exact compare of c1> AND <exact compare of c2> ...}, binding one value per column; empty if none. */
    default String columnsEqual(ColumnInfo[] columns) {
        StringBuilder same = new StringBuilder();
        for (ColumnInfo c : columns) {
            same.append(same.length() == 0 ? "" : " AND ").append(nullSafeEquals(quoteIdentifier(c.name()), c));
        }
        return same.toString();
    }

    /** {@code k1 = ? AND k2 = ? AND <exact compare of each guard column>}. */
    default String keyAndGuards(RowSchema schema, ColumnInfo[] guards) {
        StringBuilder where = new StringBuilder(keyEquals(schema, ""));
        for (ColumnInfo g : guards) {
            where.append(" AND ").append(nullSafeEquals(quoteIdentifier(g.name()), g));
        }
        return where.toString();
    }

    /** The result columns of {@link #probeRows}, {@link #lockConflictRow} and {@link #lockConflictRows}, read by name. */
    String PROBE_INDEX = "i";
    String PROBE_FOUND = "ferry_found";
    String PROBE_FITS = "ferry_fits";
    String PROBE_ROW = "ferry_row";
    String PROBE_ORDER = "ferry_order";

    /**
     * Locks and reads the target row with a given key, for a conflict: the row as JSON text (for the
     * record, {@link #PROBE_ROW}), whether its compared columns equal an image ({@link #PROBE_FITS}), and how a
     * version value orders against its version column ({@link #PROBE_ORDER}: 1 newer, 0 equal, -1 older; NULL is
     * older than any value). Binds the image's compared columns, then the version value three times (if any), then
     * the key.
     */
    String lockConflictRow(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version);

    /**
     * As {@link #lockConflictRow} for many rows in one statement: for row {@code i} of {@code rows}, selects
     * {@link #PROBE_INDEX}, {@link #PROBE_FOUND}, and the columns {@link #lockConflictRow} selects.
     * Binds per row: {@code i}, the key columns, the compared columns of the image (as {@link #bindForCompare}),
     * then the version value, once, if a version column is given. Null where one statement cannot lock the rows
     * it joins (Oracle): conflicts are then resolved one row at a time.
     */
    default String lockConflictRows(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version,
            int rows) {
        return null;
    }

    /** Locks the rows whose unique key {@code uniqueColumns} holds the given values; selects their primary key. */
    default String lockByUniqueKey(TableId table, RowSchema schema, List<ColumnInfo> uniqueColumns) {
        StringBuilder keys = new StringBuilder();
        for (int k : schema.keyIndexes()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(quoteIdentifier(schema.column(k)));
        }
        StringBuilder where = new StringBuilder();
        for (ColumnInfo u : uniqueColumns) {
            where.append(where.length() == 0 ? "" : " AND ").append(nullSafeEquals(quoteIdentifier(u.name()), u));
        }
        return "SELECT " + keys + " FROM " + quoteTable(table) + " WHERE " + where + " FOR UPDATE";
    }

    /** Statements to run once on every new apply connection, before any change. */
    List<String> sessionSetup();

    /**
     * Whether the apply session checks no foreign keys ({@link #sessionSetup}), so that rows of different tables
     * may be written in another order inside one target transaction than the source wrote them.
     */
    default boolean applyIgnoresForeignKeys() {
        return false;
    }

    /** Binds one of Ferry's values (see {@link dev.ferry.common.ChangeEvent}) to a parameter. */
    void bind(PreparedStatement statement, int index, Object value) throws SQLException;

    /** Binds a value for {@link #nullSafeEquals} of {@code column}. */
    default void bindForCompare(PreparedStatement statement, int index, Object value, ColumnInfo column)
            throws SQLException {
        bind(statement, index, value);
    }
}
