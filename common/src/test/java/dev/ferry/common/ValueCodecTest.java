package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "v"}, new int[] {0});

    @Test
    void everyValueTypeRoundTripsExactly() throws IOException {
        Object[] row = {
            null,
            Long.MIN_VALUE,
            new BigDecimal("18446744073709551615"),
            new BigDecimal("-12345678901234567890123456789012345.123456789012345678901234567890"),
            Float.MIN_VALUE,
            -Double.MAX_VALUE,
            "观澜湖新城-B1 🚢",
            new byte[] {0, -1, 127},
            true,
            LocalDate.of(1000, 1, 1),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            Instant.ofEpochSecond(2_147_483_647L, 123_456_000),
            new MysqlTime(-838L * 3_600_000_000L - 59 * 60_000_000L - 59_000_000L),
            "x".repeat(70_000)
        };
        ChangeEvent e = new ChangeEvent(Op.UPDATE, new TableId("shop", "order items"), SCHEMA, row, row.clone(),
                "binlog.000001:4", "binlog.000001:4:2:0", 1234L);

        ChangeEvent back = roundTrip(e);

        assertThat(back).isEqualTo(e);
        assertThat(back.after()[2]).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(((BigDecimal) back.after()[3]).scale()).isEqualTo(30);
    }

    @Test
    void theEchoMarkSurvivesSerialisation() throws IOException {
        ChangeEvent e = new ChangeEvent(Op.DELETE, new TableId("shop", "t"), SCHEMA, new Object[] {1L, "x"}, null,
                "binlog.000002:4", "binlog.000002:4:1:0", 5L);

        assertThat(roundTrip(e).isOwnWrite()).isFalse();
        assertThat(roundTrip(e.asOwnWrite()).isOwnWrite()).isTrue();
        assertThat(roundTrip(e.asOwnWrite())).isEqualTo(e.asOwnWrite()).isNotEqualTo(e);
    }

    @Test
    void theSeenPositionSurvivesSerialisationAndOlderEventsHaveNone() throws IOException {
        ChangeEvent e = new ChangeEvent(Op.UPDATE, new TableId("shop", "t"), SCHEMA, new Object[] {1L, "x"},
                new Object[] {1L, "y"}, "binlog.000002:4", "binlog.000002:4:1:0", 5L);
        ChangeEvent seen = e.withSeen("0=us-bin.000007:1200:3:0;1=us-bin.000007:900:1:0");

        assertThat(roundTrip(e).seen()).isNull();
        assertThat(roundTrip(seen)).isEqualTo(seen).isNotEqualTo(e);
        assertThat(roundTrip(seen.asOwnWrite()).seen()).isEqualTo(seen.seen());
    }

    /** A change the reader could not read travels through state and ferry_held with its reason (a new op tag). */
    @Test
    void anUndecodableChangeRoundTripsWithItsReason() throws IOException {
        ChangeEvent e = ChangeEvent.undecodable(new TableId("shop", "t"), ChangeEvent.Unreadable.UNSUPPORTED_TYPE, "v",
                "INSERT at binlog.000002:4:1:0: column shop.t.v has a type Ferry cannot replicate exactly",
                "binlog.000002:4", "binlog.000002:4:1:0", 5L);
        ChangeEvent back = roundTrip(e);
        assertThat(back).isEqualTo(e);
        assertThat(back.op()).isEqualTo(Op.UNDECODABLE);
        assertThat(back.unreadable()).isEqualTo(ChangeEvent.Unreadable.UNSUPPORTED_TYPE);
        assertThat(back.unreadableColumn()).isEqualTo("v");
        assertThatThrownBy(() -> new ChangeEvent(Op.UNDECODABLE, new TableId("a", "b"), SCHEMA, null,
                new Object[] {"NO_SUCH_REASON", "", "m"}, "t", "p", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeLiteralCoversTheWholeMysqlRange() {
        assertThat(new MysqlTime(-(838L * 3600 + 59 * 60 + 59) * 1_000_000L).toSqlLiteral())
                .isEqualTo("-838:59:59.000000");
        assertThat(new MysqlTime(1_000_001L).toSqlLiteral()).isEqualTo("00:00:01.000001");
    }

    @Test
    void unknownValueTypesAreRefusedByName() {
        assertThatThrownBy(() -> ValueCodec.writeValue(new DataOutputStream(new ByteArrayOutputStream()), new Object()))
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void eventsCheckTheirImages() {
        assertThatThrownBy(() -> new ChangeEvent(Op.DELETE, new TableId("a", "b"), SCHEMA, null, new Object[2],
                "t", "p", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ChangeEvent roundTrip(ChangeEvent e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValueCodec.writeEvent(new DataOutputStream(bytes), e);
        return ValueCodec.readEvent(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
