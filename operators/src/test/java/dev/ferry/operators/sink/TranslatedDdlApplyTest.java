package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.loop.FerryTables;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DDL events at a real PostgreSQL target: translated from their structured change, applied with the
 * commit marker, and held per table when they cannot be translated, until the operator decides.
 */
class TranslatedDdlApplyTest {
    private static final RowSchema OLD = new RowSchema(new String[] {"id", "b"}, new int[] {0});
    private static final RowSchema RENAMED = new RowSchema(new String[] {"id", "b2"}, new int[] {0});
    private static final RowSchema FREE = new RowSchema(new String[] {"id", "v"}, new int[] {0});

    private TestDatabase pg;
    private Connection connection;
    private String schema;
    private TableId held;
    private TableId free;
    private String channel;
    private long sequence;

    @BeforeEach
    void setUp() throws Exception {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
        pg = TestServers.site(ServerKind.POSTGRESQL, "pg");
        pg.execute(FerryTables.schemaStatements("ferry-schema-postgresql.sql").toArray(String[]::new));
        schema = "ddl" + System.nanoTime();
        held = new TableId(schema, "held");
        free = new TableId(schema, "free");
        channel = "c" + schema;
        pg.execute("CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".held (id integer PRIMARY KEY, b integer)",
                "CREATE TABLE " + schema + ".free (id integer PRIMARY KEY, v character varying(10))");
        Properties p = new Properties();
        p.setProperty("user", pg.adminUser());
        p.setProperty("password", pg.adminPassword());
        p.setProperty("stringtype", "unspecified");
        p.setProperty("autosave", "always");
        connection = DriverManager.getConnection(pg.jdbcUrl(), p);
    }

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void anAddedColumnIsTranslatedAndARepeatFindsNothingToDo() throws Exception {
        ChangeEvent add = ddl(held, "ALTER TABLE held ADD COLUMN c VARCHAR(255) DEFAULT 'superman'",
                alter(held, column("id", "INT", false, null), column("b", "INT", true, null),
                        column("c", "VARCHAR", true, "superman")));
        try (ChangeApplier applier = applier()) {
            assertThat(applier.apply(committable(add)).outcome()).isEqualTo(ApplyOutcome.DDL_APPLIED);
            assertThat(applier.apply(committable(add)).outcome()).isEqualTo(ApplyOutcome.DDL_APPLIED);
        }
        assertThat(pg.query("SELECT column_default FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'held' AND column_name = 'c'", schema).get(0).get(0).toString())
                .startsWith("'superman'");
        assertThat(ddlOutcomes()).containsExactly("applied", "nothing-to-do");
    }

    @Test
    void anUntranslatableChangeHoldsOnlyItsTableUntilTheOperatorDecides() throws Exception {
        ChangeEvent rename = ddl(held, "ALTER TABLE held RENAME COLUMN b TO b2",
                alter(held, column("id", "INT", false, null), column("b2", "INT", true, null)));
        try (ChangeApplier applier = applier()) {
            assertThat(applier.apply(committable(rename)).outcome()).isEqualTo(ApplyOutcome.DDL_HELD);
            applier.apply(committable(row(held, RENAMED, 1, 10), row(free, FREE, 1, "a")));
            assertThat(rows("free")).containsExactly("1|a");
            assertThat(rows("held")).isEmpty();
            assertThat(pg.query("SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel).get(0).get(0)
                    .toString()).isEqualTo("1");
            assertThat(applier.heldTableCount()).isEqualTo(1);

            pg.execute("UPDATE ferry.ferry_ddl SET outcome = 'manual', manual_sql = 'ALTER TABLE " + schema
                    + ".held RENAME COLUMN b TO b2' WHERE channel = '" + channel + "' AND outcome = 'held'");
            applier.apply(committable(row(held, RENAMED, 2, 20)));
            assertThat(applier.heldTableCount()).isZero();
        }
        assertThat(rows("held")).containsExactly("1|10", "2|20");
        assertThat(pg.query("SELECT COUNT(*) FROM ferry.ferry_held WHERE channel = ?", channel).get(0).get(0)
                .toString()).isEqualTo("0");
        assertThat(ddlOutcomes()).containsExactly("released");
    }

    /**
     * MariaDB's CREATE OR REPLACE TABLE of a table the target has: the target's table is dropped and created as the
     * source's new one, so its old rows go as they went at the source (before, the columns were altered and the old
     * rows stayed: issue 17's closing note).
     */
    @Test
    void createOrReplaceTableReplacesTheTargetsTableAndItsRows() throws Exception {
        RowSchema replaced = new RowSchema(new String[] {"id", "v"}, new int[] {0});
        ChangeEvent replace = ddl(held, "CREATE OR /* a comment */ REPLACE TABLE held (id INT PRIMARY KEY, v INT NOT NULL)",
                alter(held, column("id", "INT", false, null), column("v", "INT", false, null))
                        .replace("\"ALTER\"", "\"CREATE\""));
        try (ChangeApplier applier = applier()) {
            applier.apply(committable(row(held, OLD, 1, 10)));
            assertThat(applier.apply(committable(replace)).outcome()).isEqualTo(ApplyOutcome.DDL_APPLIED);
            applier.apply(committable(row(held, replaced, 2, 42)));
        }
        assertThat(rows("held")).containsExactly("2|42");
        assertThat(pg.query("SELECT column_name FROM information_schema.columns WHERE table_schema = ?"
                + " AND table_name = 'held' ORDER BY ordinal_position", schema)).containsExactly(List.of("id"),
                List.of("v"));
    }

    private ChangeApplier applier() throws Exception {
        Dialect dialect = Dialects.forUrl(pg.jdbcUrl(), connection.getMetaData().getDatabaseProductVersion());
        return new ChangeApplier(connection, dialect, channel, "sh->pg", 100, ConflictRules.homeWins("sh", "sh"));
    }

    private CheckpointBatch committable(ChangeEvent... events) {
        return new CheckpointBatch(0, 1, sequence++, Arrays.asList(events));
    }

    private static ChangeEvent row(TableId table, RowSchema schema, Object... after) {
        Object[] values = Arrays.stream(after).map(v -> v instanceof Integer i ? (Object) i.longValue() : v).toArray();
        return new ChangeEvent(Op.INSERT, table, schema, null, values, "f:1", "f:1", 0);
    }

    private static ChangeEvent ddl(TableId table, String statement, String structure) {
        return ChangeEvent.ddl(table, statement, structure, "f:2", "f:2", 0);
    }

    /** A tableChanges entry as Flink CDC 3.5.0 writes it. */
    private static String alter(TableId table, String... columns) {
        return "{\"type\":\"ALTER\",\"id\":\"\\\"" + table.database() + "\\\".\\\"" + table.table() + "\\\"\","
                + "\"table\":{\"primaryKeyColumnNames\":[\"id\"],\"columns\":[" + String.join(",", columns) + "]}}";
    }

    private static String column(String name, String type, boolean optional, String defaultValue) {
        return "{\"name\":\"" + name + "\",\"typeName\":\"" + type + "\",\"typeExpression\":\"" + type + "\","
                + (type.equals("VARCHAR") ? "\"length\":255," : "") + "\"optional\":" + optional
                + ",\"hasDefaultValue\":" + (optional || defaultValue != null)
                + (defaultValue == null ? "" : ",\"defaultValueExpression\":\"" + defaultValue + "\"")
                + ",\"enumValues\":[]}";
    }

    private List<String> rows(String table) {
        List<String> out = new ArrayList<>();
        for (List<Object> r : pg.query("SELECT * FROM " + schema + "." + table + " ORDER BY 1")) {
            out.add(r.stream().map(String::valueOf).reduce((a, b) -> a + "|" + b).orElse(""));
        }
        return out;
    }

    private List<String> ddlOutcomes() {
        return pg.query("SELECT outcome FROM ferry.ferry_ddl WHERE channel = ? ORDER BY applied_at", channel).stream()
                .map(r -> r.get(0).toString()).toList();
    }
}
