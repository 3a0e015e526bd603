package dev.ferry.dialect.schema;

import static dev.ferry.dialect.Columns.col;
import static dev.ferry.dialect.Columns.enumOf;
import static dev.ferry.dialect.Columns.notNull;
import static dev.ferry.dialect.Columns.nullable;
import static dev.ferry.dialect.Columns.withDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.TableId;
import dev.ferry.dialect.PostgreSqlDialect;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgreSqlSchemaTest {
    private static final TableId ORDER = new TableId("shop", "vgp_order");
    private final SchemaTranslator ddl = new PostgreSqlDialect().schema();

    private static final List<SourceColumn> COLUMNS = List.of(
            notNull("id", "BIGINT", 20),
            withDefault(notNull("name", "VARCHAR", 50), "it's", false),
            withDefault(col("price", "DECIMAL", 10, 2, true), "0.00", false),
            withDefault(notNull("created", "TIMESTAMP", 6), "CURRENT_TIMESTAMP", true),
            withDefault(nullable("updated", "DATETIME", 3), "CURRENT_TIMESTAMP(3)", true),
            enumOf("state", false, "new", "paid"));

    private static SourceTable table(List<SourceColumn> columns) {
        return new SourceTable(ORDER, columns, List.of("id"));
    }

    /** The target as created from {@link #COLUMNS}. */
    private static TargetTable current() {
        return new TargetTable(List.of(
                new TargetColumn("id", "bigint", false),
                new TargetColumn("name", "character varying(50)", false),
                new TargetColumn("price", "numeric(10,2)", true),
                new TargetColumn("created", "timestamp(6) with time zone", false),
                new TargetColumn("updated", "timestamp(3) without time zone", true),
                new TargetColumn("state", "character varying(4)", true)), List.of("id"));
    }

    @Test
    void createsTheTableWithDefaultsChecksAndPrimaryKey() {
        assertThat(ddl.createTable(table(COLUMNS))).containsExactly("CREATE TABLE \"shop\".\"vgp_order\" ("
                + "\"id\" bigint NOT NULL, \"name\" character varying(50) DEFAULT 'it''s' NOT NULL,"
                + " \"price\" numeric(10,2) DEFAULT 0.00,"
                + " \"created\" timestamp(6) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,"
                + " \"updated\" timestamp(3) without time zone DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'UTC'),"
                + " \"state\" character varying(4),"
                + " CONSTRAINT \"state_enum\" CHECK (\"state\" IN ('new', 'paid')), PRIMARY KEY (\"id\"))");
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefused() {
        assertThatThrownBy(() -> ddl.createTable(new SourceTable(ORDER, COLUMNS, List.of())))
                .isInstanceOf(UntranslatableDdlException.class)
                .hasMessageStartingWith("Table `shop`.`vgp_order`: it has no primary key");
    }

    @Test
    void otherDefaultExpressionsAreRefusedNamingTableAndColumn() {
        SourceColumn uuid = withDefault(nullable("token", "VARCHAR", 36), "(uuid())", true);
        assertThatThrownBy(() -> ddl.createTable(table(List.of(notNull("id", "BIGINT", 20), uuid))))
                .isInstanceOf(UntranslatableDdlException.class)
                .hasMessageContaining("Table `shop`.`vgp_order`: Column `token` of type VARCHAR(36)")
                .hasMessageContaining("the default expression (uuid())").hasMessageContaining("by hand");
    }

    @Test
    void literalDefaultsAreEscapedAndTimestampsReadAsUtc() {
        SourceColumn evil = withDefault(nullable("note", "VARCHAR", 20), "'); DROP TABLE x; --", false);
        SourceColumn at = withDefault(nullable("at", "TIMESTAMP", -1), "2020-01-01 00:00:00", false);
        SourceColumn flag = withDefault(nullable("flag", "BIT", 1), "b'1'", false);
        assertThat(ddl.createTable(table(List.of(notNull("id", "BIGINT", 20), evil, at, flag)))).containsExactly(
                "CREATE TABLE \"shop\".\"vgp_order\" (\"id\" bigint NOT NULL,"
                        + " \"note\" character varying(20) DEFAULT '''); DROP TABLE x; --',"
                        + " \"at\" timestamp(0) with time zone DEFAULT '2020-01-01 00:00:00+00',"
                        + " \"flag\" boolean DEFAULT '1', PRIMARY KEY (\"id\"))");
        SourceColumn zero = withDefault(nullable("at", "DATETIME", -1), "0000-00-00 00:00:00", false);
        assertThatThrownBy(() -> ddl.createTable(table(List.of(notNull("id", "BIGINT", 20), zero))))
                .hasMessageContaining("zero date");
    }

    @Test
    void theSeedAlterAddsTheColumnWithItsDefault() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20),
                withDefault(nullable("booboo", "VARCHAR", 255), "superman", false));
        TargetTable current = new TargetTable(List.of(new TargetColumn("id", "bigint", false)), List.of("id"));
        assertThat(ddl.alterTable(table(after), current)).containsExactly(
                "ALTER TABLE \"shop\".\"vgp_order\" ADD COLUMN \"booboo\" character varying(255) DEFAULT 'superman'");
    }

    @Test
    void nothingDiffersNothingToDo() {
        List<SourceColumn> noEnum = COLUMNS.subList(0, 5);
        TargetTable current = new TargetTable(current().columns().subList(0, 5), List.of("id"));
        assertThat(ddl.alterTable(table(noEnum), current)).isEmpty();
    }

    @Test
    void enumChecksAreRebuiltOnEveryAlterBecauseTheCatalogShowsNoValues() {
        List<SourceColumn> more = new ArrayList<>(COLUMNS);
        more.set(5, enumOf("state", false, "new", "paid", "shipped"));
        assertThat(ddl.alterTable(table(more), current())).containsExactly(
                "ALTER TABLE \"shop\".\"vgp_order\" ALTER COLUMN \"state\" TYPE character varying(7)"
                        + " USING \"state\"::character varying(7)",
                "ALTER TABLE \"shop\".\"vgp_order\" DROP CONSTRAINT IF EXISTS \"state_enum\"",
                "ALTER TABLE \"shop\".\"vgp_order\" ADD CONSTRAINT \"state_enum\""
                        + " CHECK (\"state\" IN ('new', 'paid', 'shipped'))");
    }

    @Test
    void modifiesTypeAndNullabilityAndDropsColumns() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20), nullable("name", "VARCHAR", 80),
                col("price", "DECIMAL", 12, 2, false));
        TargetTable current = new TargetTable(current().columns().subList(0, 4), List.of("id"));
        assertThat(ddl.alterTable(table(after), current)).containsExactly(
                "ALTER TABLE \"shop\".\"vgp_order\" DROP COLUMN \"created\"",
                "ALTER TABLE \"shop\".\"vgp_order\" ALTER COLUMN \"name\" TYPE character varying(80)"
                        + " USING \"name\"::character varying(80)",
                "ALTER TABLE \"shop\".\"vgp_order\" ALTER COLUMN \"name\" DROP NOT NULL",
                "ALTER TABLE \"shop\".\"vgp_order\" DROP CONSTRAINT IF EXISTS \"name_enum\"",
                "ALTER TABLE \"shop\".\"vgp_order\" ALTER COLUMN \"price\" TYPE numeric(12,2) USING \"price\"::numeric(12,2)",
                "ALTER TABLE \"shop\".\"vgp_order\" ALTER COLUMN \"price\" SET NOT NULL",
                "ALTER TABLE \"shop\".\"vgp_order\" DROP CONSTRAINT IF EXISTS \"price_enum\"");
    }

    @Test
    void addingAndDroppingAtOnceMayBeARenameAndIsRefused() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20), notNull("title", "VARCHAR", 50));
        TargetTable current = new TargetTable(current().columns().subList(0, 2), List.of("id"));
        assertThatThrownBy(() -> ddl.alterTable(table(after), current)).isInstanceOf(UntranslatableDdlException.class)
                .hasMessage("Table `shop`.`vgp_order`: the change adds [title] and drops [name], which may be a rename;"
                        + " apply it at the target by hand");
    }

    @Test
    void aPrimaryKeyChangeIsRefused() {
        SourceTable after = new SourceTable(ORDER, COLUMNS.subList(0, 2), List.of("id", "name"));
        TargetTable current = new TargetTable(current().columns().subList(0, 2), List.of("id"));
        assertThatThrownBy(() -> ddl.alterTable(after, current)).hasMessageContaining(
                "the primary key changes from [id] to [id, name]");
    }

    @Test
    void dropTruncateAndRenameWithinTheSchema() {
        assertThat(ddl.dropTable(ORDER)).containsExactly("DROP TABLE \"shop\".\"vgp_order\"");
        assertThat(ddl.truncateTable(ORDER)).containsExactly("TRUNCATE TABLE \"shop\".\"vgp_order\"");
        assertThat(ddl.renameTable(ORDER, new TableId("shop", "old_order")))
                .containsExactly("ALTER TABLE \"shop\".\"vgp_order\" RENAME TO \"old_order\"");
        assertThatThrownBy(() -> ddl.renameTable(ORDER, new TableId("archive", "vgp_order")))
                .isInstanceOf(UntranslatableDdlException.class).hasMessageContaining("moves it to another database");
    }

    @Test
    void indexesAreNamedTablePrefixedAndCreatedUnqualified() {
        assertThat(ddl.indexDelta(ORDER, "ADD UNIQUE INDEX `by_name` (`name`, `price` DESC)\n"
                + "ADD INDEX `by_state` (`state`)\nDROP `old`")).containsExactly(
                "CREATE UNIQUE INDEX \"vgp_order_by_name\" ON \"shop\".\"vgp_order\" (\"name\", \"price\" DESC)",
                "CREATE INDEX \"vgp_order_by_state\" ON \"shop\".\"vgp_order\" (\"state\")",
                "DROP INDEX \"shop\".\"vgp_order_old\"");
    }

    @Test
    void alreadySatisfiedStates() {
        for (String state : List.of("42P07", "42701", "42710", "42P01", "42703", "42704")) {
            assertThat(ddl.isAlreadySatisfied(new SQLException("x", state))).as(state).isTrue();
        }
        assertThat(ddl.isAlreadySatisfied(new SQLException("syntax", "42601"))).isFalse();
    }

    @Test
    void catalogQueriesUseFormatType() {
        assertThat(ddl.catalogColumnsQuery()).isEqualTo("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " NOT a.attnotnull FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
        assertThat(ddl.catalogPrimaryKeyQuery()).isEqualTo("SELECT a.attname FROM pg_catalog.pg_index x"
                + " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE n.nspname = ? AND c.relname = ? AND x.indisprimary ORDER BY k.ord");
    }
}
