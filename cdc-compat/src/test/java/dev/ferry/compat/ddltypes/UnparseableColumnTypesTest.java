package dev.ferry.compat.ddltypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.relational.Table;
import io.debezium.relational.Tables;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Statements with column types Debezium 1.9.8 cannot parse, as a binlog QUERY event carries them. */
class UnparseableColumnTypesTest {
    private static final int QUERY = 2;

    /**
     * Each such column type becomes the type its values are logged as, with the original in the marker comment; a
     * column named so, and statements without such a type, stay as they are.
     */
    @Test
    void unparseableColumnTypesInAStatementBecomeMarkedLoggedTypes() {
        assertThat(UnparseableColumnTypes.rewrite("CREATE TABLE t (id INT PRIMARY KEY, `e``1` vector(3) NOT NULL,"
                + " v VECTOR, u uuid DEFAULT UUID(), a INET6, b INET4, note VARCHAR(10))")).isEqualTo("CREATE TABLE t"
                + " (id INT PRIMARY KEY, `e``1` LONGBLOB /*ferry:VECTOR(3)*/ NOT NULL, v LONGBLOB /*ferry:VECTOR*/,"
                + " u BINARY(16) /*ferry:UUID*/ DEFAULT UUID(), a BINARY(16) /*ferry:INET6*/, b BINARY(4)"
                + " /*ferry:INET4*/, note VARCHAR(10))");
        assertThat(UnparseableColumnTypes.rewrite("ALTER TABLE t ADD COLUMN e VECTOR ( 8 ) AFTER id"))
                .isEqualTo("ALTER TABLE t ADD COLUMN e LONGBLOB /*ferry:VECTOR(8)*/ AFTER id");
        for (String alone : new String[] {"CREATE TABLE t (id INT PRIMARY KEY, vector INT, uuid CHAR(36))",
            "ALTER TABLE t DROP COLUMN vector, ADD COLUMN w INT", "ALTER TABLE t RENAME COLUMN a TO uuid",
            "INSERT INTO t VALUES (1, 'a VECTOR, b')", "CREATE TABLE vectors (id INT PRIMARY KEY)",
            "UPDATE t SET u = UUID()"}) {
            assertThat(UnparseableColumnTypes.rewrite(alone)).as(alone).isSameAs(alone);
        }
        assertThat(UnparseableColumnTypes.markedColumns("CREATE TABLE t (id INT, `e``1` LONGBLOB"
                + " /*ferry:VECTOR(3)*/, u BINARY(16) /*ferry:UUID*/)"))
                .containsExactly(entry("e`1", "VECTOR(3)"), entry("u", "UUID"));
        assertThat(UnparseableColumnTypes.markedColumns("CREATE TABLE t (id INT, b LONGBLOB, c BINARY(16))")).isEmpty();
    }

    /** Debezium 1.9.8's parser skips a CREATE TABLE with such a column, and reads the rewritten one. */
    @Test
    void debeziumKnowsTheTableOnceItsColumnsHaveTheLoggedTypes() {
        String create = "CREATE TABLE t (id INT PRIMARY KEY, e VECTOR(3) NOT NULL, u UUID, a INET6, b INET4)";
        Tables tables = new Tables();
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        parser.setCurrentDatabase("db1");
        try {
            parser.parse(create, tables);
        } catch (RuntimeException expected) {
            // the parser refuses these types; the binlog reader then skips the statement
        }
        assertThat(tables.size()).as("the library knows these types; this workaround can go").isZero();
        parser.parse(UnparseableColumnTypes.rewrite(create), tables);
        Table table = tables.forTable("db1", null, "t");
        assertThat(table.columnWithName("e").typeName()).isEqualTo("LONGBLOB");
        assertThat(table.columnWithName("u").typeName()).isEqualTo("BINARY");
        assertThat(table.columnWithName("u").length()).isEqualTo(16);
        assertThat(table.columnWithName("b").length()).isEqualTo(4);
        assertThat(table.primaryKeyColumnNames()).containsExactly("id");
    }

    /** On a client's event deserializer (as on connecting), a QUERY event's statement reaches Debezium rewritten. */
    @Test
    void aClientsEventDeserializerHandsOverQueryEventsRewritten() throws Exception {
        BinaryLogClient client = new BinaryLogClient("localhost", 3306, "nobody", "");
        EventDeserializer events = new EventDeserializer();
        client.setEventDeserializer(events);
        UnparseableColumnTypes.install(client);
        UnparseableColumnTypes.install(client); // again on the next connection: still one rewrite
        QueryEventData data = events.nextEvent(new ByteArrayInputStream(event(
                query("db1", "CREATE TABLE t (id INT PRIMARY KEY, e VECTOR(3))")))).getData();
        assertThat(data.getDatabase()).isEqualTo("db1");
        assertThat(data.getSql()).isEqualTo("CREATE TABLE t (id INT PRIMARY KEY, e LONGBLOB /*ferry:VECTOR(3)*/)");
        QueryEventData begin = events.nextEvent(new ByteArrayInputStream(event(query("db1", "BEGIN")))).getData();
        assertThat(begin.getSql()).isEqualTo("BEGIN");
    }

    /** A QUERY event's body: thread id, time, schema length, error code, no status variables, schema, statement. */
    private static byte[] query(String database, String sql) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {7, 0, 0, 0, 0, 0, 0, 0, (byte) database.length(), 0, 0, 0, 0});
        out.writeBytes(database.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A whole QUERY event, without checksum: a v4 header (19 bytes), then the body. */
    private static byte[] event(byte[] body) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(19 + body.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).put((byte) QUERY).putInt(1).putInt(19 + body.length).putInt(4 + 19 + body.length)
                .putShort((short) 0).put(body);
        return b.array();
    }
}
