package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.IdentifierCase;
import dev.ferry.dialect.schema.UntranslatableDdlException;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact SQL of the PostgreSQL dialect; a real PostgreSQL runs it in the integration tests. */
class PostgreSqlDialectTest {
    private static final TableId TABLE = new TableId("Shop\"s", "order items");
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "select", "na`me"}, new int[] {0});
    private static final RowSchema ALL_KEY = new RowSchema(new String[] {"a", "b"}, new int[] {1, 0});
    private static final ColumnInfo TEXT = new ColumnInfo("select", "character varying", "UTF8", 20);
    private static final ColumnInfo JSON = new ColumnInfo("na`me", "jsonb", null, 0);

    private final PostgreSqlDialect d = new PostgreSqlDialect();

    @Test
    void quotesWithDoubleQuotesAndKeepsTheCaseByDefault() {
        assertThat(d.quoteTable(TABLE)).isEqualTo("\"Shop\"\"s\".\"order items\"");
        assertThat(new PostgreSqlDialect(IdentifierCase.LOWER).quoteIdentifier("OrderId")).isEqualTo("\"orderid\"");
        assertThat(new PostgreSqlDialect(IdentifierCase.UPPER).targetName("OrderId")).isEqualTo("ORDERID");
    }

    @Test
    void namesOverSixtyThreeBytesAreRefusedRatherThanCut() {
        assertThatThrownBy(() -> d.quoteIdentifier("x".repeat(64)))
                .isInstanceOf(UntranslatableDdlException.class).hasMessageContaining("at most 63 bytes");
        assertThat(d.quoteIdentifier("x".repeat(63))).hasSize(65);
    }

    @Test
    void upsertUpdatesTheNonKeyColumnsFromExcluded() {
        assertThat(d.upsert(TABLE, SCHEMA)).isEqualTo(
                "INSERT INTO \"Shop\"\"s\".\"order items\" (\"id\", \"select\", \"na`me\") VALUES (?, ?, ?)"
                        + " ON CONFLICT (\"id\") DO UPDATE SET \"select\" = EXCLUDED.\"select\", \"na`me\" = EXCLUDED.\"na`me\"");
    }

    @Test
    void upsertOfAnAllKeyTableDoesNothingOnConflict() {
        assertThat(d.upsert(TABLE, ALL_KEY)).isEqualTo("INSERT INTO \"Shop\"\"s\".\"order items\" (\"a\", \"b\")"
                + " VALUES (?, ?) ON CONFLICT (\"b\", \"a\") DO NOTHING");
    }

    @Test
    void insertAndDeleteBindLikeMySql() {
        assertThat(d.insert(TABLE, SCHEMA))
                .isEqualTo("INSERT INTO \"Shop\"\"s\".\"order items\" (\"id\", \"select\", \"na`me\") VALUES (?, ?, ?)");
        assertThat(d.deleteByKey(TABLE, ALL_KEY))
                .isEqualTo("DELETE FROM \"Shop\"\"s\".\"order items\" WHERE \"b\" = ? AND \"a\" = ?");
    }

    @Test
    void comparisonsAreNullSafeAndCastToTheColumnsBaseType() {
        assertThat(d.nullSafeEquals("\"c\"", TEXT)).isEqualTo("\"c\" IS NOT DISTINCT FROM CAST(? AS character varying)");
        assertThat(d.nullSafeEquals("\"c\"", JSON)).isEqualTo("\"c\" IS NOT DISTINCT FROM CAST(? AS jsonb)");
        assertThat(d.nullSafeEquals("\"c\"", new ColumnInfo("c", "interval", null, 0), "v.\"g0\""))
                .isEqualTo("\"c\" IS NOT DISTINCT FROM CAST(v.\"g0\" AS interval)");
    }

    @Test
    void guardedWritesAndMatchesRowUseTheExactComparison() {
        ColumnInfo[] guards = {TEXT, JSON};
        String where = " WHERE \"id\" = ? AND \"select\" IS NOT DISTINCT FROM CAST(? AS character varying)"
                + " AND \"na`me\" IS NOT DISTINCT FROM CAST(? AS jsonb)";
        assertThat(d.guardedUpdate(TABLE, SCHEMA, guards)).isEqualTo(
                "UPDATE \"Shop\"\"s\".\"order items\" SET \"id\" = ?, \"select\" = ?, \"na`me\" = ?" + where);
        assertThat(d.guardedDelete(TABLE, SCHEMA, guards)).isEqualTo("DELETE FROM \"Shop\"\"s\".\"order items\"" + where);
        // UPDATE counts matched rows in PostgreSQL too; setting the key to itself changes nothing
        assertThat(d.matchesRow(TABLE, SCHEMA, guards))
                .isEqualTo("UPDATE \"Shop\"\"s\".\"order items\" SET \"id\" = \"id\"" + where);
    }

    @Test
    void conflictRowsOfARunAreLockedPerRowAndReadInOneStatement() {
        String one = "SELECT p.\"i\", t.\"id\" IS NOT NULL AS ferry_found, json_build_object('id', t.\"id\", 'select',"
                + " t.\"select\", 'na`me', t.\"na`me\")::text AS ferry_row, t.\"select\" IS NOT DISTINCT FROM"
                + " CAST(g.\"g0\" AS character varying) AS ferry_fits,"
                + " CASE WHEN g.\"ver\" IS NULL THEN CASE WHEN t.\"na`me\" IS NULL THEN 0 ELSE -1 END WHEN t.\"na`me\""
                + " IS NULL OR g.\"ver\" > t.\"na`me\" THEN 1 WHEN g.\"ver\" = t.\"na`me\" THEN 0 ELSE -1 END AS ferry_order"
                + " FROM (SELECT CAST(? AS integer) AS \"i\") p LEFT JOIN LATERAL (SELECT * FROM"
                + " \"Shop\"\"s\".\"order items\" WHERE \"id\" = ? FOR UPDATE) t ON TRUE CROSS JOIN"
                + " (SELECT CAST(? AS character varying) AS \"g0\", CAST(? AS bigint) AS \"ver\") g";
        assertThat(d.lockConflictRows(TABLE, SCHEMA, new ColumnInfo[] {TEXT}, new ColumnInfo("na`me", "bigint", null, 0),
                2)).isEqualTo(one + " UNION ALL " + one);
    }

    @Test
    void probeRowsLocksInsideALateralSubqueryPerRow() {
        String one = "SELECT p.\"i\", t.\"id\" IS NOT NULL AS ferry_found, t.\"select\" IS NOT DISTINCT FROM"
                + " CAST(g.\"g0\" AS character varying) AS ferry_fits FROM (SELECT CAST(? AS integer) AS \"i\") p LEFT JOIN LATERAL (SELECT * FROM"
                + " \"Shop\"\"s\".\"order items\" WHERE \"id\" = ? FOR UPDATE) t ON TRUE"
                + " CROSS JOIN (SELECT CAST(? AS character varying) AS \"g0\") g";
        assertThat(d.probeRows(TABLE, SCHEMA, new ColumnInfo[] {TEXT}, 2)).isEqualTo(one + " UNION ALL " + one);
        assertThat(d.probeRows(TABLE, ALL_KEY, new ColumnInfo[0], 1)).isEqualTo(
                "SELECT p.\"i\", t.\"b\" IS NOT NULL AS ferry_found, TRUE AS ferry_fits FROM (SELECT CAST(? AS integer) AS \"i\") p LEFT JOIN"
                        + " LATERAL (SELECT * FROM \"Shop\"\"s\".\"order items\" WHERE \"b\" = ? AND \"a\" = ? FOR UPDATE)"
                        + " t ON TRUE");
    }

    @Test
    void theConflictRowIsJsonKeyedByMySqlNames() {
        assertThat(d.lockConflictRow(TABLE, SCHEMA, new ColumnInfo[] {TEXT}, new ColumnInfo("na`me", "bigint", null, 0)))
                .isEqualTo("SELECT json_build_object('id', \"id\", 'select', \"select\", 'na`me', \"na`me\")::text"
                        + " AS ferry_row, \"select\" IS NOT DISTINCT FROM CAST(? AS character varying) AS ferry_fits,"
                        + " CASE WHEN CAST(? AS bigint) IS NULL THEN CASE WHEN \"na`me\" IS NULL THEN 0 ELSE -1 END"
                        + " WHEN \"na`me\" IS NULL OR CAST(? AS bigint) > \"na`me\" THEN 1 WHEN CAST(? AS bigint) = \"na`me\""
                        + " THEN 0 ELSE -1 END AS ferry_order FROM \"Shop\"\"s\".\"order items\" WHERE \"id\" = ? FOR UPDATE");
        assertThat(d.lockConflictRow(TABLE, ALL_KEY, new ColumnInfo[0], null)).isEqualTo(
                "SELECT json_build_object('a', \"a\", 'b', \"b\")::text AS ferry_row, 1 = 1 AS ferry_fits, NULL AS"
                        + " ferry_order FROM \"Shop\"\"s\".\"order items\""
                        + " WHERE \"b\" = ? AND \"a\" = ? FOR UPDATE");
        // a function takes at most 100 arguments: a row of more than 50 columns is merged from objects of 50
        String[] columns = new String[51];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = "c" + i;
        }
        String wide = d.lockConflictRow(TABLE, new RowSchema(columns, new int[] {0}), new ColumnInfo[0], null);
        assertThat(wide).startsWith("SELECT (jsonb_build_object('c0', \"c0\", ").contains(", 'c49', \"c49\")"
                + " || jsonb_build_object('c50', \"c50\"))::text AS ferry_row, 1 = 1 AS ferry_fits, NULL AS ferry_order FROM");
        assertThat(d.lockByUniqueKey(TABLE, SCHEMA, List.of(TEXT))).isEqualTo("SELECT \"id\" FROM"
                + " \"Shop\"\"s\".\"order items\" WHERE \"select\" IS NOT DISTINCT FROM CAST(? AS character varying)"
                + " FOR UPDATE");
    }

    @Test
    void sessionRunsInUtcAndNeverWaitsForALockForEver() {
        assertThat(d.sessionSetup()).containsExactly("SET TIME ZONE 'UTC'", "SET intervalstyle = 'postgres'",
                "SET datestyle = 'ISO, YMD'", "SET standard_conforming_strings = on", "SET lock_timeout = '20s'",
                "SET idle_in_transaction_session_timeout = '15s'");
        assertThat(d.currentUtcTimestamp()).isEqualTo("(statement_timestamp() AT TIME ZONE 'UTC')");
    }

    @Test
    void stringsAreSentUntypedSoTheyBecomeJsonbOrIntervals() {
        // the binding relies on it; the connection gets it from the database's factory (Endpoint#applyProperties)
        assertThat(new PostgreSqlDialectFactory().connectionDefaults()).containsEntry("stringtype", "unspecified");
        assertThat(new OracleDialectFactory().connectionDefaults()).doesNotContainKey("stringtype");
    }

    @Test
    void duplicateKeyIsSqlState23505() {
        assertThat(d.isDuplicateKey(new SQLException("dup", "23505"))).isTrue();
        assertThat(d.isDuplicateKey(new SQLException("not null", "23502"))).isFalse();
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", "23505", new int[0]);
        assertThat(d.isDuplicateKey(batch)).isTrue();
        BatchUpdateException wrapped = new BatchUpdateException("aborted", null, new int[0]);
        wrapped.setNextException(new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(d.isDuplicateKey(wrapped)).isTrue();
    }

    @Test
    void catalogQueriesReadPgCatalog() {
        assertThat(d.columnInfoQuery()).isEqualTo("SELECT a.attname, format_type(a.atttypid, NULL),"
                + " CASE WHEN t.typcategory = 'S' THEN getdatabaseencoding() END,"
                + " CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4"
                + " WHEN t.typname IN ('bit', 'varbit') THEN a.atttypmod ELSE 0 END"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
        assertThat(d.uniqueKeysQuery()).isEqualTo("SELECT i.relname, a.attname FROM pg_catalog.pg_index x"
                + " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid JOIN pg_catalog.pg_class c ON c.oid = x.indrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE n.nspname = ? AND c.relname = ? AND x.indisunique AND NOT x.indisprimary"
                + " ORDER BY i.relname, k.ord");
    }

    @Test
    void bindsTypedJavaTimeObjectsAndTimeAsUntypedIntervalText() throws SQLException {
        List<String> calls = new ArrayList<>();
        PreparedStatement ps = Recorder.of(calls);
        d.bind(ps, 1, LocalDateTime.parse("2024-01-02T03:04:05.123456"));
        d.bind(ps, 2, Instant.parse("2024-01-02T03:04:05.5Z"));
        d.bind(ps, 3, new MysqlTime(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L));
        d.bind(ps, 4, true);
        d.bind(ps, 5, null);
        assertThat(calls).containsExactly(
                "setObject(1, 2024-01-02T03:04:05.123456)",
                "setObject(2, " + OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.UTC) + ")",
                "setObject(3, -838:59:59.000000, " + Types.OTHER + ")",
                "setBoolean(4, true)",
                "setNull(5, " + Types.NULL + ")");
    }

    @Test
    void aNulCharacterIsRefusedNamingTheFixInsteadOfBeingStoredDifferently() {
        List<String> calls = new ArrayList<>();
        assertThatThrownBy(() -> d.bind(Recorder.of(calls), 1, "a\u0000b"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("NUL character (U+0000)").hasMessageContaining("Fix: remove NUL characters");
        assertThat(calls).isEmpty();
    }

    /** A PreparedStatement that records the setter calls. */
    static final class Recorder {
        static PreparedStatement of(List<String> calls) {
            return (PreparedStatement) Proxy.newProxyInstance(Recorder.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        StringBuilder call = new StringBuilder(method.getName()).append('(');
                        for (int i = 0; i < args.length; i++) {
                            Object a = args[i];
                            call.append(i == 0 ? "" : ", ").append(a instanceof byte[] b ? b.length + " bytes" : a);
                        }
                        calls.add(call.append(')').toString());
                        return null;
                    });
        }
    }
}
