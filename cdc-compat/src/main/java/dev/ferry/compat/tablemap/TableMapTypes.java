package dev.ferry.compat.tablemap;

import static dev.ferry.compat.BinlogClientReflection.LIBRARY;
import static dev.ferry.compat.BinlogClientReflection.binlogClientOf;
import static dev.ferry.compat.BinlogClientReflection.callDeclared;
import static dev.ferry.compat.BinlogClientReflection.field;
import static dev.ferry.compat.BinlogClientReflection.proxy;
import static dev.ferry.compat.BinlogClientReflection.setField;
import static dev.ferry.compat.BinlogClientReflection.wrapEventData;

import dev.ferry.compat.ddltypes.UnparseableColumnTypes;
import dev.ferry.compat.zerodates.ZeroDateRows;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Column types the binlog library inside Flink CDC 3.5.0 (mysql-binlog-connector-java) does not know in a TABLE_MAP
 * event: MySQL 9's {@code VECTOR} (242) and MariaDB's compressed columns ({@code BLOB}/{@code TEXT ... COMPRESSED}, 140,
 * and {@code VARCHAR ... COMPRESSED}, 141). It fails on the TABLE_MAP event of every table that holds one
 * ({@code NullPointerException} in {@code TableMapEventDataDeserializer.readMetadata}), in the channel or not, and
 * cannot read past it, so one such table anywhere on a source server stopped the direction for good.
 *
 * <p>Each is logged as a type the library knows, with the same metadata and value layout: VECTOR as BLOB (one byte of
 * metadata, the size of the length prefix; values as a length and the bytes), MariaDB's compressed VARCHAR as VARCHAR
 * (two bytes, the maximum length including a byte of compression header) and compressed BLOB as BLOB. So each TABLE_MAP event's column type is handed to the
 * library as that type, and rows of such tables decode as bytes (a compressed column's bytes as MariaDB stores them,
 * compressed); the library's own deserializer does the rest. Debezium cannot parse a table with such a column (its
 * DDL parser skips the CREATE TABLE), so the start-up check refuses one in the channel, and one created in the channel
 * while a direction runs stops it, named, before any of its rows could be applied (TableSchemaGuard); a table
 * outside the channel now passes unnoticed, as every other table outside the channel does.
 *
 * <p>A table created with a VECTOR column while a direction runs meets Debezium in a QUERY event, which
 * {@link UnparseableColumnTypes} rewrites; it is installed on the same clients, at the same moment, as is
 * {@link ZeroDateRows}, which tells zero dates from NULL in row events.
 *
 * <p>The rewrite is installed on each binlog client of a split reader before the client connects: Ferry's split
 * reader has the upstream reader make its binlog or snapshot reader (and so its client) before the fetch that
 * submits a split, and a lifecycle listener's {@code onConnect}, which the client runs after connecting and before
 * it reads any event, wraps the TABLE_MAP deserializer that Debezium gave the client. No upstream code is copied.
 * Delete this package once Flink CDC ships a binlog library that knows these types.
 */
public final class TableMapTypes {
    static final int VECTOR = 242;
    static final int BLOB_COMPRESSED = 140;
    static final int VARCHAR_COMPRESSED = 141;
    static final int VARCHAR = 15;
    static final int BLOB = 252;
    /** Each type the library lacks, and the known type it is logged as. */
    private static final Map<Integer, Integer> LOGGED_AS = Map.of(VECTOR, BLOB, VARCHAR_COMPRESSED, VARCHAR,
            BLOB_COMPRESSED, BLOB);
    /** The library knows optional metadata fields 1 to 12 (up to COLUMN_VISIBILITY); MySQL 9 adds 13. */
    static final int LAST_KNOWN_METADATA = 12;
    private static final String LABEL = "column types the binlog library lacks";
    private static final Logger LOG = LoggerFactory.getLogger(TableMapTypes.class);

    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean standingAside;

    /**
     * Before a fetch: makes the reader that fetch will submit a split to, if it does not exist yet, and has every
     * binlog client of the reader rewrite its table maps from its next connection on.
     */
    public void prepare(MySqlSplitReader reader) {
        if (standingAside) {
            return;
        }
        try {
            if (field(MySqlSplitReader.class, "currentReader", reader) == null) {
                if (!((Collection<?>) field(MySqlSplitReader.class, "binlogSplits", reader)).isEmpty()) {
                    callDeclared(MySqlSplitReader.class, "getBinlogSplitReader", reader);
                } else if (!((Collection<?>) field(MySqlSplitReader.class, "snapshotSplits", reader)).isEmpty()) {
                    callDeclared(MySqlSplitReader.class, "getSnapshotSplitReader", reader);
                }
            }
            for (String name : new String[] {"reusedBinlogReader", "reusedSnapshotReader"}) {
                Object splitReader = field(MySqlSplitReader.class, name, reader);
                Object client = splitReader == null ? null : binlogClientOf(splitReader);
                if (client != null && watched.add(client)) {
                    listen(client);
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            standingAside = true;
            LOG.warn("cannot let the binlog reader read MySQL 9 VECTOR or MariaDB compressed columns: {}", e.toString());
        }
    }

    private static void listen(Object client) throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> lifecycle = Class.forName(LIBRARY + "BinaryLogClient$LifecycleListener", false, loader);
        Object onConnect = proxy(loader, lifecycle, "onConnect", LABEL, args -> {
            rewriteTableMaps(args[0]);
            UnparseableColumnTypes.install(args[0]);
            try {
                ZeroDateRows.install(args[0]);
            } catch (LinkageError e) { // linked against another copy of the library: an Error would end the client
                LOG.warn("cannot tell zero dates from NULL in the binlog (they arrive as NULL or 1970-01-01): {}",
                        e.toString());
            }
            return null;
        });
        client.getClass().getMethod("registerLifecycleListener", lifecycle).invoke(client, onConnect);
    }

    /** Wraps the TABLE_MAP deserializer of the client's current event deserializer (Debezium makes a new one). */
    static void rewriteTableMaps(Object client) throws ReflectiveOperationException {
        Class<?> stream = Class.forName(LIBRARY + "io.ByteArrayInputStream", false, client.getClass().getClassLoader());
        var available = stream.getMethod("available");
        var read = stream.getMethod("read", int.class);
        var fromBytes = stream.getConstructor(byte[].class);
        Object events = wrapEventData(client, "TABLE_MAP", LABEL, (in, upstream) -> {
            byte[] body = (byte[]) read.invoke(in, (int) available.invoke(in));
            return upstream.run(new Object[] {fromBytes.newInstance((Object) asKnownTypes(body))});
        });
        if (events != null) {
            // with a TABLE_MAP deserializer of another class, the library still decodes each table map once more with
            // its own for its table-id registry (a wrapper in this field); without it, the registry takes ours
            setField(Class.forName(LIBRARY + "event.deserialization.EventDeserializer", false,
                    events.getClass().getClassLoader()), "tableMapEventDataDeserializer", events, null);
        }
    }

    /**
     * The body of a TABLE_MAP event (without header and checksum) with every column type the library lacks turned
     * into the type it is logged as, and the optional metadata fields the library does not know (MySQL 9's
     * VECTOR_DIMENSIONALITY, 13, which it refuses: "Unsupported table metadata field type 13") left out; the same
     * array if there is nothing to change. Layout: table id (6 bytes), flags (2), database and table name (each a
     * length byte, the name and a NUL), the column count, one type byte per column, the metadata block (its length,
     * then the bytes), the NULL bitmap, then the optional metadata as fields of a type byte, a length and the value
     * (counts and lengths length-encoded).
     */
    static byte[] asKnownTypes(byte[] body) {
        int at = 8;
        at += 1 + (body[at] & 0xff) + 1;
        at += 1 + (body[at] & 0xff) + 1;
        long[] columns = packed(body, at);
        at += (int) columns[1];
        int types = at;
        boolean unknown = false;
        for (int i = 0; i < columns[0]; i++) {
            unknown |= LOGGED_AS.containsKey(body[types + i] & 0xff);
        }
        if (!unknown) {
            return body; // the library reads it, or fails as it did before: nothing here is ours to change
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length);
        at += (int) columns[0];
        long[] metadata = packed(body, at);
        at += (int) (metadata[1] + metadata[0]);
        at += (int) ((columns[0] + 7) / 8);
        out.write(body, 0, at);
        byte[] head = out.toByteArray();
        for (int i = 0; i < columns[0]; i++) {
            Integer known = LOGGED_AS.get(head[types + i] & 0xff);
            if (known != null) {
                head[types + i] = known.byteValue();
            }
        }
        out.reset();
        out.writeBytes(head);
        while (at < body.length) {
            int type = body[at] & 0xff;
            long[] length = packed(body, at + 1);
            int end = at + 1 + (int) length[1] + (int) length[0];
            if (type <= LAST_KNOWN_METADATA) {
                out.write(body, at, end - at);
            }
            at = end;
        }
        return out.toByteArray();
    }

    /** A length-encoded integer at {@code at}: its value and how many bytes it took. */
    private static long[] packed(byte[] b, int at) {
        int first = b[at] & 0xff;
        return switch (first) {
            case 0xfc -> new long[] {(b[at + 1] & 0xff) | (b[at + 2] & 0xff) << 8, 3};
            case 0xfd -> new long[] {(b[at + 1] & 0xff) | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff) << 16, 4};
            case 0xfe -> new long[] {java.nio.ByteBuffer.wrap(b, at + 1, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong(), 9};
            default -> new long[] {first, 1};
        };
    }
}
