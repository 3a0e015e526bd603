package dev.ferry.dialect;

import static dev.ferry.dialect.Columns.col;
import static dev.ferry.dialect.Columns.enumOf;
import static dev.ferry.dialect.Columns.notNull;
import static dev.ferry.dialect.Columns.nullable;
import static dev.ferry.dialect.Columns.withDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.MysqlTime;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.schema.SourceColumn;
import dev.ferry.dialect.schema.SourceTable;
import dev.ferry.dialect.schema.TargetColumn;
import dev.ferry.dialect.schema.TargetTable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the Oracle dialect's SQL on H2 in Oracle mode. Where H2 refuses valid Oracle SQL, the exact-string
 * tests in {@link OracleDialectTest} say so.
 */
class OracleOnH2Test {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final TableId ORDERS = new TableId("shop", "orders");

    private final OracleDialect dialect = new OracleDialect();
    private Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:oracle" + DATABASES.incrementAndGet()
                + ";MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH");
        execute("CREATE SCHEMA \"SHOP\"");
        execute("SET TIME ZONE '+00:00'");
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private static final List<SourceColumn> COLUMNS = List.of(
            notNull("id", "BIGINT", -1),
            notNull("name", "VARCHAR", 20),
            col("price", "DECIMAL", 10, 2, true),
            nullable("at", "DATETIME", 6),
            nullable("seen", "TIMESTAMP", 3),
            nullable("took", "TIME", 6),
            nullable("flag", "BIT", 1),
            nullable("bits", "BIT", 10),
            nullable("ratio", "FLOAT", -1),
            nullable("born", "DATE", -1),
            enumOf("state", false, "new", "paid"));

    private static final RowSchema ROW = new RowSchema(new String[] {"id", "name", "price", "at", "seen", "took",
        "flag", "bits", "ratio", "born", "state"}, new int[] {0});

    private void createOrders() throws SQLException {
        for (String sql : dialect.schema().createTable(new SourceTable(ORDERS, COLUMNS, List.of("id")))) {
            execute(sql);
        }
    }

    private static Object[] order(long id, String name) {
        return new Object[] {id, name, new BigDecimal("12.50"), LocalDateTime.parse("2024-02-29T23:59:59.123456"),
            Instant.parse("2024-03-01T10:00:00.125Z"), new MysqlTime(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L - 5),
            true, new byte[] {0x02, 0x01}, 1.1f, LocalDate.parse("2000-01-31"), "new"};
    }

    @Test
    void upsertInsertsThenUpdatesAndKeepsEveryValueExactly() throws SQLException {
        createOrders();
        String upsert = typedForH2(dialect.upsert(ORDERS, ROW), COLUMNS);
        assertThat(run(upsert, order(1, "first"))).isEqualTo(1);
        Object[] changed = order(1, "second");
        changed[10] = "paid";
        assertThat(run(upsert, changed)).isEqualTo(1);
        try (ResultSet rs = query("SELECT \"NAME\", \"PRICE\", \"AT\", \"SEEN\", \"TOOK\", \"FLAG\", \"BITS\", \"RATIO\","
                + " \"BORN\", \"STATE\", (SELECT COUNT(*) FROM \"SHOP\".\"ORDERS\") FROM \"SHOP\".\"ORDERS\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("second");
            assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("12.50"));
            assertThat(rs.getObject(3, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.123456"));
            assertThat(rs.getObject(4, OffsetDateTime.class).toInstant())
                    .isEqualTo(Instant.parse("2024-03-01T10:00:00.125Z"));
            assertThat(rs.getObject(5, Duration.class))
                    .isEqualTo(Duration.ofSeconds(-(838L * 3600 + 59 * 60 + 59)).minusNanos(5000));
            assertThat(rs.getInt(6)).isEqualTo(1);
            assertThat(rs.getBytes(7)).containsExactly(0x02, 0x01);
            assertThat(rs.getFloat(8)).isEqualTo(1.1f);
            assertThat(rs.getObject(9, LocalDate.class)).isEqualTo(LocalDate.parse("2000-01-31"));
            assertThat(rs.getString(10)).isEqualTo("paid");
            assertThat(rs.getInt(11)).isEqualTo(1);
        }
    }

    @Test
    void anAllKeyTableMergesWithoutAnUpdateBranch() throws SQLException {
        TableId tags = new TableId("shop", "tags");
        execute(dialect.schema().createTable(new SourceTable(tags,
                List.of(notNull("a", "INT", -1), notNull("b", "VARCHAR", 5)), List.of("b", "a"))).get(0));
        RowSchema allKey = new RowSchema(new String[] {"a", "b"}, new int[] {1, 0});
        String upsert = typedForH2(dialect.upsert(tags, allKey),
                List.of(notNull("a", "INT", -1), notNull("b", "VARCHAR", 5)));
        assertThat(upsert).doesNotContain("WHEN MATCHED");
        assertThat(run(upsert, 1L, "x")).isEqualTo(1);
        assertThat(run(upsert, 1L, "x")).isZero();
        assertThat(count("SELECT COUNT(*) FROM \"SHOP\".\"TAGS\"")).isEqualTo(1);
    }

    @Test
    void insertRefusesAnExistingKey() throws SQLException {
        createOrders();
        run(dialect.insert(ORDERS, ROW), order(1, "first"));
        assertThatThrownBy(() -> run(dialect.insert(ORDERS, ROW), order(1, "again")))
                .isInstanceOf(SQLException.class);
    }

    private static final ColumnInfo NAME = new ColumnInfo("NAME", "VARCHAR2", "AL32UTF8", 20);
    private static final ColumnInfo PRICE = new ColumnInfo("PRICE", "NUMBER", null, 10);
    private static final ColumnInfo TOOK = new ColumnInfo("TOOK", "INTERVAL DAY(2) TO SECOND(6)", null, 11);
    private static final ColumnInfo SEEN = new ColumnInfo("SEEN", "TIMESTAMP(3) WITH TIME ZONE", null, 13);
    private static final ColumnInfo RATIO = new ColumnInfo("RATIO", "BINARY_FLOAT", null, 4);
    private static final ColumnInfo[] GUARDS = {NAME, PRICE, TOOK, SEEN, RATIO};

    /** The key, then the guard columns' before values. */
    private static Object[] keyAndGuards(long id, String name, BigDecimal price, Object[] order) {
        return new Object[] {id, name, price, order[5], order[4], order[8]};
    }

    @Test
    void guardedUpdateAndDeleteMatchOnlyTheBeforeImageWithNullsEqual() throws SQLException {
        createOrders();
        Object[] before = order(1, "first");
        before[2] = null;
        run(dialect.insert(ORDERS, ROW), before);
        Object[] after = order(1, "second");
        String update = dialect.guardedUpdate(ORDERS, ROW, GUARDS);

        assertThat(run(update, concat(after, keyAndGuards(1, "other", null, before)))).isZero();
        assertThat(run(update, concat(after, keyAndGuards(1, "first", BigDecimal.ONE, before)))).isZero();
        assertThat(run(update, concat(after, keyAndGuards(1, "first", null, before)))).isEqualTo(1);

        String delete = dialect.guardedDelete(ORDERS, ROW, GUARDS);
        assertThat(run(delete, keyAndGuards(1, "first", null, before))).isZero();
        assertThat(run(delete, keyAndGuards(1, "second", new BigDecimal("12.50"), after))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM \"SHOP\".\"ORDERS\"")).isZero();
    }

    @Test
    void anEmptyStringIsNullInOracleSoTheyCompareEqual() throws SQLException {
        TableId notes = new TableId("shop", "notes");
        execute(dialect.schema().createTable(new SourceTable(notes,
                List.of(notNull("id", "INT", -1), notNull("body", "VARCHAR", 10)), List.of("id"))).get(0));
        RowSchema row = new RowSchema(new String[] {"id", "body"}, new int[] {0});
        // MySQL's NOT NULL body holding '' is accepted: Oracle stores NULL
        assertThat(run(dialect.insert(notes, row), 1L, "")).isEqualTo(1);
        ColumnInfo[] body = {new ColumnInfo("BODY", "VARCHAR2", "AL32UTF8", 10)};
        assertThat(run(dialect.matchesRow(notes, row, body), 1L, null)).isEqualTo(1);
        assertThat(run(dialect.matchesRow(notes, row, body), 1L, "")).isEqualTo(1);
        assertThat(run(dialect.matchesRow(notes, row, body), 1L, "x")).isZero();
    }

    @Test
    void matchesRowCountsWithoutChanging() throws SQLException {
        createOrders();
        Object[] row = order(1, "first");
        run(dialect.insert(ORDERS, ROW), row);
        String matches = dialect.matchesRow(ORDERS, ROW, GUARDS);
        assertThat(run(matches, keyAndGuards(1, "first", new BigDecimal("12.5"), row))).isEqualTo(1);
        assertThat(run(matches, keyAndGuards(2, "first", new BigDecimal("12.5"), row))).isZero();
        Object[] otherTime = row.clone();
        otherTime[5] = new MysqlTime(0);
        assertThat(run(matches, keyAndGuards(1, "first", new BigDecimal("12.5"), otherTime))).isZero();
    }

    @Test
    void probeRowsReportsFoundAndMatchesPerRow() throws SQLException {
        createOrders();
        Object[] row = order(1, "first");
        run(dialect.insert(ORDERS, ROW), row);
        ColumnInfo[] guards = {NAME, PRICE};
        List<Object> binds = new ArrayList<>(List.of(0, 1L, "first", new BigDecimal("12.50")));
        binds.addAll(List.of(1, 1L, "other", new BigDecimal("12.50")));
        binds.addAll(List.of(2, 7L, "first", new BigDecimal("12.50")));
        List<String> rows = new ArrayList<>();
        // H2 cannot type a bare parameter in a select list, as Oracle does from the bind: the test adds the casts
        String probe = dialect.probeRows(ORDERS, ROW, guards, 3).replace("? AS \"i\", ? AS \"k0\"",
                "CAST(? AS NUMBER) AS \"i\", CAST(? AS NUMBER(19)) AS \"k0\"")
                .replace("SELECT ?, ?,", "SELECT CAST(? AS NUMBER), CAST(? AS NUMBER(19)),");
        try (PreparedStatement ps = db.prepareStatement(probe)) {
            bindAll(ps, binds.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + ":" + rs.getInt(2) + ":" + rs.getInt(3));
                }
            }
        }
        assertThat(rows).containsExactlyInAnyOrder("0:1:1", "1:1:0", "2:0:0");
        // the probe takes no lock (ORA-02014): updates and deletes that it finds fitting are not written by key
        // alone, and conflicting rows are locked and read one at a time
        assertThat(dialect.probeLocksRows()).isFalse();
        assertThat(dialect.lockConflictRows(ORDERS, ROW, guards, null, 2)).isNull();
    }

    @Test
    void theConflictRowComesAsJsonWithComparisonAndVersionOrder() throws SQLException {
        // H2 converts no INTERVAL to JSON, so this table has no TIME column (see OracleDialect#lockConflictRow)
        TableId items = new TableId("shop", "items");
        runAll(dialect.schema().createTable(new SourceTable(items, List.of(notNull("id", "BIGINT", -1),
                nullable("name", "VARCHAR", 20), col("price", "DECIMAL", 10, 2, true)), List.of("id"))));
        RowSchema row = new RowSchema(new String[] {"id", "name", "price"}, new int[] {0});
        run(dialect.insert(items, row), 1L, "first", new BigDecimal("12.50"));
        ColumnInfo version = new ColumnInfo("PRICE", "NUMBER", null, 10);
        // H2's JSON_OBJECT has no RETURNING clause; Oracle needs RETURNING CLOB for rows over 4000 bytes
        String sql = dialect.lockConflictRow(items, row, new ColumnInfo[] {NAME}, version)
                .replace(" RETURNING CLOB", "");
        assertThat(conflictRow(sql, "first", new BigDecimal("12.50"))).isEqualTo("1/0");
        assertThat(conflictRow(sql, "other", new BigDecimal("13"))).isEqualTo("0/1");
        assertThat(conflictRow(sql, "first", new BigDecimal("2"))).isEqualTo("1/-1");
        assertThat(conflictRow(sql, "first", null)).isEqualTo("1/-1");
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bindAll(ps, new Object[] {"first", null, null, null, 1L});
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("{\"id\":1,\"name\":\"first\",\"price\":12.50}");
            }
        }
    }

    /** same/order for the row with key 1. */
    private String conflictRow(String sql, String name, BigDecimal version) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bindAll(ps, new Object[] {name, version, version, version, 1L});
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getInt(2) + "/" + rs.getInt(3);
            }
        }
    }

    @Test
    void lockByUniqueKeyFindsTheKey() throws SQLException {
        createOrders();
        run(dialect.insert(ORDERS, ROW), order(5, "first"));
        try (PreparedStatement ps = db.prepareStatement(dialect.lockByUniqueKey(ORDERS, ROW, List.of(NAME)))) {
            dialect.bind(ps, 1, "first");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(5);
            }
        }
    }

    @Test
    void columnsAreAddedModifiedAndDropped() throws SQLException {
        createOrders();
        SourceTable before = new SourceTable(ORDERS, COLUMNS, List.of("id"));
        List<SourceColumn> added = new ArrayList<>(COLUMNS);
        added.add(withDefault(nullable("booboo", "VARCHAR", 255), "superman", false));
        SourceTable withBooboo = new SourceTable(ORDERS, added, List.of("id"));
        runAll(dialect.schema().alterTable(withBooboo, catalog(before)));
        run(dialect.insert(ORDERS, ROW), order(1, "first"));
        assertThat(string("SELECT \"BOOBOO\" FROM \"SHOP\".\"ORDERS\"")).isEqualTo("superman");

        List<SourceColumn> modified = new ArrayList<>(added);
        modified.set(2, col("price", "DECIMAL", 12, 2, false));
        modified.set(10, enumOf("state", false, "new", "paid", "shipped"));
        runAll(dialect.schema().alterTable(new SourceTable(ORDERS, modified, List.of("id")), catalog(withBooboo)));
        assertThat(string("SELECT NUMERIC_PRECISION || '/' || IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'SHOP' AND TABLE_NAME = 'ORDERS' AND COLUMN_NAME = 'PRICE'")).isEqualTo("12/NO");
        execute("UPDATE \"SHOP\".\"ORDERS\" SET \"STATE\" = 'shipped'");
        assertThatThrownBy(() -> execute("UPDATE \"SHOP\".\"ORDERS\" SET \"STATE\" = 'lost'"))
                .hasMessageContaining("ORDERS_STATE_ENUM");

        execute("UPDATE \"SHOP\".\"ORDERS\" SET \"STATE\" = 'paid'");
        runAll(dialect.schema().alterTable(before, catalog(new SourceTable(ORDERS, modified, List.of("id")))));
        assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'SHOP'"
                + " AND TABLE_NAME = 'ORDERS' AND COLUMN_NAME = 'BOOBOO'")).isZero();
    }

    @Test
    void truncateRenameAndIndexesRun() throws SQLException {
        createOrders();
        run(dialect.insert(ORDERS, ROW), order(1, "first"));
        runAll(dialect.schema().indexDelta(ORDERS, "ADD UNIQUE INDEX `by_name` (`name`, `price` DESC)"));
        assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_SCHEMA = 'SHOP'"
                + " AND INDEX_NAME = 'ORDERS_BY_NAME'")).isEqualTo(1);
        assertThatThrownBy(() -> run(dialect.insert(ORDERS, ROW), order(2, "first")))
                .isInstanceOf(SQLException.class);
        runAll(dialect.schema().indexDelta(ORDERS, "DROP `by_name`"));
        run(dialect.insert(ORDERS, ROW), order(2, "first"));

        runAll(dialect.schema().truncateTable(ORDERS));
        assertThat(count("SELECT COUNT(*) FROM \"SHOP\".\"ORDERS\"")).isZero();
        TableId renamed = new TableId("shop", "orders_old");
        runAll(dialect.schema().renameTable(ORDERS, renamed));
        assertThat(count("SELECT COUNT(*) FROM \"SHOP\".\"ORDERS_OLD\"")).isZero();
        runAll(dialect.schema().dropTable(renamed));
        assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'SHOP'")).isZero();
    }

    @Test
    void literalDefaultsAreFilledIn() throws SQLException {
        TableId defaults = new TableId("shop", "defaults");
        runAll(dialect.schema().createTable(new SourceTable(defaults, List.of(notNull("id", "INT", -1),
                withDefault(nullable("since", "DATE", -1), "2020-02-29", false),
                withDefault(nullable("at", "DATETIME", 6), "2020-02-29 10:00:00.5", false),
                withDefault(nullable("seen", "TIMESTAMP", -1), "2020-02-29 10:00:00", false),
                withDefault(nullable("took", "TIME", -1), "-25:00:01", false),
                withDefault(nullable("name", "VARCHAR", 9), "it's", false),
                withDefault(nullable("flag", "BIT", 1), "b'1'", false),
                withDefault(notNull("created", "TIMESTAMP", 6), "CURRENT_TIMESTAMP", true)), List.of("id"))));
        execute("INSERT INTO \"SHOP\".\"DEFAULTS\" (\"ID\") VALUES (1)");
        try (ResultSet rs = query("SELECT \"SINCE\", \"AT\", \"SEEN\", \"TOOK\", \"NAME\", \"FLAG\", \"CREATED\""
                + " FROM \"SHOP\".\"DEFAULTS\"")) {
            rs.next();
            assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.parse("2020-02-29"));
            assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2020-02-29T10:00:00.5"));
            assertThat(rs.getObject(3, OffsetDateTime.class).toInstant())
                    .isEqualTo(Instant.parse("2020-02-29T10:00:00Z"));
            assertThat(rs.getObject(4, Duration.class)).isEqualTo(Duration.ofSeconds(-(25 * 3600 + 1)));
            assertThat(rs.getString(5)).isEqualTo("it's");
            assertThat(rs.getInt(6)).isEqualTo(1);
            assertThat(rs.getObject(7)).isNotNull();
        }
    }

    @Test
    void jsonColumnsRefuseText() throws SQLException {
        TableId docs = new TableId("shop", "docs");
        runAll(dialect.schema().createTable(new SourceTable(docs,
                List.of(notNull("id", "INT", -1), nullable("doc", "JSON", -1)), List.of("id"))));
        RowSchema row = new RowSchema(new String[] {"id", "doc"}, new int[] {0});
        assertThat(run(dialect.insert(docs, row), 1L, "{\"a\": [1, 2]}")).isEqualTo(1);
        assertThatThrownBy(() -> run(dialect.insert(docs, row), 2L, "not json")).isInstanceOf(SQLException.class);
    }

    /**
     * The MERGE with {@code CAST(? AS type) AS "C"} for {@code ? AS "C"}: H2 cannot type a bare parameter in a
     * select list; Oracle types it from the bind, so the dialect's SQL leaves it bare.
     */
    private String typedForH2(String merge, List<SourceColumn> columns) {
        for (SourceColumn c : columns) {
            String alias = " AS " + dialect.quoteIdentifier(c.name());
            merge = merge.replace("?" + alias + ",", "CAST(? AS " + dialect.schema().columnType(c) + ")" + alias + ",")
                    .replace("?" + alias + " FROM", "CAST(? AS " + dialect.schema().columnType(c) + ")" + alias + " FROM");
        }
        return merge;
    }

    /** What the catalog query would say about a table created from {@code table}. */
    private TargetTable catalog(SourceTable table) {
        List<TargetColumn> columns = new ArrayList<>();
        for (SourceColumn c : table.columns()) {
            boolean nullable = c.nullable() || (!table.primaryKey().contains(c.name())
                    && dialect.schema().columnType(c).startsWith("VARCHAR2"));
            columns.add(new TargetColumn(dialect.targetName(c.name()), dialect.schema().columnType(c), nullable));
        }
        return new TargetTable(columns, table.primaryKey().stream().map(dialect::targetName).toList());
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] all = new Object[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private int run(String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bindAll(ps, values);
            return ps.executeUpdate();
        }
    }

    private void bindAll(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                dialect.bind(ps, i + 1, values[i]);
            }
        }
    }

    private void runAll(List<String> statements) throws SQLException {
        for (String sql : statements) {
            try {
                execute(sql);
            } catch (SQLException e) {
                // H2 has no "drop constraint if exists" error code of Oracle's; the CHECK may not exist yet
                if (!sql.contains("DROP CONSTRAINT")) {
                    throw e;
                }
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private ResultSet query(String sql) throws SQLException {
        return db.createStatement().executeQuery(sql);
    }

    private long count(String sql) throws SQLException {
        try (ResultSet rs = query(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String string(String sql) throws SQLException {
        try (ResultSet rs = query(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
