package dev.ferry.dialect.schema;

import static dev.ferry.dialect.Columns.col;
import static dev.ferry.dialect.Columns.enumOf;
import static dev.ferry.dialect.Columns.notNull;
import static dev.ferry.dialect.Columns.nullable;
import static dev.ferry.dialect.Columns.withDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.TableId;
import dev.ferry.dialect.OracleDialect;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OracleSchemaTest {
    private static final TableId ORDER = new TableId("shop", "vgp_order");
    private final SchemaTranslator ddl = new OracleDialect().schema();

    private static SourceTable table(List<SourceColumn> columns) {
        return new SourceTable(ORDER, columns, List.of("id"));
    }

    @Test
    void theSeedAlterAddsTheColumnWithItsDefault() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20),
                withDefault(nullable("booboo", "VARCHAR", 255), "superman", false));
        TargetTable current = new TargetTable(List.of(new TargetColumn("ID", "NUMBER(19)", false)), List.of("ID"));
        assertThat(ddl.alterTable(table(after), current)).containsExactly(
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" ADD (\"BOOBOO\" VARCHAR2(255 CHAR) DEFAULT 'superman')");
    }

    @Test
    void textColumnsAreNullableBecauseOracleStoresEmptyStringsAsNull() {
        List<SourceColumn> columns = List.of(notNull("code", "VARCHAR", 10), notNull("body", "TEXT", -1),
                notNull("raw", "VARBINARY", 8), notNull("qty", "INT", -1), nullable("doc", "JSON", -1));
        assertThat(ddl.createTable(new SourceTable(ORDER, columns, List.of("code")))).containsExactly(
                "CREATE TABLE \"SHOP\".\"VGP_ORDER\" (\"CODE\" VARCHAR2(10 CHAR) NOT NULL, \"BODY\" CLOB,"
                        + " \"RAW\" RAW(8), \"QTY\" NUMBER(10) NOT NULL, \"DOC\" CLOB CHECK (\"DOC\" IS JSON),"
                        + " PRIMARY KEY (\"CODE\"))");
    }

    @Test
    void defaultsAreAnsiLiteralsAndTheCurrentTimeIsUtc() {
        List<SourceColumn> columns = List.of(notNull("id", "BIGINT", 20),
                withDefault(notNull("created", "TIMESTAMP", 6), "CURRENT_TIMESTAMP(6)", true),
                withDefault(nullable("updated", "DATETIME", -1), "NOW()", true),
                withDefault(nullable("since", "DATE", -1), "2020-02-29", false),
                withDefault(nullable("at", "DATETIME", 6), "2020-02-29 10:00:00.5", false),
                withDefault(nullable("seen", "TIMESTAMP", -1), "2020-02-29 10:00:00", false),
                withDefault(nullable("took", "TIME", -1), "-25:00:01.5", false),
                withDefault(nullable("qty", "INT", -1), "-3", false),
                withDefault(nullable("flag", "BIT", 1), "b'0'", false),
                enumOf("size", false, "S", "M"));
        assertThat(ddl.createTable(table(columns))).containsExactly("CREATE TABLE \"SHOP\".\"VGP_ORDER\" ("
                + "\"ID\" NUMBER(19) NOT NULL, \"CREATED\" TIMESTAMP(6) WITH TIME ZONE DEFAULT SYSTIMESTAMP NOT NULL,"
                + " \"UPDATED\" TIMESTAMP(0) DEFAULT SYS_EXTRACT_UTC(SYSTIMESTAMP), \"SINCE\" DATE DEFAULT DATE '2020-02-29',"
                + " \"AT\" TIMESTAMP(6) DEFAULT TIMESTAMP '2020-02-29 10:00:00.5',"
                + " \"SEEN\" TIMESTAMP(0) WITH TIME ZONE DEFAULT TIMESTAMP '2020-02-29 10:00:00 +00:00',"
                + " \"TOOK\" INTERVAL DAY(2) TO SECOND(0) DEFAULT INTERVAL '-1 01:00:01.500000' DAY(2) TO SECOND(6),"
                + " \"QTY\" NUMBER(10) DEFAULT -3, \"FLAG\" NUMBER(1) DEFAULT '0', \"SIZE\" VARCHAR2(1 CHAR),"
                + " CONSTRAINT \"VGP_ORDER_SIZE_ENUM\" CHECK (\"SIZE\" IN ('S', 'M')), PRIMARY KEY (\"ID\"))");
    }

    @Test
    void modifiesTypeAndNullabilityInParentheses() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20), col("price", "DECIMAL", 12, 2, false),
                nullable("qty", "INT", -1));
        TargetTable current = new TargetTable(List.of(new TargetColumn("ID", "NUMBER(19)", false),
                new TargetColumn("PRICE", "NUMBER(10,2)", true), new TargetColumn("QTY", "NUMBER(10)", false),
                new TargetColumn("NOTE", "VARCHAR2(10 CHAR)", true)), List.of("ID"));
        assertThat(ddl.alterTable(table(after), current)).containsExactly(
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" DROP COLUMN \"NOTE\"",
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" MODIFY (\"PRICE\" NUMBER(12,2))",
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" MODIFY (\"PRICE\" NOT NULL)",
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" DROP CONSTRAINT \"VGP_ORDER_PRICE_ENUM\"",
                "ALTER TABLE \"SHOP\".\"VGP_ORDER\" MODIFY (\"QTY\" NULL)");
    }

    @Test
    void aNotNullTextColumnStaysNullableSoNothingDiffers() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20), notNull("name", "VARCHAR", 10));
        TargetTable current = new TargetTable(List.of(new TargetColumn("ID", "NUMBER(19)", false),
                new TargetColumn("NAME", "VARCHAR2(10 CHAR)", true)), List.of("ID"));
        assertThat(ddl.alterTable(table(after), current)).isEmpty();
    }

    @Test
    void aChangeBetweenLobAndVarcharIsRefused() {
        List<SourceColumn> after = List.of(notNull("id", "BIGINT", 20), nullable("name", "TEXT", -1));
        TargetTable current = new TargetTable(List.of(new TargetColumn("ID", "NUMBER(19)", false),
                new TargetColumn("NAME", "VARCHAR2(10 CHAR)", true)), List.of("ID"));
        assertThatThrownBy(() -> ddl.alterTable(table(after), current)).isInstanceOf(UntranslatableDdlException.class)
                .hasMessageContaining("Table `shop`.`vgp_order`: Column `name` of type TEXT")
                .hasMessageContaining("cannot change a column from VARCHAR2(10 CHAR) to CLOB in place");
    }

    @Test
    void renameStaysInTheSchema() {
        assertThat(ddl.renameTable(ORDER, new TableId("shop", "old_order")))
                .containsExactly("ALTER TABLE \"SHOP\".\"VGP_ORDER\" RENAME TO \"OLD_ORDER\"");
        assertThat(ddl.dropTable(ORDER)).containsExactly("DROP TABLE \"SHOP\".\"VGP_ORDER\"");
        assertThat(ddl.truncateTable(ORDER)).containsExactly("TRUNCATE TABLE \"SHOP\".\"VGP_ORDER\"");
    }

    @Test
    void indexesAreSchemaQualifiedAndShortenedToTheLimit() {
        assertThat(ddl.indexDelta(ORDER, "ADD INDEX `by_name` (`name` DESC)\nDROP `by_name`")).containsExactly(
                "CREATE INDEX \"SHOP\".\"VGP_ORDER_BY_NAME\" ON \"SHOP\".\"VGP_ORDER\" (\"NAME\" DESC)",
                "DROP INDEX \"SHOP\".\"VGP_ORDER_BY_NAME\"");
        SchemaTranslator old = new OracleDialect(IdentifierCase.UPPER, 30).schema();
        String create = old.indexDelta(ORDER, "ADD UNIQUE INDEX `by_customer_and_created_at` (`a`)").get(0);
        String name = "VGP_ORDER_BY_CUSTOMER_AND_CREATED_AT";
        assertThat(create).isEqualTo("CREATE UNIQUE INDEX \"SHOP\".\"VGP_ORDER_BY_CUSTOMER" + String.format("_%08x",
                name.hashCode()) + "\" ON \"SHOP\".\"VGP_ORDER\" (\"A\")");
        assertThat(create.split("\"")[3]).hasSize(30);
    }

    @Test
    void tooLongNamesAreRefusedNamingTheTable() {
        SchemaTranslator old = new OracleDialect(IdentifierCase.UPPER, 30).schema();
        SourceTable t = table(List.of(notNull("id", "BIGINT", 20), nullable("x".repeat(31), "INT", -1)));
        assertThatThrownBy(() -> old.createTable(t)).isInstanceOf(UntranslatableDdlException.class)
                .hasMessageStartingWith("Table `shop`.`vgp_order`: The name '" + "X".repeat(31) + "' is 31 bytes long"
                        + " but Oracle accepts at most 30 bytes");
    }

    @Test
    void alreadySatisfiedErrorCodes() {
        for (int code : List.of(955, 1430, 942, 904, 1418, 1442, 1451, 2443, 2264)) {
            assertThat(ddl.isAlreadySatisfied(new SQLException("ORA", "42000", code))).as("ORA-" + code).isTrue();
        }
        assertThat(ddl.isAlreadySatisfied(new SQLException("ORA-00900", "42000", 900))).isFalse();
    }

    @Test
    void catalogQueriesSpellTypesAsTheTypeMapDoes() {
        assertThat(ddl.catalogColumnsQuery()).isEqualTo("SELECT COLUMN_NAME, CASE"
                + " WHEN DATA_TYPE = 'NUMBER' AND DATA_PRECISION IS NOT NULL THEN 'NUMBER(' || DATA_PRECISION"
                + " || CASE WHEN DATA_SCALE <> 0 THEN ',' || DATA_SCALE END || ')'"
                + " WHEN DATA_TYPE IN ('VARCHAR2', 'CHAR') THEN DATA_TYPE || '(' || CHAR_LENGTH"
                + " || CASE CHAR_USED WHEN 'C' THEN ' CHAR' ELSE ' BYTE' END || ')'"
                + " WHEN DATA_TYPE = 'RAW' THEN 'RAW(' || DATA_LENGTH || ')' ELSE DATA_TYPE END,"
                + " CASE NULLABLE WHEN 'Y' THEN 1 ELSE 0 END"
                + " FROM ALL_TAB_COLUMNS WHERE OWNER = ? AND TABLE_NAME = ? ORDER BY COLUMN_ID");
        assertThat(ddl.catalogPrimaryKeyQuery()).isEqualTo("SELECT cc.COLUMN_NAME FROM ALL_CONSTRAINTS k"
                + " JOIN ALL_CONS_COLUMNS cc ON cc.OWNER = k.OWNER AND cc.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
                + " WHERE k.OWNER = ? AND k.TABLE_NAME = ? AND k.CONSTRAINT_TYPE = 'P' ORDER BY cc.POSITION");
    }
}
