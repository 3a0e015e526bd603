package dev.ferry.dialect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.TableId;
import dev.ferry.dialect.PostgreSqlDialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceTablesTest {
    private static final TableId T = new TableId("shop", "vgp_order");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SourceTable parse(String json) throws Exception {
        return SourceTables.fromDebezium(T, JSON.readTree(json.replace('\'', '"')));
    }

    @Test
    void readsAHistoryRecordTable() throws Exception {
        SourceTable t = parse("{'defaultCharsetName':'utf8mb4','primaryKeyColumnNames':['id'],'columns':["
                + "{'name':'booboo','jdbcType':12,'typeName':'VARCHAR','typeExpression':'VARCHAR','charsetName':null,"
                + "'length':255,'scale':null,'position':2,'optional':true,'autoIncremented':false,'generated':false,"
                + "'comment':null,'hasDefaultValue':true,'defaultValueExpression':'superman','enumValues':null},"
                + "{'name':'id','jdbcType':4,'typeName':'INT','typeExpression':'INT','charsetName':null,'length':11,"
                + "'scale':null,'position':1,'optional':false,'autoIncremented':true,'generated':true,'comment':null,"
                + "'hasDefaultValue':false,'defaultValueExpression':null,'enumValues':null}]}");
        assertThat(t.primaryKey()).containsExactly("id");
        assertThat(t.columns()).containsExactly(
                new SourceColumn("id", "INT", false, 11, -1, false, true, false, null, false, List.of(), null),
                new SourceColumn("booboo", "VARCHAR", false, 255, -1, true, false, true, "superman", false, List.of(),
                        "utf8mb4"));
    }

    @Test
    void splitsUnsignedAndZerofillFromTheType() throws Exception {
        SourceTable t = parse("{'columns':[{'name':'a','typeName':'BIGINT UNSIGNED','length':20,'optional':false},"
                + "{'name':'b','typeName':'int unsigned zerofill'},{'name':'c','typeName':'DOUBLE PRECISION'}]}");
        assertThat(t.columns()).extracting(SourceColumn::typeName, SourceColumn::unsigned).containsExactly(
                tuple("BIGINT", true), tuple("INT", true),
                tuple("DOUBLE PRECISION", false));
        // missing fields mean absent
        assertThat(t.columns().get(1)).isEqualTo(
                new SourceColumn("b", "INT", true, -1, -1, true, false, false, null, false, List.of(), null));
        assertThat(t.primaryKey()).isEmpty();
    }

    @Test
    void enumValuesLoseTheirQuotes() throws Exception {
        SourceTable t = SourceTables.fromDebezium(T, JSON.readTree("""
                {"defaultCharsetName": "latin1", "columns": [{"name": "s", "typeName": "ENUM",
                 "enumValues": ["'new'", "'it''s'", "plain"]}]}"""));
        assertThat(t.columns().get(0).enumValues()).containsExactly("new", "it's", "plain");
        assertThat(t.columns().get(0).charset()).isEqualTo("latin1");
    }

    @Test
    void tellsExpressionDefaultsFromLiteralOnes() throws Exception {
        SourceTable t = parse("{'columns':["
                + "{'name':'a','typeName':'TIMESTAMP','hasDefaultValue':true,'defaultValueExpression':'CURRENT_TIMESTAMP'},"
                + "{'name':'b','typeName':'DATETIME','hasDefaultValue':true,'defaultValueExpression':'now(3)'},"
                + "{'name':'c','typeName':'VARCHAR','hasDefaultValue':true,'defaultValueExpression':'(uuid())'},"
                + "{'name':'d','typeName':'INT','hasDefaultValue':true,'defaultValueExpression':'0'},"
                + "{'name':'e','typeName':'VARCHAR','hasDefaultValue':true,'defaultValueExpression':'NULL'},"
                + "{'name':'f','typeName':'VARCHAR','hasDefaultValue':true,'defaultValueExpression':'nowhere'}]}");
        assertThat(t.columns()).extracting(SourceColumn::defaultValue, SourceColumn::defaultIsExpression).containsExactly(
                tuple("CURRENT_TIMESTAMP", true),
                tuple("now(3)", true),
                tuple("(uuid())", true),
                tuple("0", false),
                tuple(null, false),
                tuple("nowhere", false));
    }

    @Test
    void theParsedSeedTableBecomesTheSeedAlter() throws Exception {
        SourceTable t = parse("{'primaryKeyColumnNames':['id'],'columns':[{'name':'id','typeName':'INT','position':1,"
                + "'optional':false},{'name':'booboo','typeName':'VARCHAR','length':255,'position':2,'optional':true,"
                + "'hasDefaultValue':true,'defaultValueExpression':'superman'}]}");
        TargetTable pg = new TargetTable(List.of(new TargetColumn("id", "integer", false)), List.of("id"));
        assertThat(new PostgreSqlDialect().schema().alterTable(t, pg)).containsExactly(
                "ALTER TABLE \"shop\".\"vgp_order\" ADD COLUMN \"booboo\" character varying(255) DEFAULT 'superman'");
    }
}
