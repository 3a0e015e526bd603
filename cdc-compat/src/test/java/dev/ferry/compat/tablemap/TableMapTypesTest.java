package dev.ferry.compat.tablemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * TABLE_MAP event bodies as MySQL 9 writes them for {@code (id INT, embedding VECTOR(2), note VARCHAR(10))}: the
 * binlog library inside Flink CDC 3.5.0 fails on the VECTOR column's type, and reads the rewritten body.
 */
class TableMapTypesTest {
    private static final int LONG = 3;
    private static final int VARCHAR = 15;

    @Test
    void theLibraryReadsATableMapWithAVectorColumnOnceItIsABlob() throws Exception {
        byte[] body = tableMap("db1", "embeddings", new int[] {LONG, TableMapTypes.VECTOR, VARCHAR},
                new byte[] {4, 40, 0}, // VECTOR: a 4-byte length; VARCHAR(10) in utf8mb4: max 40 bytes
                new byte[] {1, 1, 0, // SIGNEDNESS of the one numeric column
                    13, 1, 8, // VECTOR_DIMENSIONALITY, which the library refuses: the dimension 2, as 8 bytes
                    4, 13, 2, 'i', 'd', 9, 'e', 'm', 'b', 'e', 'd', 'd', 'i', 'n', 'g'}); // COLUMN_NAME, partly
        try {
            new TableMapEventDataDeserializer().deserialize(new ByteArrayInputStream(body));
            throw new AssertionError("the library read column type 242; this workaround can go");
        } catch (NullPointerException expected) {
            // the upstream failure this class works around
        }
        byte[] rewritten = TableMapTypes.asKnownTypes(body);
        TableMapEventData data = new TableMapEventDataDeserializer().deserialize(new ByteArrayInputStream(rewritten));
        assertThat(data.getDatabase()).isEqualTo("db1");
        assertThat(data.getTable()).isEqualTo("embeddings");
        assertThat(data.getColumnTypes()).containsExactly(LONG, TableMapTypes.BLOB, VARCHAR);
        assertThat(data.getColumnMetadata()).containsExactly(0, 4, 40);
        assertThat(data.getEventMetadata().getColumnNames()).containsExactly("id", "embedding");
        assertThat(rewritten).hasSize(body.length - 3);
        assertThat(body).as("the input is left alone").contains((byte) TableMapTypes.VECTOR, (byte) 13);
    }

    /**
     * Installed on a binlog client's event deserializer (as on connecting), the rewrite is what the library's own
     * table-id registry reads too: a TABLE_MAP event with a VECTOR column becomes an event, not a failure.
     */
    @Test
    void aClientsEventDeserializerReadsTableMapsWithVectorColumnsOnceRewritten() throws Exception {
        byte[] event = event(tableMap("db1", "embeddings", new int[] {LONG, TableMapTypes.VECTOR},
                new byte[] {4}, new byte[] {13, 1, 8}));
        EventDeserializer plain = new EventDeserializer();
        assertThatThrownBy(() -> plain.nextEvent(new ByteArrayInputStream(event)))
                .isInstanceOf(NullPointerException.class);

        BinaryLogClient client = new BinaryLogClient("localhost", 3306, "nobody", "");
        EventDeserializer events = new EventDeserializer();
        client.setEventDeserializer(events);
        TableMapTypes.rewriteTableMaps(client);
        TableMapTypes.rewriteTableMaps(client); // again on the next connection: still one rewrite
        Event read = events.nextEvent(new ByteArrayInputStream(event));
        TableMapEventData data = read.getData();
        assertThat(data.getTable()).isEqualTo("embeddings");
        assertThat(data.getColumnTypes()).containsExactly(LONG, TableMapTypes.BLOB);
    }

    /**
     * The TABLE_MAP body MariaDB 10.11 wrote for {@code c.notes (id INT PRIMARY KEY, note VARCHAR(10) COMPRESSED, body
     * TEXT COMPRESSED) CHARSET latin1} (from {@code mariadb-binlog --hexdump}): types 3, 141, 140; metadata 11 (the
     * maximum length and a byte of compression header) and 2 (the length's size).
     */
    @Test
    void theLibraryReadsATableMapWithMariaDbCompressedColumnsOnceTheyAreVarcharAndBlob() throws Exception {
        byte[] body = java.util.HexFormat.of().parseHex("120000000000010001630005" + "6e6f74657300" + "03038d8c"
                + "030b0002" + "06");
        assertThatThrownBy(() -> new TableMapEventDataDeserializer().deserialize(new ByteArrayInputStream(body)))
                .as("the upstream failure this class works around").isInstanceOf(NullPointerException.class);
        TableMapEventData data = new TableMapEventDataDeserializer()
                .deserialize(new ByteArrayInputStream(TableMapTypes.asKnownTypes(body)));
        assertThat(data.getDatabase()).isEqualTo("c");
        assertThat(data.getTable()).isEqualTo("notes");
        assertThat(data.getColumnTypes()).containsExactly(LONG, VARCHAR, TableMapTypes.BLOB);
        assertThat(data.getColumnMetadata()).containsExactly(0, 11, 2);
    }

    @Test
    void aTableMapWithoutVectorColumnsIsPassedAsItIs() {
        byte[] body = tableMap("d", "t", new int[] {LONG, VARCHAR}, new byte[] {40, 0}, new byte[] {1, 1, 0});
        assertThat(TableMapTypes.asKnownTypes(body)).isSameAs(body);
    }

    @Test
    void aLengthEncodedColumnCountIsRead() {
        int[] types = new int[300];
        java.util.Arrays.fill(types, LONG);
        types[299] = TableMapTypes.VECTOR;
        byte[] rewritten = TableMapTypes.asKnownTypes(tableMap("d", "t", types, new byte[] {4}, new byte[0]));
        assertThat(rewritten).contains((byte) TableMapTypes.BLOB).doesNotContain((byte) TableMapTypes.VECTOR);
    }

    /** A whole TABLE_MAP event, without checksum: a v4 header (19 bytes), then the body. */
    private static byte[] event(byte[] body) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(19 + body.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).put((byte) 19).putInt(1).putInt(19 + body.length).putInt(4 + 19 + body.length)
                .putShort((short) 0).put(body);
        return b.array();
    }

    /** A body: table id, flags, names, column count and types, the metadata block, the NULL bitmap, the rest. */
    private static byte[] tableMap(String database, String table, int[] types, byte[] metadata, byte[] optional) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {42, 0, 0, 0, 0, 0, 1, 0});
        for (String name : new String[] {database, table}) {
            out.write(name.length());
            out.writeBytes(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(0);
        }
        if (types.length < 251) {
            out.write(types.length);
        } else {
            out.write(0xfc);
            out.write(types.length & 0xff);
            out.write(types.length >> 8);
        }
        for (int type : types) {
            out.write(type);
        }
        out.write(metadata.length);
        out.writeBytes(metadata);
        out.writeBytes(new byte[(types.length + 7) / 8]); // no column NULL-able
        out.writeBytes(optional);
        return out.toByteArray();
    }
}
