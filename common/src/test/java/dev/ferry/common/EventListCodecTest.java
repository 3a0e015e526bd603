package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventListCodecTest {
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableId LINES = new TableId("shop", "order lines");
    private static final RowSchema ORDER = new RowSchema(new String[] {"id", "note"}, new int[] {0});
    private static final RowSchema ORDER_AFTER_ALTER = new RowSchema(new String[] {"id", "note", "c"}, new int[] {0});
    private static final RowSchema LINE = new RowSchema(new String[] {"order_id", "line", "sku"}, new int[] {0, 1});

    @Test
    void mixedTablesSchemasTransactionsAndEchoesRoundTrip() throws IOException {
        List<ChangeEvent> events = List.of(
                new ChangeEvent(Op.INSERT, ORDERS, ORDER, null, new Object[] {1L, "观澜湖新城-B1"}, "f:10", "f:10:1:0", 1),
                new ChangeEvent(Op.INSERT, LINES, LINE, null, new Object[] {1L, 1L, "a"}, "f:10", "f:10:2:0", 1),
                // a table seen before, then a new schema of it: both kept apart
                new ChangeEvent(Op.UPDATE, ORDERS, ORDER, new Object[] {1L, "x"}, new Object[] {1L, null}, "f:10",
                        "f:10:3:0", 1).withSeen("0=g.000001:5:1:0"),
                ChangeEvent.ddl(ORDERS, "alter table orders add c int", "f:20", "f:20:1:0", 2),
                new ChangeEvent(Op.DELETE, ORDERS, ORDER_AFTER_ALTER, new Object[] {1L, null, 7L}, null, "f:30",
                        "f:30:1:0", 3).asOwnWrite(),
                new ChangeEvent(Op.READ, LINES, LINE, null, new Object[] {2L, 1L, null}, null, null, 0),
                // equal but not the same objects as the first row's: found through the table of shapes
                new ChangeEvent(Op.INSERT, new TableId("shop", "orders"), new RowSchema(new String[] {"id", "note"},
                        new int[] {0}), null, new Object[] {2L, ""}, "f:40", "f:40:1:0", 4));

        List<ChangeEvent> back = roundTrip(events);

        assertThat(back).isEqualTo(events);
        assertThat(back.get(4).isOwnWrite()).isTrue();
        assertThat(back.get(0).isOwnWrite()).isFalse();
        assertThat(back.get(2).seen()).isEqualTo("0=g.000001:5:1:0");
        assertThat(back.get(3).seen()).isNull();
        assertThat(back.get(5).txId()).isNull();
    }

    @Test
    void aTableIsWrittenOnceNotOncePerRow() throws IOException {
        List<ChangeEvent> oneRow = rows(1);
        List<ChangeEvent> thousandRows = rows(1000);

        int perRowAfterTheFirst = (bytes(thousandRows).length - bytes(oneRow).length) / 999;

        // a row of two values (9 + 5 bytes), before-image marker, tags, position and time: the column names
        // ("id", "note"), the table name and the transaction id are not repeated
        assertThat(perRowAfterTheFirst).isLessThan(60);
        assertThat(roundTrip(thousandRows)).isEqualTo(thousandRows);
    }

    @Test
    void anEmptyListRoundTrips() throws IOException {
        assertThat(roundTrip(List.of())).isEmpty();
    }

    private static List<ChangeEvent> rows(int n) {
        List<ChangeEvent> events = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            events.add(new ChangeEvent(Op.INSERT, ORDERS, ORDER, null, new Object[] {i, "n"},
                    "mysql-bin.000001:123456", "f:" + i, 1));
        }
        return events;
    }

    private static byte[] bytes(List<ChangeEvent> events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventListCodec.write(new DataOutputStream(bytes), events);
        return bytes.toByteArray();
    }

    private static List<ChangeEvent> roundTrip(List<ChangeEvent> events) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes(events)));
        List<ChangeEvent> back = EventListCodec.read(in);
        assertThat(in.read()).as("everything written was read").isEqualTo(-1);
        return back;
    }
}
