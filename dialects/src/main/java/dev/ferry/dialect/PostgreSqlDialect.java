package dev.ferry.dialect;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.IdentifierCase;
import dev.ferry.dialect.schema.PostgreSqlCatalog;
import dev.ferry.dialect.schema.PostgreSqlSchema;
import dev.ferry.dialect.schema.SchemaTranslator;
import dev.ferry.dialect.schema.TargetNames;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.StringJoiner;

/**
 * PostgreSQL 12+ through pgjdbc. The connection needs {@code stringtype=unspecified}, so that a bound string
 * becomes a JSON document, or any other type, from the column it is written to. A MySQL database is a
 * PostgreSQL schema of the same name; names longer than PostgreSQL's 63 bytes are refused (PostgreSQL would
 * silently cut them).
 */
public final class PostgreSqlDialect extends TargetDialect {
    /** Key-value pairs per json_build_object call: PostgreSQL functions take at most 100 arguments. */
    private static final int JSON_COLUMNS_PER_CALL = 50;

    private static final long serialVersionUID = 1L;
    /** NAMEDATALEN - 1. */
    public static final int IDENTIFIER_LIMIT = 63;

    private final PostgreSqlSchema schema;

    public PostgreSqlDialect() {
        this(IdentifierCase.PRESERVE);
    }

    public PostgreSqlDialect(IdentifierCase identifierCase) {
        super(new TargetNames(identifierCase, IDENTIFIER_LIMIT, "PostgreSQL"));
        this.schema = new PostgreSqlSchema(this);
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public SchemaTranslator schema() {
        return schema;
    }

    @Override
    public String currentUtcTimestamp() {
        // the statement's start, as MySQL's UTC_TIMESTAMP(6), not the transaction's
        return "(statement_timestamp() AT TIME ZONE 'UTC')";
    }

    @Override
    public boolean isDuplicateKey(SQLException e) {
        return anyInChain(e, s -> "23505".equals(s.getSQLState()));
    }

    /**
     * The type is {@code format_type} without its modifier ({@code character varying}, {@code numeric}), so
     * that a cast to it never cuts or rounds a value; the character set is the database's encoding.
     */
    @Override
    public String columnInfoQuery() {
        return PostgreSqlCatalog.columns("a.attname, format_type(a.atttypid, NULL),"
                + " CASE WHEN t.typcategory = 'S' THEN getdatabaseencoding() END,"
                + " CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4"
                + " WHEN t.typname IN ('bit', 'varbit') THEN a.atttypmod ELSE 0 END",
                " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid");
    }

    @Override
    public String uniqueKeysQuery() {
        return PostgreSqlCatalog.indexColumns("i.relname, a.attname", " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid",
                "x.indisunique AND NOT x.indisprimary", "i.relname, k.ord");
    }

    @Override
    public String upsert(TableId table, RowSchema schema) {
        StringJoiner keys = new StringJoiner(", ");
        for (int k : schema.keyIndexes()) {
            keys.add(quoteIdentifier(schema.column(k)));
        }
        StringJoiner updates = new StringJoiner(", ");
        for (int i = 0; i < schema.size(); i++) {
            if (!schema.isKey(i)) {
                String c = quoteIdentifier(schema.column(i));
                updates.add(c + " = EXCLUDED." + c);
            }
        }
        // an all-key table: an existing row already is the wanted row
        String action = updates.length() == 0 ? "DO NOTHING" : "DO UPDATE SET " + updates;
        return insert(table, schema) + " ON CONFLICT (" + keys + ") " + action;
    }

    /** {@code c IS NOT DISTINCT FROM CAST(v AS type)}: null-safe, and exact for text under a deterministic collation. */
    @Override
    public String nullSafeEquals(String quotedColumn, ColumnInfo column, String value) {
        return quotedColumn + " IS NOT DISTINCT FROM " + typed(value, column);
    }

    @Override
    protected String typed(String expression, ColumnInfo column) {
        return "CAST(" + expression + " AS " + column.dataType() + ")";
    }

    @Override
    protected String asValue(String condition) {
        return condition;
    }

    @Override
    protected String jsonObject(RowSchema schema, String qualifier) {
        if (schema.size() <= JSON_COLUMNS_PER_CALL) {
            return "json_build_object(" + jsonPairs(schema, qualifier, 0, schema.size()) + ")::text";
        }
        // a function takes at most 100 arguments: wider rows are merged from objects of 50 columns
        StringJoiner parts = new StringJoiner(" || ", "(", ")::text");
        for (int from = 0; from < schema.size(); from += JSON_COLUMNS_PER_CALL) {
            parts.add("jsonb_build_object("
                    + jsonPairs(schema, qualifier, from, Math.min(schema.size(), from + JSON_COLUMNS_PER_CALL)) + ")");
        }
        return parts.toString();
    }

    private String jsonPairs(RowSchema schema, String qualifier, int from, int to) {
        StringJoiner json = new StringJoiner(", ");
        for (int i = from; i < to; i++) {
            json.add(jsonKey(schema.column(i)) + ", " + qualifier + quoteIdentifier(schema.column(i)));
        }
        return json.toString();
    }

    /**
     * One SELECT per row, joined by UNION ALL: {@code FROM (SELECT CAST(? AS integer) AS "i") p LEFT JOIN LATERAL
     * (SELECT * FROM t WHERE k = ? FOR UPDATE) t ON TRUE CROSS JOIN (SELECT CAST(? AS type) AS "g0") g}.
     * PostgreSQL cannot lock the nullable side of an outer join, but it can lock inside the lateral
     * subquery; the key parameter takes its type from the key column, and the parameters appear in the
     * binding order (i, keys, guards).
     */
    @Override
    public String probeRows(TableId table, RowSchema schema, ColumnInfo[] guards, int rows) {
        return perRow(rows, "SELECT p.\"i\", " + found(schema) + " AS " + PROBE_FOUND + ", " + matches(guards) + " AS "
                + PROBE_FITS + lockedRow(table, schema, guards, null));
    }

    /** As {@link #probeRows}, also selecting the row as JSON and the version order (the version bound once per row). */
    @Override
    public String lockConflictRows(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version,
            int rows) {
        String order = "NULL";
        if (version != null) {
            String v = "t." + quoteIdentifier(version.name());
            String p = "g.\"ver\"";
            order = "CASE WHEN " + p + " IS NULL THEN CASE WHEN " + v + " IS NULL THEN 0 ELSE -1 END WHEN " + v
                    + " IS NULL OR " + p + " > " + v + " THEN 1 WHEN " + p + " = " + v + " THEN 0 ELSE -1 END";
        }
        return perRow(rows, "SELECT p.\"i\", " + found(schema) + " AS " + PROBE_FOUND + ", " + jsonObject(schema, "t.")
                + " AS " + PROBE_ROW + ", " + matches(compared) + " AS " + PROBE_FITS + ", " + order + " AS " + PROBE_ORDER
                + lockedRow(table, schema, compared, version));
    }

    private static String perRow(int rows, String one) {
        StringJoiner all = new StringJoiner(" UNION ALL ");
        for (int r = 0; r < rows; r++) {
            all.add(one);
        }
        return all.toString();
    }

    private String found(RowSchema schema) {
        return "t." + quoteIdentifier(schema.column(schema.keyIndexes()[0])) + " IS NOT NULL";
    }

    private String matches(ColumnInfo[] compared) {
        StringJoiner matches = new StringJoiner(" AND ");
        for (int g = 0; g < compared.length; g++) {
            matches.add(nullSafeEquals("t." + quoteIdentifier(compared[g].name()), compared[g],
                    "g." + quoteVerbatim("g" + g)));
        }
        return compared.length == 0 ? "TRUE" : matches.toString();
    }

    /**
     * {@code FROM (SELECT CAST(? AS integer) AS "i") p LEFT JOIN LATERAL (SELECT * FROM t WHERE k = ? FOR UPDATE) t
     * ON TRUE CROSS JOIN (SELECT CAST(? AS type) AS "g0", ... [, CAST(? AS type) AS "ver"]) g}. PostgreSQL cannot
     * lock the nullable side of an outer join, but it can lock inside the lateral subquery; the key parameter takes
     * its type from the key column, and the parameters appear in the binding order (i, keys, compared, version).
     */
    private String lockedRow(TableId table, RowSchema schema, ColumnInfo[] compared, ColumnInfo version) {
        StringJoiner values = new StringJoiner(", ");
        for (int g = 0; g < compared.length; g++) {
            values.add(typed("?", compared[g]) + " AS " + quoteVerbatim("g" + g));
        }
        if (version != null) {
            values.add(typed("?", version) + " AS \"ver\"");
        }
        return " FROM (SELECT CAST(? AS integer) AS \"i\") p LEFT JOIN LATERAL (SELECT * FROM " + quoteTable(table)
                + " WHERE " + keyEquals(schema, "") + " FOR UPDATE) t ON TRUE"
                + (values.length() == 0 ? "" : " CROSS JOIN (SELECT " + values + ") g");
    }

    @Override
    public List<String> sessionSetup() {
        return List.of(
                "SET TIME ZONE 'UTC'",
                // the interval text Ferry binds for TIME ('-838:59:59.000000') and dates in ISO form
                "SET intervalstyle = 'postgres'",
                "SET datestyle = 'ISO, YMD'",
                // DDL defaults are written as standard literals: a backslash is just a backslash
                "SET standard_conforming_strings = on",
                // PostgreSQL waits for a lock for ever: a blocked apply fails instead and is retried
                "SET lock_timeout = '20s'",
                // a writer that died without closing its connection (a lost TaskManager) would keep its
                // transaction's row locks; the server ends such a transaction after this idle time
                "SET idle_in_transaction_session_timeout = '15s'");
    }

    /** PostgreSQL text cannot hold U+0000, which MySQL allows: stop rather than store something else. */
    @Override
    protected void bindString(PreparedStatement ps, int index, String s) throws SQLException {
        if (s.indexOf('\u0000') >= 0) {
            throw new SQLException("a text value holds the NUL character (U+0000), which PostgreSQL text cannot store;"
                    + " Ferry stops rather than change the value. Fix: remove NUL characters from the column at the"
                    + " source, or leave the table out with 'tables.exclude'", "22021");
        }
        super.bindString(ps, index, s);
    }

    @Override
    protected void bindNull(PreparedStatement ps, int index) throws SQLException {
        ps.setNull(index, Types.NULL);
    }

    @Override
    protected void bindBoolean(PreparedStatement ps, int index, boolean b) throws SQLException {
        ps.setBoolean(index, b);
    }

    /** As interval text {@code [-]H:MM:SS.ffffff}, sent untyped (Types.OTHER) so PostgreSQL reads it as the column's interval. */
    @Override
    protected void bindTime(PreparedStatement ps, int index, MysqlTime t) throws SQLException {
        ps.setObject(index, t.toSqlLiteral(), Types.OTHER);
    }
}
