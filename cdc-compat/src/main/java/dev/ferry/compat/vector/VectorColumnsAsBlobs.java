package dev.ferry.compat.vector;

import static dev.ferry.compat.BinlogClientReflection.LIBRARY;
import static dev.ferry.compat.BinlogClientReflection.binlogClientOf;
import static dev.ferry.compat.BinlogClientReflection.callDeclared;
import static dev.ferry.compat.BinlogClientReflection.enumConstant;
import static dev.ferry.compat.BinlogClientReflection.field;
import static dev.ferry.compat.BinlogClientReflection.isProxy;
import static dev.ferry.compat.BinlogClientReflection.proxy;
import static dev.ferry.compat.BinlogClientReflection.setField;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL 9's {@code VECTOR} columns for the binlog library inside Flink CDC 3.5.0 (mysql-binlog-connector-java), which
 * knows no column type 242: it fails on the TABLE_MAP event of every table that holds one
 * ({@code NullPointerException} in {@code TableMapEventDataDeserializer.readMetadata}), in the channel or not, and
 * cannot read past it, so one such table anywhere on a source server stopped the direction for good.
 *
 * <p>MySQL logs a VECTOR column as it logs a BLOB: one byte of metadata (the size of the length prefix, 4) and
 * values as a 4-byte length and the bytes. So each TABLE_MAP event's column type 242 is handed to the library as
 * BLOB (252), and rows of such tables decode as bytes; the library's own deserializer does the rest. Debezium still
 * cannot parse a table with a VECTOR column (its DDL parser skips the CREATE TABLE), so the start-up check refuses
 * one in the channel; a table outside it now passes unnoticed, as every other table outside the channel does.
 *
 * <p>The rewrite is installed on each binlog client of a split reader before the client connects: Ferry's split
 * reader has the upstream reader make its binlog or snapshot reader (and so its client) before the fetch that
 * submits a split, and a lifecycle listener's {@code onConnect}, which the client runs after connecting and before
 * it reads any event, wraps the TABLE_MAP deserializer that Debezium gave the client. No upstream code is copied.
 * Delete this package once Flink CDC ships a binlog library that knows VECTOR.
 */
public final class VectorColumnsAsBlobs {
    static final int VECTOR = 242;
    static final int BLOB = 252;
    private static final String LABEL = "MySQL 9 VECTOR";
    private static final Logger LOG = LoggerFactory.getLogger(VectorColumnsAsBlobs.class);

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
            LOG.warn("cannot let the binlog reader read MySQL 9 VECTOR columns: {}", e.toString());
        }
    }

    private static void listen(Object client) throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> lifecycle = Class.forName(LIBRARY + "BinaryLogClient$LifecycleListener", false, loader);
        Object onConnect = proxy(loader, lifecycle, "onConnect", LABEL, args -> {
            rewriteTableMaps(args[0]);
            return null;
        });
        client.getClass().getMethod("registerLifecycleListener", lifecycle).invoke(client, onConnect);
    }

    /** Wraps the TABLE_MAP deserializer of the client's current event deserializer (Debezium makes a new one). */
    static void rewriteTableMaps(Object client) throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> eventType = Class.forName(LIBRARY + "event.EventType", false, loader);
        Class<?> dataReader = Class.forName(LIBRARY + "event.deserialization.EventDataDeserializer", false, loader);
        Class<?> stream = Class.forName(LIBRARY + "io.ByteArrayInputStream", false, loader);
        Object tableMap = enumConstant(eventType, "TABLE_MAP");
        Object events = field(client.getClass(), "eventDeserializer", client);
        Class<?> deserializer = Class.forName(LIBRARY + "event.deserialization.EventDeserializer", false, loader);
        Object upstream = deserializer.getMethod("getEventDataDeserializer", eventType).invoke(events, tableMap);
        if (upstream == null || isProxy(upstream, LABEL)) {
            return;
        }
        var deserialize = dataReader.getMethod("deserialize", stream);
        var available = stream.getMethod("available");
        var read = stream.getMethod("read", int.class);
        var fromBytes = stream.getConstructor(byte[].class);
        Object rewriting = proxy(loader, dataReader, "deserialize", LABEL, args -> {
            byte[] body = (byte[]) read.invoke(args[0], (int) available.invoke(args[0]));
            return deserialize.invoke(upstream, fromBytes.newInstance((Object) asBlobs(body)));
        });
        deserializer.getMethod("setEventDataDeserializer", eventType, dataReader).invoke(events, tableMap, rewriting);
        // with a TABLE_MAP deserializer of another class, the library still decodes each table map once more with
        // its own for its table-id registry (a wrapper in this field); without it, the registry takes ours
        setField(deserializer, "tableMapEventDataDeserializer", events, null);
    }

    /**
     * The body of a TABLE_MAP event (without header and checksum) with every VECTOR column type turned into BLOB;
     * the same array if it has none. Layout: table id (6 bytes), flags (2), database and table name (each a length
     * byte, the name and a NUL), the column count (length-encoded), then one type byte per column.
     */
    static byte[] asBlobs(byte[] body) {
        int at = 8;
        at += 1 + (body[at] & 0xff) + 1;
        at += 1 + (body[at] & 0xff) + 1;
        int first = body[at] & 0xff;
        long columns;
        switch (first) {
            case 0xfc -> {
                columns = (body[at + 1] & 0xff) | (body[at + 2] & 0xff) << 8;
                at += 3;
            }
            case 0xfd -> {
                columns = (body[at + 1] & 0xff) | (body[at + 2] & 0xff) << 8 | (body[at + 3] & 0xff) << 16;
                at += 4;
            }
            default -> { // MySQL allows 4096 columns: never the 8-byte form
                columns = first;
                at += 1;
            }
        }
        byte[] out = body;
        for (int i = 0; i < columns; i++) {
            if ((body[at + i] & 0xff) == VECTOR) {
                if (out == body) {
                    out = body.clone();
                }
                out[at + i] = (byte) BLOB;
            }
        }
        return out;
    }
}
