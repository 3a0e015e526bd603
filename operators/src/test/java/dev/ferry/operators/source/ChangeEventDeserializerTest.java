package dev.ferry.operators.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.MysqlTime;
import dev.ferry.common.Op;
import dev.ferry.common.TableScope;
import io.debezium.data.geometry.Geometry;
import io.debezium.data.geometry.Point;
import java.util.HexFormat;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Decimal;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Debezium records as Flink CDC 3.5.0 emits them -> Ferry's change events. */
class ChangeEventDeserializerTest {
    private static final Schema KEY = SchemaBuilder.struct().field("back``tick", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().optional()
            .field("back``tick", Schema.INT32_SCHEMA)
            .field("amount", Decimal.builder(30).optional().build())
            .field("at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("ts", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
            .field("t", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
            .field("bits", SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "10").optional()
                    .build())
            .field("g", Geometry.builder().optional().build())
            .field("p", Point.builder().optional().build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("db", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct()
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .build();

    @Test
    void rowsOfOneTransactionShareTheTransactionIdOfItsBegin() {
        ChangeEvent first = deserialize("c", null, row(1, 0L), Map.of("file", "binlog.000002", "pos", 4242L,
                "event", 2, "row", 0));
        ChangeEvent second = deserialize("u", row(1, 0L), row(1, 0L), Map.of("file", "binlog.000002", "pos", 4242L,
                "event", 3, "row", 0));
        assertThat(first.txId()).isEqualTo("binlog.000002:4242").isEqualTo(second.txId());
        assertThat(first.position()).isNotEqualTo(second.position());
        assertThat(second.op()).isEqualTo(Op.UPDATE);
    }

    @Test
    void convertsValuesExactlyAndUnescapesColumnNames() {
        ChangeEvent e = deserialize("c", null, row(7, 5_000_000L), Map.of("file", "f", "pos", 1L));
        assertThat(e.schema().columns()).containsExactly("back`tick", "amount", "at", "ts", "t", "bits", "g", "p");
        assertThat(e.key()).containsExactly(7L);
        assertThat(e.after()[1]).isEqualTo(new BigDecimal("1.000000000000000000000000000001"));
        assertThat(e.after()[2]).isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000));
        assertThat(e.after()[3]).isEqualTo(Instant.parse("2038-01-19T03:14:07.999999Z"));
        assertThat(e.after()[4]).isEqualTo(new MysqlTime(5_000_000L));
        assertThat((byte[]) e.after()[5]).containsExactly(0x02, 0x01); // b'1000000001', big-endian
    }

    @Test
    void snapshotRowsBelongToNoTransaction() {
        ChangeEvent e = deserialize("r", null, row(1, -3_600_000_000L), Map.of("file", "f", "pos", 1L));
        assertThat(e.op()).isEqualTo(Op.READ);
        assertThat(e.txId()).isNull();
        assertThat(e.after()[4]).isEqualTo(new MysqlTime(-3_600_000_000L)); // the snapshot reads it exactly
    }

    /** The binlog's TIME is decoded by Ferry's DBZ-7594 copy of Debezium's RowDeserializers (cdc-compat). */
    @Test
    void carriesANegativeTimeFromTheBinlog() {
        ChangeEvent e = deserialize("c", null, row(1, -3_000_000_000_000L), Map.of("file", "f", "pos", 9L));
        assertThat(e.after()[4]).isEqualTo(new MysqlTime(-3_000_000_000_000L));
        assertThat(e.after()[4].toString()).isEqualTo("-833:20:00.000000");
    }

    /** A spatial value becomes MySQL's storage form again: SRID (4 bytes, little-endian) then the WKB. */
    @Test
    void carriesSpatialValuesAsSridAndWkb() {
        byte[] polygon = HexFormat.of().parseHex("0103000000010000000400000000000000000000000000000000000000000000000"
                + "00000F03F0000000000000000000000000000F03F000000000000F03F00000000000000000000000000000000");
        byte[] point = HexFormat.of().parseHex("0101000000000000000000F03F0000000000000040");
        Struct after = row(1, 0L)
                .put("g", Geometry.createValue(ROW.field("g").schema(), polygon, 4326))
                .put("p", Point.createValue(ROW.field("p").schema(), point, null));
        ChangeEvent e = deserialize("c", null, after, Map.of("file", "f", "pos", 1L));
        assertThat(HexFormat.of().formatHex((byte[]) e.after()[6])).isEqualToIgnoringCase("E6100000"
                + HexFormat.of().formatHex(polygon));
        assertThat(HexFormat.of().formatHex((byte[]) e.after()[7])).isEqualToIgnoringCase("00000000"
                + HexFormat.of().formatHex(point));
    }

    /** Rows of a table outside the channel are dropped before any value is converted (and could fail). */
    @Test
    void dropsRowsOfTablesOutsideTheScopeBeforeConvertingThem() {
        List<ChangeEvent> out = deserialize("c", null, row(1, 0L), Map.of("file", "f", "pos", 1L),
                t -> !t.table().equals("orders"));
        assertThat(out).isEmpty();
    }

    /**
     * A table without a primary key (created at the source while the direction runs) cannot be applied exactly: its
     * change becomes an UNDECODABLE event that names table, position and reason, instead of failing the source (and
     * with it every table of the direction).
     */
    @Test
    void aChangeOfATableWithoutPrimaryKeyBecomesAnUndecodableEventNotAFailure() {
        Struct source = new Struct(SOURCE).put("db", "shop").put("table", "orders").put("ts_ms", 5L);
        Struct value = new Struct(VALUE).put("after", row(1, 0L)).put("source", source).put("op", "c");
        List<ChangeEvent> out = deserialize(new SourceRecord(Map.of("server", "x"), Map.of("file", "binlog.000003",
                "pos", 700L, "event", 2, "row", 0), "topic", null, null, null, VALUE, value));
        assertThat(out).hasSize(1);
        ChangeEvent e = out.get(0);
        assertThat(e.op()).isEqualTo(Op.UNDECODABLE);
        assertThat(e.table().toString()).isEqualTo("shop.orders");
        assertThat(e.unreadable()).isEqualTo(ChangeEvent.Unreadable.NO_PRIMARY_KEY);
        assertThat(e.unreadableColumn()).isEmpty();
        assertThat(e.position()).isEqualTo("binlog.000003:700:2:0");
        assertThat(e.txId()).isEqualTo("binlog.000003:700");
        assertThat(e.sourceTsMs()).isEqualTo(5L);
        assertThat(e.unreadableMessage()).contains("INSERT at binlog.000003:700:2:0", "shop.orders",
                "has no primary key");
    }

    /** A value Ferry cannot carry exactly (ConnectValueConverter refuses its type) names its column. */
    @Test
    void aValueOfATypeFerryCannotCarryBecomesAnUndecodableEventNamingTheColumn() {
        Schema row = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA)
                .field("shape", SchemaBuilder.struct().name("io.debezium.data.geometry.Geography").optional()
                        .field("wkb", Schema.BYTES_SCHEMA).build())
                .build();
        Schema valueSchema = SchemaBuilder.struct().field("before", row).field("after", row).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct before = new Struct(row).put("id", 1).put("shape",
                new Struct(row.field("shape").schema()).put("wkb", new byte[] {1}));
        Struct source = new Struct(SOURCE).put("db", "shop").put("table", "orders").put("ts_ms", 1L);
        Struct value = new Struct(valueSchema).put("before", before).put("source", source).put("op", "d");
        Schema key = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
        List<ChangeEvent> out = deserialize(new SourceRecord(Map.of("server", "x"), Map.of("file", "f", "pos", 9L),
                "topic", null, key, new Struct(key).put("id", 1), valueSchema, value));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).op()).isEqualTo(Op.UNDECODABLE);
        assertThat(out.get(0).unreadable()).isEqualTo(ChangeEvent.Unreadable.UNSUPPORTED_TYPE);
        assertThat(out.get(0).unreadableColumn()).isEqualTo("shape");
        assertThat(out.get(0).unreadableMessage()).contains("DELETE at f:9:0:0", "shop.orders.shape",
                "io.debezium.data.geometry.Geography");
    }

    /**
     * A zero date reaches the deserializer as ZeroDateRows' stand-in (a date before year 0); it becomes an
     * undecodable change naming the column and the value as stored, never NULL or 1970-01-01.
     */
    @Test
    void aZeroDateFromTheBinlogBecomesAnUndecodableEventNamingColumnAndValue() {
        Schema row = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA)
                .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("seen", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
                .build();
        Schema valueSchema = SchemaBuilder.struct().field("before", row).field("after", row).field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        Schema key = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
        Struct source = new Struct(SOURCE).put("db", "shop").put("table", "people").put("ts_ms", 1L);
        java.util.function.BiFunction<Integer, Long, List<ChangeEvent>> insert = (born, seen) -> deserialize(
                new SourceRecord(Map.of("server", "x"), Map.of("file", "f", "pos", 9L), "topic", null, key,
                        new Struct(key).put("id", 1), valueSchema, new Struct(valueSchema).put("after",
                                new Struct(row).put("id", 1).put("born", born).put("seen", seen))
                        .put("source", source).put("op", "c")));

        int early = (int) java.time.LocalDate.of(50, 3, 1).toEpochDay();
        long ordinary = LocalDateTime.of(1999, 12, 31, 23, 59, 59).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;
        assertThat(insert.apply(early, ordinary)).singleElement().satisfies(e -> {
            assertThat(e.op()).isEqualTo(Op.INSERT);
            assertThat(e.after()[1]).isEqualTo(java.time.LocalDate.of(50, 3, 1));
        });

        int zeroMonth = (int) dev.ferry.compat.zerodates.ZeroDates.standIn(2024, 0, 10).toEpochDay();
        assertThat(insert.apply(zeroMonth, ordinary)).singleElement().satisfies(e -> {
            assertThat(e.op()).isEqualTo(Op.UNDECODABLE);
            assertThat(e.unreadable()).isEqualTo(ChangeEvent.Unreadable.ZERO_DATE);
            assertThat(e.unreadableColumn()).isEqualTo("born");
            assertThat(e.unreadableMessage()).contains("INSERT at f:9:0:0", "shop.people.born", "'2024-00-10'");
        });
        LocalDateTime zero = dev.ferry.compat.zerodates.ZeroDates.standIn(0, 0, 0, 12, 0, 1, 500_000_000);
        long zeroMicros = zero.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L + 500_000;
        assertThat(insert.apply(null, zeroMicros)).singleElement().satisfies(e -> {
            assertThat(e.unreadable()).isEqualTo(ChangeEvent.Unreadable.ZERO_DATE);
            assertThat(e.unreadableMessage()).contains("shop.people.seen", "'0000-00-00 12:00:01.500000'");
        });
    }

    /** MySQL stores a zero TIMESTAMP as the epoch, which no TIMESTAMP can hold otherwise. */
    @Test
    void aZeroTimestampBecomesAnUndecodableEvent() {
        Struct zero = row(1, 0L).put("ts", "1970-01-01T00:00:00Z");
        assertThat(deserialize("c", null, zero, Map.of("file", "f", "pos", 9L))).satisfies(e -> {
            assertThat(e.unreadable()).isEqualTo(ChangeEvent.Unreadable.ZERO_DATE);
            assertThat(e.unreadableMessage()).contains("shop.orders.ts", "'0000-00-00 00:00:00'");
        });
        List<ChangeEvent> history = deserialize(new SourceRecord(Map.of("server", "x"), Map.of("file", "f", "pos", 9L),
                "topic", null, KEY, new Struct(KEY).put("back``tick", 1), VALUE, new Struct(VALUE).put("after", zero)
                .put("source", new Struct(SOURCE).put("db", "shop").put("table", "orders").put("ts_ms", 1L))
                .put("op", "c")), ChangeEventDeserializer.forTargetHistory(t -> true));
        assertThat(history).singleElement().as("a target's own write, read for the arbitration, keeps its key")
                .satisfies(e -> {
                    assertThat(e.op()).isEqualTo(Op.INSERT);
                    assertThat(e.after()[3]).isEqualTo(Instant.EPOCH);
                });
        Struct earliest = row(1, 0L).put("ts", "1970-01-01T00:00:01Z");
        assertThat(deserialize("c", null, earliest, Map.of("file", "f", "pos", 9L)).after()[3])
                .isEqualTo(Instant.ofEpochSecond(1));
    }

    private static List<ChangeEvent> deserialize(SourceRecord record) {
        return deserialize(record, t -> true);
    }

    private static List<ChangeEvent> deserialize(SourceRecord record, TableScope scope) {
        return deserialize(record, new ChangeEventDeserializer(scope));
    }

    private static List<ChangeEvent> deserialize(SourceRecord record, ChangeEventDeserializer deserializer) {
        List<ChangeEvent> out = new ArrayList<>();
        deserializer.deserialize(record, new Collector<>() {
            @Override
            public void collect(ChangeEvent e) {
                out.add(e);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    private static Struct row(int id, long timeMicros) {
        return new Struct(ROW).put("back``tick", id)
                .put("amount", new BigDecimal("1.000000000000000000000000000001"))
                .put("at", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000).toEpochSecond(java.time.ZoneOffset.UTC)
                        * 1_000_000L + 789_012L)
                .put("ts", "2038-01-19T03:14:07.999999Z")
                .put("t", timeMicros)
                .put("bits", new byte[] {0x01, 0x02});
    }

    private static ChangeEvent deserialize(String op, Struct before, Struct after, Map<String, ?> offset) {
        List<ChangeEvent> out = deserialize(op, before, after, offset, t -> true);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static List<ChangeEvent> deserialize(String op, Struct before, Struct after, Map<String, ?> offset,
            TableScope scope) {
        Struct source = new Struct(SOURCE).put("db", "shop").put("table", "orders").put("ts_ms", 1L);
        Struct value = new Struct(VALUE).put("before", before).put("after", after).put("source", source).put("op", op);
        SourceRecord record = new SourceRecord(Map.of("server", "x"), offset, "topic", null, KEY,
                new Struct(KEY).put("back``tick", 1), VALUE, value);
        return deserialize(record, scope);
    }
}
