package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.IdentifierCase;
import dev.ferry.dialect.schema.UntranslatableDdlException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact SQL of the Oracle dialect; {@link OracleOnH2Test} runs it. */
class OracleDialectTest {
    private static final TableId TABLE = new TableId("shop", "order\"items");
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "select", "na`me"}, new int[] {0});
    private static final RowSchema ALL_KEY = new RowSchema(new String[] {"a", "b"}, new int[] {1, 0});
    private static final ColumnInfo TEXT = new ColumnInfo("select", "VARCHAR2", "AL32UTF8", 20);
    private static final ColumnInfo CLOB = new ColumnInfo("na`me", "CLOB", "AL32UTF8", 4000);

    private final OracleDialect d = new OracleDialect();

    @Test
    void upperCasesByDefaultAndQuotes() {
        assertThat(d.quoteTable(TABLE)).isEqualTo("\"SHOP\".\"ORDER\"\"ITEMS\"");
        assertThat(new OracleDialect(IdentifierCase.PRESERVE).quoteIdentifier("Id")).isEqualTo("\"Id\"");
    }

    @Test
    void theIdentifierLimitIsConfigurable() {
        assertThat(d.targetName("x".repeat(128))).hasSize(128);
        assertThatThrownBy(() -> d.targetName("x".repeat(129))).isInstanceOf(UntranslatableDdlException.class)
                .hasMessageContaining("'" + "X".repeat(129) + "'").hasMessageContaining("at most 128 bytes");
        OracleDialect old = new OracleDialect(IdentifierCase.UPPER, 30);
        assertThatThrownBy(() -> old.quoteIdentifier("a_column_name_of_thirty_one_ch"+ "x"))
                .hasMessageContaining("at most 30 bytes");
        // bytes, not characters: 16 two-byte letters are 32 bytes
        assertThatThrownBy(() -> old.targetName("é".repeat(16))).hasMessageContaining("32 bytes");
    }

    @Test
    void upsertMergesFromOneDualRow() {
        assertThat(d.upsert(TABLE, SCHEMA)).isEqualTo("MERGE INTO \"SHOP\".\"ORDER\"\"ITEMS\" t USING (SELECT"
                + " ? AS \"ID\", ? AS \"SELECT\", ? AS \"NA`ME\" FROM DUAL) s ON (t.\"ID\" = s.\"ID\")"
                + " WHEN MATCHED THEN UPDATE SET \"SELECT\" = s.\"SELECT\", \"NA`ME\" = s.\"NA`ME\""
                + " WHEN NOT MATCHED THEN INSERT (\"ID\", \"SELECT\", \"NA`ME\") VALUES (s.\"ID\", s.\"SELECT\", s.\"NA`ME\")");
    }

    @Test
    void upsertOfAnAllKeyTableOnlyInserts() {
        assertThat(d.upsert(TABLE, ALL_KEY)).isEqualTo("MERGE INTO \"SHOP\".\"ORDER\"\"ITEMS\" t USING (SELECT"
                + " ? AS \"A\", ? AS \"B\" FROM DUAL) s ON (t.\"B\" = s.\"B\" AND t.\"A\" = s.\"A\")"
                + " WHEN NOT MATCHED THEN INSERT (\"A\", \"B\") VALUES (s.\"A\", s.\"B\")");
    }

    @Test
    void insertAndDeleteBindLikeMySql() {
        assertThat(d.insert(TABLE, SCHEMA)).isEqualTo(
                "INSERT INTO \"SHOP\".\"ORDER\"\"ITEMS\" (\"ID\", \"SELECT\", \"NA`ME\") VALUES (?, ?, ?)");
        assertThat(d.deleteByKey(TABLE, ALL_KEY))
                .isEqualTo("DELETE FROM \"SHOP\".\"ORDER\"\"ITEMS\" WHERE \"B\" = ? AND \"A\" = ?");
    }

    @Test
    void comparisonsUseDecodeWithATypedValue() {
        assertThat(d.nullSafeEquals("\"C\"", TEXT)).isEqualTo("DECODE(\"C\", CAST(? AS VARCHAR2(4000)), 1, 0) = 1");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "NUMBER", null, 10)))
                .isEqualTo("DECODE(\"C\", CAST(? AS NUMBER), 1, 0) = 1");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "INTERVAL DAY(2) TO SECOND(6)", null, 0)))
                .isEqualTo("DECODE(\"C\", CAST(? AS INTERVAL DAY(2) TO SECOND(6)), 1, 0) = 1");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "TIMESTAMP(6) WITH TIME ZONE", null, 0)))
                .isEqualTo("DECODE(\"C\", CAST(? AS TIMESTAMP(6) WITH TIME ZONE), 1, 0) = 1");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "RAW", null, 2)))
                .isEqualTo("DECODE(\"C\", CAST(? AS RAW(2000)), 1, 0) = 1");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "BINARY_FLOAT", null, 4)))
                .isEqualTo("DECODE(\"C\", CAST(? AS BINARY_FLOAT), 1, 0) = 1");
    }

    /** H2 has no DBMS_LOB: these run on Oracle only (integration tests). NULL compares as the empty LOB. */
    @Test
    void lobsCompareWithDbmsLobAndNullAsEmpty() {
        assertThat(d.nullSafeEquals("\"C\"", CLOB))
                .isEqualTo("DBMS_LOB.COMPARE(NVL(\"C\", EMPTY_CLOB()), NVL(TO_CLOB(?), EMPTY_CLOB())) = 0");
        assertThat(d.nullSafeEquals("\"C\"", new ColumnInfo("C", "BLOB", null, 4000)))
                .isEqualTo("DBMS_LOB.COMPARE(NVL(\"C\", EMPTY_BLOB()), NVL(TO_BLOB(?), EMPTY_BLOB())) = 0");
    }

    @Test
    void guardedWritesAndMatchesRow() {
        ColumnInfo[] guards = {TEXT};
        String where = " WHERE \"ID\" = ? AND DECODE(\"SELECT\", CAST(? AS VARCHAR2(4000)), 1, 0) = 1";
        assertThat(d.guardedUpdate(TABLE, SCHEMA, guards)).isEqualTo(
                "UPDATE \"SHOP\".\"ORDER\"\"ITEMS\" SET \"ID\" = ?, \"SELECT\" = ?, \"NA`ME\" = ?" + where);
        assertThat(d.guardedDelete(TABLE, SCHEMA, guards)).isEqualTo("DELETE FROM \"SHOP\".\"ORDER\"\"ITEMS\"" + where);
        assertThat(d.matchesRow(TABLE, SCHEMA, guards)).isEqualTo("UPDATE \"SHOP\".\"ORDER\"\"ITEMS\" SET \"ID\" = \"ID\"" + where);
    }

    /** H2 cannot type the bare parameters; OracleOnH2Test adds casts to run it. */
    @Test
    void probeRowsJoinsAUnionOfDualRowsWithoutALock() {
        assertThat(d.probeRows(TABLE, SCHEMA, new ColumnInfo[] {TEXT}, 2)).isEqualTo(
                "SELECT v.\"i\", CASE WHEN t.\"ID\" IS NOT NULL THEN 1 ELSE 0 END AS ferry_found, CASE WHEN"
                        + " DECODE(t.\"SELECT\", CAST(v.\"g0\" AS VARCHAR2(4000)), 1, 0) = 1 THEN 1 ELSE 0 END AS ferry_fits FROM"
                        + " (SELECT ? AS \"i\", ? AS \"k0\", CAST(? AS VARCHAR2(4000)) AS \"g0\" FROM DUAL UNION ALL"
                        + " SELECT ?, ?, CAST(? AS VARCHAR2(4000)) FROM DUAL) v"
                        + " LEFT JOIN \"SHOP\".\"ORDER\"\"ITEMS\" t ON t.\"ID\" = v.\"k0\"");
        assertThat(d.probeRows(TABLE, ALL_KEY, new ColumnInfo[0], 1)).isEqualTo(
                "SELECT v.\"i\", CASE WHEN t.\"B\" IS NOT NULL THEN 1 ELSE 0 END AS ferry_found, CASE WHEN 1 = 1 THEN 1"
                        + " ELSE 0 END AS ferry_fits"
                        + " FROM (SELECT ? AS \"i\", ? AS \"k0\", ? AS \"k1\" FROM DUAL) v"
                        + " LEFT JOIN \"SHOP\".\"ORDER\"\"ITEMS\" t ON t.\"B\" = v.\"k0\" AND t.\"A\" = v.\"k1\"");
    }

    /** H2 has no RETURNING clause in JSON_OBJECT; OracleOnH2Test runs it without. */
    @Test
    void theConflictRowIsAJsonClob() {
        assertThat(d.lockConflictRow(TABLE, SCHEMA, new ColumnInfo[] {TEXT}, new ColumnInfo("na`me", "NUMBER", null, 19)))
                .isEqualTo("SELECT JSON_OBJECT(KEY 'id' VALUE \"ID\", KEY 'select' VALUE \"SELECT\","
                        + " KEY 'na`me' VALUE \"NA`ME\" RETURNING CLOB) AS ferry_row,"
                        + " CASE WHEN DECODE(\"SELECT\", CAST(? AS VARCHAR2(4000)), 1, 0) = 1 THEN 1 ELSE 0 END AS ferry_fits,"
                        + " CASE WHEN CAST(? AS NUMBER) IS NULL THEN CASE WHEN \"NA`ME\" IS NULL THEN 0 ELSE -1 END"
                        + " WHEN \"NA`ME\" IS NULL OR CAST(? AS NUMBER) > \"NA`ME\" THEN 1 WHEN CAST(? AS NUMBER) = \"NA`ME\""
                        + " THEN 0 ELSE -1 END AS ferry_order FROM \"SHOP\".\"ORDER\"\"ITEMS\" WHERE \"ID\" = ? FOR UPDATE");
        assertThat(d.lockByUniqueKey(TABLE, SCHEMA, List.of(TEXT))).isEqualTo("SELECT \"ID\" FROM"
                + " \"SHOP\".\"ORDER\"\"ITEMS\" WHERE DECODE(\"SELECT\", CAST(? AS VARCHAR2(4000)), 1, 0) = 1 FOR UPDATE");
    }

    @Test
    void sessionRunsInUtcWithBinaryComparison() {
        assertThat(d.sessionSetup()).containsExactly("ALTER SESSION SET TIME_ZONE = '+00:00'",
                "ALTER SESSION SET NLS_COMP = BINARY", "ALTER SESSION SET NLS_SORT = BINARY",
                "ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'");
        assertThat(d.currentUtcTimestamp()).isEqualTo("SYS_EXTRACT_UTC(SYSTIMESTAMP)");
        assertThat(d.storedTextEquals("incoming_after")).isEqualTo("DBMS_LOB.COMPARE(incoming_after, TO_CLOB(?)) = 0");
        assertThat(new PostgreSqlDialect().storedTextEquals("incoming_after")).isEqualTo("incoming_after = ?");
    }

    @Test
    void duplicateKeyIsOra00001Only() {
        assertThat(d.isDuplicateKey(new SQLException("ORA-00001: unique constraint violated", "23000", 1))).isTrue();
        assertThat(d.isDuplicateKey(new SQLIntegrityConstraintViolationException(
                "ORA-01400: cannot insert NULL", "23000", 1400))).isFalse();
        SQLException batch = new SQLException("batch failed");
        batch.setNextException(new SQLException("ORA-00001: unique constraint violated", "23000", 1));
        assertThat(d.isDuplicateKey(batch)).isTrue();
    }

    @Test
    void catalogQueriesReadAllTabColumns() {
        assertThat(d.columnInfoQuery()).isEqualTo("SELECT COLUMN_NAME, DATA_TYPE,"
                + " CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR2', 'CLOB') THEN (SELECT VALUE FROM NLS_DATABASE_PARAMETERS"
                + " WHERE PARAMETER = 'NLS_CHARACTERSET') END,"
                + " CASE WHEN CHAR_USED = 'C' THEN CHAR_LENGTH WHEN DATA_TYPE = 'NUMBER' THEN NVL(DATA_PRECISION, 0)"
                + " ELSE NVL(DATA_LENGTH, 0) END"
                + " FROM ALL_TAB_COLUMNS WHERE OWNER = ? AND TABLE_NAME = ? ORDER BY COLUMN_ID");
        assertThat(d.uniqueKeysQuery()).isEqualTo("SELECT ic.INDEX_NAME, ic.COLUMN_NAME FROM ALL_INDEXES ix"
                + " JOIN ALL_IND_COLUMNS ic ON ic.INDEX_OWNER = ix.OWNER AND ic.INDEX_NAME = ix.INDEX_NAME"
                + " WHERE ix.TABLE_OWNER = ? AND ix.TABLE_NAME = ? AND ix.UNIQUENESS = 'UNIQUE'"
                + " AND NOT EXISTS (SELECT 1 FROM ALL_CONSTRAINTS k WHERE k.OWNER = ix.TABLE_OWNER"
                + " AND k.TABLE_NAME = ix.TABLE_NAME AND k.CONSTRAINT_TYPE = 'P' AND k.INDEX_NAME = ix.INDEX_NAME)"
                + " ORDER BY ic.INDEX_NAME, ic.COLUMN_POSITION");
    }

    @Test
    void bindsBooleansAsNumbersTimeAsIntervalTextAndLargeValuesAsLobs() throws SQLException {
        List<String> calls = new ArrayList<>();
        PreparedStatement ps = PostgreSqlDialectTest.Recorder.of(calls);
        d.bind(ps, 1, true);
        d.bind(ps, 2, new MysqlTime(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L - 1));
        d.bind(ps, 3, new MysqlTime(3_723_000_001L));
        d.bind(ps, 4, null);
        d.bind(ps, 5, "x".repeat(4000));
        d.bind(ps, 6, "é".repeat(2001));
        d.bind(ps, 7, new byte[2001]);
        assertThat(calls).hasSize(7);
        assertThat(calls.subList(0, 5)).containsExactly("setInt(1, 1)", "setString(2, -34 22:59:59.000001)",
                "setString(3, 0 01:02:03.000001)", "setNull(4, " + Types.VARCHAR + ")", "setString(5, " + "x".repeat(4000) + ")");
        assertThat(calls.get(5)).startsWith("setClob(6, java.io.StringReader");
        assertThat(calls.get(6)).startsWith("setBlob(7, java.io.ByteArrayInputStream");
    }
}
