package dev.ferry.dialect;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.IdentifierCase;
import dev.ferry.dialect.schema.OracleSchema;
import dev.ferry.dialect.schema.SchemaTranslator;
import dev.ferry.dialect.schema.TargetNames;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Oracle 12.2+ through ojdbc8 or newer. A MySQL database is an Oracle user (schema) of the same name.
 *
 * <p>Oracle stores {@code ''} as NULL, so a MySQL empty string arrives as NULL and compares equal to NULL
 * (see {@link #nullSafeEquals}). CLOB and BLOB columns compare with {@code DBMS_LOB.COMPARE}, with NULL
 * and empty alike for the same reason.
 */
public final class OracleDialect extends TargetDialect {
    private static final long serialVersionUID = 1L;
    /** Oracle 12.2+; databases with COMPATIBLE below 12.2 allow 30. */
    public static final int DEFAULT_IDENTIFIER_LIMIT = 128;
    /** Longer strings and byte arrays are bound as LOBs: a plain bind cannot carry more into SQL. */
    private static final int MAX_VARCHAR_BIND_BYTES = 4000;
    private static final int MAX_RAW_BIND_BYTES = 2000;

    private final OracleSchema schema;

    public OracleDialect() {
        this(IdentifierCase.UPPER, DEFAULT_IDENTIFIER_LIMIT);
    }

    public OracleDialect(IdentifierCase identifierCase) {
        this(identifierCase, DEFAULT_IDENTIFIER_LIMIT);
    }

    /** @param identifierLimit the longest name in bytes: 128, or 30 for COMPATIBLE below 12.2 */
    public OracleDialect(IdentifierCase identifierCase, int identifierLimit) {
        super(new TargetNames(identifierCase, identifierLimit, "Oracle"));
        this.schema = new OracleSchema(this);
    }

    @Override
    public String name() {
        return "Oracle";
    }

    /** {@code ''} is NULL in Oracle (see above). */
    @Override
    public boolean emptyIsNull() {
        return true;
    }

    @Override
    public SchemaTranslator schema() {
        return schema;
    }

    @Override
    public String currentUtcTimestamp() {
        return "SYS_EXTRACT_UTC(SYSTIMESTAMP)";
    }

    /** Ferry's JSON columns are CLOBs in Oracle, which {@code =} cannot compare. */
    @Override
    public String storedTextEquals(String column) {
        return "DBMS_LOB.COMPARE(" + column + ", TO_CLOB(?)) = 0";
    }

    /** ORA-00001 only: ojdbc also reports NOT NULL and CHECK violations as integrity constraint violations. */
    @Override
    public boolean isDuplicateKey(SQLException e) {
        return anyInChain(e, s -> s.getErrorCode() == 1);
    }

    @Override
    public String columnInfoQuery() {
        return "SELECT COLUMN_NAME, DATA_TYPE,"
                + " CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR2', 'CLOB') THEN (SELECT VALUE FROM NLS_DATABASE_PARAMETERS"
                + " WHERE PARAMETER = 'NLS_CHARACTERSET') END,"
                + " CASE WHEN CHAR_USED = 'C' THEN CHAR_LENGTH WHEN DATA_TYPE = 'NUMBER' THEN NVL(DATA_PRECISION, 0)"
                + " ELSE NVL(DATA_LENGTH, 0) END"
                + " FROM ALL_TAB_COLUMNS WHERE OWNER = ? AND TABLE_NAME = ? ORDER BY COLUMN_ID";
    }

    @Override
    public String uniqueKeysQuery() {
        return "SELECT ic.INDEX_NAME, ic.COLUMN_NAME FROM ALL_INDEXES ix JOIN ALL_IND_COLUMNS ic"
                + " ON ic.INDEX_OWNER = ix.OWNER AND ic.INDEX_NAME = ix.INDEX_NAME"
                + " WHERE ix.TABLE_OWNER = ? AND ix.TABLE_NAME = ? AND ix.UNIQUENESS = 'UNIQUE'"
                + " AND NOT EXISTS (SELECT 1 FROM ALL_CONSTRAINTS k WHERE k.OWNER = ix.TABLE_OWNER"
                + " AND k.TABLE_NAME = ix.TABLE_NAME AND k.CONSTRAINT_TYPE = 'P' AND k.INDEX_NAME = ix.INDEX_NAME)"
                + " ORDER BY ic.INDEX_NAME, ic.COLUMN_POSITION";
    }

    /** A MERGE from one DUAL row; {@code WHEN MATCHED} is left out when every column is a key column. */
    @Override
    public String upsert(TableId table, RowSchema schema) {
        StringJoiner source = new StringJoiner(", ");
        StringJoiner columns = new StringJoiner(", ");
        StringJoiner values = new StringJoiner(", ");
        StringJoiner updates = new StringJoiner(", ");
        for (int i = 0; i < schema.size(); i++) {
            String c = quoteIdentifier(schema.column(i));
            source.add("? AS " + c);
            columns.add(c);
            values.add("s." + c);
            if (!schema.isKey(i)) {
                updates.add(c + " = s." + c);
            }
        }
        StringJoiner on = new StringJoiner(" AND ");
        for (int k : schema.keyIndexes()) {
            String c = quoteIdentifier(schema.column(k));
            on.add("t." + c + " = s." + c);
        }
        return "MERGE INTO " + quoteTable(table) + " t USING (SELECT " + source + " FROM DUAL) s ON (" + on + ")"
                + (updates.length() == 0 ? "" : " WHEN MATCHED THEN UPDATE SET " + updates)
                + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES (" + values + ")";
    }

    /**
     * {@code DECODE(c, v, 1, 0) = 1}: DECODE treats two NULLs as equal, and compares text binary under
     * {@code NLS_COMP=BINARY} (set by {@link #sessionSetup}). Because Oracle stores {@code ''} as NULL, a
     * MySQL {@code ''} and NULL compare equal here: a change between the two is invisible to the guards.
     * CLOB and BLOB columns, which DECODE cannot compare, use {@code DBMS_LOB.COMPARE} with NULL read as
     * the empty LOB (the same '' = NULL equivalence).
     */
    @Override
    public String nullSafeEquals(String quotedColumn, ColumnInfo column, String value) {
        return switch (column.dataType()) {
            case "clob", "nclob" -> "DBMS_LOB.COMPARE(NVL(" + quotedColumn + ", EMPTY_CLOB()), NVL(TO_CLOB(" + value
                    + "), EMPTY_CLOB())) = 0";
            case "blob" -> "DBMS_LOB.COMPARE(NVL(" + quotedColumn + ", EMPTY_BLOB()), NVL(TO_BLOB(" + value
                    + "), EMPTY_BLOB())) = 0";
            default -> "DECODE(" + quotedColumn + ", " + typed(value, column) + ", 1, 0) = 1";
        };
    }

    /** A cast to the column's type (text to the widest VARCHAR2, so that nothing is cut). */
    @Override
    protected String typed(String expression, ColumnInfo column) {
        String type = column.dataType();
        if (type.startsWith("varchar") || type.startsWith("char") || type.startsWith("nvarchar")
                || type.startsWith("nchar")) {
            return "CAST(" + expression + " AS VARCHAR2(4000))";
        }
        if (type.equals("raw")) {
            return "CAST(" + expression + " AS RAW(2000))";
        }
        if (type.equals("clob") || type.equals("nclob")) {
            return "TO_CLOB(" + expression + ")";
        }
        if (type.equals("blob")) {
            return "TO_BLOB(" + expression + ")";
        }
        if (type.equals("number") || type.startsWith("binary_") || type.equals("date") || type.startsWith("timestamp")
                || type.startsWith("interval")) {
            return "CAST(" + expression + " AS " + type.toUpperCase(Locale.ROOT) + ")";
        }
        return expression;
    }

    @Override
    protected String asValue(String condition) {
        return "CASE WHEN " + condition + " THEN 1 ELSE 0 END";
    }

    /**
     * {@code RETURNING CLOB}: the default VARCHAR2(4000) result would fail on a large row. Oracle writes
     * RAW as hex and temporal values as ISO text; INTERVAL (MySQL TIME) columns need a JSON_OBJECT that
     * accepts them (H2 does not; the Oracle integration test must cover a TIME column).
     */
    @Override
    protected String jsonObject(RowSchema schema, String qualifier) {
        StringJoiner json = new StringJoiner(", ");
        for (int i = 0; i < schema.size(); i++) {
            json.add("KEY " + jsonKey(schema.column(i)) + " VALUE " + qualifier + quoteIdentifier(schema.column(i)));
        }
        return "JSON_OBJECT(" + json + " RETURNING CLOB)";
    }

    /**
     * {@code SELECT v."i", found, matches FROM (SELECT ? AS "i", ? AS "k0", CAST(? AS type) AS "g0" FROM DUAL
     * UNION ALL ...) v LEFT JOIN t ON t.k = v."k0"}, WITHOUT a lock: Oracle cannot lock rows through a join
     * with a UNION view (ORA-02014). So it only answers questions that a later write re-checks or that need no
     * lock (does an echo's row already hold the home site's version? is an insert's key free?), never which
     * updates or deletes may be written by key alone (see {@link #probeLocksRows}); found and matches are 1 or 0.
     */
    @Override
    public boolean probeLocksRows() {
        return false;
    }

    @Override
    public String probeRows(TableId table, RowSchema schema, ColumnInfo[] guards, int rows) {
        int[] keys = schema.keyIndexes();
        StringJoiner first = new StringJoiner(", ", "SELECT ", " FROM DUAL");
        StringJoiner more = new StringJoiner(", ", "SELECT ", " FROM DUAL");
        first.add("? AS \"i\"");
        more.add("?");
        StringJoiner join = new StringJoiner(" AND ");
        for (int k = 0; k < keys.length; k++) {
            first.add("? AS " + quoteVerbatim("k" + k));
            more.add("?");
            join.add("t." + quoteIdentifier(schema.column(keys[k])) + " = v." + quoteVerbatim("k" + k));
        }
        StringJoiner matches = new StringJoiner(" AND ");
        for (int g = 0; g < guards.length; g++) {
            // typed, so that a NULL in the first row does not give the UNION a different column type
            first.add(typed("?", guards[g]) + " AS " + quoteVerbatim("g" + g));
            more.add(typed("?", guards[g]));
            matches.add(nullSafeEquals("t." + quoteIdentifier(guards[g].name()), guards[g], "v." + quoteVerbatim("g" + g)));
        }
        StringJoiner values = new StringJoiner(" UNION ALL ");
        values.add(first.toString());
        for (int r = 1; r < rows; r++) {
            values.add(more.toString());
        }
        String firstKey = "t." + quoteIdentifier(schema.column(keys[0]));
        return "SELECT v.\"i\", " + asValue(firstKey + " IS NOT NULL") + " AS " + PROBE_FOUND + ", "
                + asValue(guards.length == 0 ? "1 = 1" : matches.toString()) + " AS " + PROBE_FITS + " FROM (" + values + ") v LEFT JOIN "
                + quoteTable(table) + " t ON " + join;
    }

    @Override
    public List<String> sessionSetup() {
        return List.of(
                "ALTER SESSION SET TIME_ZONE = '+00:00'",
                // text compares and sorts byte for byte: no linguistic folding may hide a change
                "ALTER SESSION SET NLS_COMP = BINARY",
                "ALTER SESSION SET NLS_SORT = BINARY",
                // TIME is bound as interval text; numbers never are, but an implicit conversion must not see ','
                "ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'");
    }

    @Override
    protected void bindNull(PreparedStatement ps, int index) throws SQLException {
        // ojdbc refuses Types.NULL; a NULL VARCHAR2 converts to any column type
        ps.setNull(index, Types.VARCHAR);
    }

    @Override
    protected void bindString(PreparedStatement ps, int index, String s) throws SQLException {
        if (s.length() > MAX_VARCHAR_BIND_BYTES / 4 && s.getBytes(StandardCharsets.UTF_8).length > MAX_VARCHAR_BIND_BYTES) {
            ps.setClob(index, new StringReader(s), s.length());
        } else {
            ps.setString(index, s);
        }
    }

    @Override
    protected void bindBytes(PreparedStatement ps, int index, byte[] b) throws SQLException {
        if (b.length > MAX_RAW_BIND_BYTES) {
            ps.setBlob(index, new ByteArrayInputStream(b), b.length);
        } else {
            ps.setBytes(index, b);
        }
    }

    /** BIT(1) is NUMBER(1): 1 or 0. */
    @Override
    protected void bindBoolean(PreparedStatement ps, int index, boolean b) throws SQLException {
        ps.setInt(index, b ? 1 : 0);
    }

    /** As INTERVAL DAY TO SECOND text {@code [-]D HH:MM:SS.ffffff}, which Oracle converts to the column type. */
    @Override
    protected void bindTime(PreparedStatement ps, int index, MysqlTime t) throws SQLException {
        ps.setString(index, intervalText(t));
    }

    /** INTERVAL DAY TO SECOND text, {@code [-]D HH:MM:SS.ffffff}. */
    public static String intervalText(MysqlTime t) {
        long abs = Math.abs(t.micros());
        long hours = abs / 3_600_000_000L;
        return String.format("%s%d %02d:%02d:%02d.%06d", t.micros() < 0 ? "-" : "", hours / 24, hours % 24,
                abs / 60_000_000L % 60, abs / 1_000_000L % 60, abs % 1_000_000L);
    }
}
