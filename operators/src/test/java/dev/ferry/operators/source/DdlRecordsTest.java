package dev.ferry.operators.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.TableId;
import dev.ferry.compat.ddlstatements.UnparseableStatements;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Schema-change records as Flink CDC 3.5.0 emits them (value: source + historyRecord JSON). */
class DdlRecordsTest {
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("db", Schema.OPTIONAL_STRING_SCHEMA).field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct()
            .field("source", SOURCE).field("historyRecord", Schema.STRING_SCHEMA).build();
    private static final DdlRecords IN_SHOP = new DdlRecords(t -> t.database().equals("shop"));

    @Test
    void anAlterBecomesADdlEventAtItsBinlogPosition() {
        Optional<ChangeEvent> e = IN_SHOP.toEvent(record("shop", "orders", """
                {"databaseName":"shop","ddl":"alter table orders add c int",
                 "tableChanges":[{"type":"ALTER","id":"\\"shop\\".\\"orders\\""}]}"""),
                Map.of("file", "binlog.000003", "pos", 991L));
        assertThat(e).get().satisfies(ddl -> {
            assertThat(ddl.op()).isEqualTo(Op.DDL);
            assertThat(ddl.table()).isEqualTo(new TableId("shop", "orders"));
            assertThat(ddl.ddl()).isEqualTo("alter table orders add c int");
            assertThat(ddl.txId()).isEqualTo("binlog.000003:991");
            assertThat(ddl.sourceTsMs()).isEqualTo(1234L);
        });
    }

    @Test
    void tablesComeFromTheSourceBlockWhenThereAreNoTableChanges() {
        Optional<ChangeEvent> e = IN_SHOP.toEvent(record("shop", "orders", """
                {"databaseName":"shop","ddl":"DROP TABLE `shop`.`orders`","tableChanges":[]}"""),
                Map.of("file", "f", "pos", 1L));
        assertThat(e).get().extracting(ChangeEvent::table).isEqualTo(new TableId("shop", "orders"));
    }

    @Test
    void aRenameIsKeptIfEitherNameIsInTheChannel() {
        DdlRecords onlyNewName = new DdlRecords(t -> t.table().equals("new_orders"));
        Optional<ChangeEvent> e = onlyNewName.toEvent(record("shop", "orders,new_orders", """
                {"databaseName":"shop","ddl":"RENAME TABLE orders TO new_orders","tableChanges":[]}"""),
                Map.of("file", "f", "pos", 1L));
        assertThat(e).get().extracting(ChangeEvent::table).isEqualTo(new TableId("shop", "new_orders"));
    }

    @Test
    void ddlOutsideTheChannelOrWithoutATableIsDropped() {
        assertThat(IN_SHOP.toEvent(record("crm", "people", """
                {"databaseName":"crm","ddl":"alter table people add c int","tableChanges":[]}"""),
                Map.of("file", "f", "pos", 1L))).isEmpty();
        assertThat(IN_SHOP.toEvent(record("shop", null, """
                {"databaseName":"shop","ddl":"CREATE DATABASE shop2","tableChanges":[]}"""),
                Map.of("file", "f", "pos", 1L))).isEmpty();
    }

    @Test
    void quotesInsideDebeziumTableIdsAreUndoubled() {
        Optional<ChangeEvent> e = IN_SHOP.toEvent(record("shop", null, """
                {"databaseName":"shop","ddl":"create table `a\\"b` (id int primary key)",
                 "tableChanges":[{"type":"CREATE","id":"\\"shop\\".\\"a\\"\\"b\\""}]}"""),
                Map.of("file", "f", "pos", 1L));
        assertThat(e).get().extracting(ChangeEvent::table).isEqualTo(new TableId("shop", "a\"b"));
    }

    /**
     * A table created with a MySQL 9 VECTOR column while the direction runs: the statement reached Debezium with the
     * column as a marked LONGBLOB (cdc-compat). It becomes a change that cannot be read, which holds the table,
     * naming the column and the VECTOR type; it is never applied as a LONGBLOB table.
     */
    @Test
    void aStatementWithVectorColumnsHoldsItsTable() {
        Optional<ChangeEvent> e = IN_SHOP.toEvent(record("shop", null, """
                {"databaseName":"shop","ddl":"CREATE TABLE emb (id INT PRIMARY KEY, e LONGBLOB /*ferry:VECTOR(3)*/)",
                 "tableChanges":[{"type":"CREATE","id":"\\"shop\\".\\"emb\\""}]}"""), Map.of("file", "f", "pos", 7L));
        assertThat(e).get().satisfies(hold -> {
            assertThat(hold.op()).isEqualTo(Op.UNDECODABLE);
            assertThat(hold.table()).isEqualTo(new TableId("shop", "emb"));
            assertThat(hold.unreadable()).isEqualTo(ChangeEvent.Unreadable.UNSUPPORTED_TYPE);
            assertThat(hold.unreadableColumn()).isEqualTo("e");
            assertThat(hold.unreadableMessage()).contains("shop.emb.e", "VECTOR(3)", "f:7", "e LONGBLOB /*was VECTOR(3)*/",
                    "outcome = 'manual'");
            assertThat(hold.txId()).isEqualTo("f:7");
        });
    }

    /**
     * Statements Debezium could not parse, as cdc-compat's UnparseableStatements handed them over: one read without
     * words that change no column is applied as the source ran it, with the structure Debezium made of it; one that
     * made the reader forget the table's columns holds the table, naming the statement, and is never applied.
     */
    @Test
    void statementsTheReaderCouldNotParseApplyAsTheSourceRanThemOrHoldTheirTable() {
        String original = "ALTER TABLE IF EXISTS orders WAIT 5 ADD COLUMN c INT FIRST";
        String parsed = UnparseableStatements.rewrite(original, "shop", (sql, db) -> !sql.contains("EXISTS"));
        Optional<ChangeEvent> e = IN_SHOP.toEvent(record("shop", "orders", """
                {"databaseName":"shop","ddl":"%s",
                 "tableChanges":[{"type":"ALTER","id":"\\"shop\\".\\"orders\\""}]}""".formatted(parsed)),
                Map.of("file", "f", "pos", 9L));
        assertThat(e).get().satisfies(ddl -> {
            assertThat(ddl.op()).isEqualTo(Op.DDL);
            assertThat(ddl.ddl()).isEqualTo(original);
            assertThat(ddl.ddlStructure()).contains("ALTER");
        });

        String versioned = "ALTER TABLE orders ADD SYSTEM VERSIONING";
        String forgotten = UnparseableStatements.rewrite(versioned, "shop", (sql, db) -> false);
        Optional<ChangeEvent> hold = IN_SHOP.toEvent(record("shop", "orders", """
                {"databaseName":"shop","ddl":"%s",
                 "tableChanges":[{"type":"ALTER","id":"\\"shop\\".\\"orders\\""}]}""".formatted(
                        forgotten)), Map.of("file", "f", "pos", 11L));
        assertThat(hold).get().satisfies(h -> {
            assertThat(h.op()).isEqualTo(Op.UNDECODABLE);
            assertThat(h.unreadable()).isEqualTo(ChangeEvent.Unreadable.UNPARSEABLE_STATEMENT);
            assertThat(h.unreadableMessage()).contains("f:11", versioned, "shop.orders", "not apply");
            assertThat(h.txId()).isEqualTo("f:11");
        });
    }

    private static Struct record(String db, String table, String historyJson) {
        Struct source = new Struct(SOURCE).put("db", db).put("table", table).put("ts_ms", 1234L);
        return new Struct(VALUE).put("source", source).put("historyRecord", historyJson);
    }
}
