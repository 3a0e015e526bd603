package dev.ferry.compat.dbz2663;

import static dev.ferry.compat.BinlogClientReflection.LIBRARY;
import static dev.ferry.compat.BinlogClientReflection.enumConstant;
import static dev.ferry.compat.BinlogClientReflection.field;
import static dev.ferry.compat.BinlogClientReflection.proxy;

import dev.ferry.compat.BinlogClientReflection;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workaround for DBZ-2663 (compressed binlog transactions; fixed in Debezium 2.0, but Flink CDC 3.5.0 ships
 * Debezium 1.9.8): with {@code binlog_transaction_compression=ON}, even in one session only, MySQL writes a
 * transaction as one TRANSACTION_PAYLOAD event. Debezium 1.9 ignores that event, so its rows would be lost without a
 * word; and as packaged here (no zstd library) the binlog client's thread dies decompressing it, so the reader
 * stalls without a word (seen on MySQL 9.7). The start-up check refuses a server that compresses by default; this
 * guard catches a session that turns compression on by itself while a direction runs.
 *
 * <p>It reaches the binlog client of the upstream split reader by reflection (the upstream fields are private),
 * from the fetch that made the binlog reader on: that fetch returns before the client has read anything (it
 * connects on a thread of its own). It gives the client a payload reader that does not decompress, and listens
 * for the event: the next {@link #throwIfMet()} fails the fetch, naming the position. A listener sees each event
 * before Debezium turns the next one into a record, so the task fails before any record read after that event is
 * emitted, and the direction stops there. No upstream code is copied. Delete this package once Flink CDC ships a
 * Debezium that reads compressed transactions.
 *
 * <p>The binlog library's types are used only through reflection and proxies made in the client's own class
 * loader: on a Flink cluster the connector may come from Flink's lib/ (parent-first) and the library from the job
 * jar, and a direct reference then fails with a LinkageError. If the client cannot be reached, the guard logs it
 * and stands aside; the reader watchdog still notices the stalled reader.
 */
public final class CompressedTransactionGuard {
    /** Every failure from this guard contains these words (the runner stops the direction on them). */
    public static final String MARKER = "compressed binlog transaction";
    private static final Logger LOG = LoggerFactory.getLogger(CompressedTransactionGuard.class);

    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile String metAt;
    private volatile boolean standingAside;

    /** Starts listening to {@code reader}'s binlog client, if it has one that is not watched yet. */
    public void watch(MySqlSplitReader reader) {
        if (standingAside) {
            return;
        }
        try {
            Object client = binlogClientOf(reader);
            if (client != null && watched.add(client)) {
                install(client);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            standingAside = true;
            LOG.warn("cannot watch the binlog for compressed transactions (DBZ-2663): {}", e.toString());
        }
    }

    private void install(Object client) throws ReflectiveOperationException {
        ClassLoader loader = client.getClass().getClassLoader();
        Class<?> eventType = Class.forName(LIBRARY + "event.EventType", false, loader);
        Class<?> dataReader = Class.forName(LIBRARY + "event.deserialization.EventDataDeserializer", false, loader);
        Class<?> payload = Class.forName(LIBRARY + "event.TransactionPayloadEventData", false, loader);
        Object events = field(client.getClass(), "eventDeserializer", client);
        Object unread = proxy(loader, dataReader, "deserialize", "DBZ-2663", args -> {
            // a payload left compressed and unread: its bytes are skipped, and it holds no events
            Object data = payload.getConstructor().newInstance();
            payload.getMethod("setUncompressedEvents", ArrayList.class).invoke(data, new ArrayList<>());
            return data;
        });
        events.getClass().getMethod("setEventDataDeserializer", eventType, dataReader)
                .invoke(events, enumConstant(eventType, "TRANSACTION_PAYLOAD"), unread);
        BinlogClientReflection.listen(client, "DBZ-2663", this::onEvent, e -> {
            standingAside = true;
            LOG.warn("stopped watching the binlog for compressed transactions (DBZ-2663): {}", e.toString());
        });
    }

    void onEvent(String binlogFile, Object event) throws ReflectiveOperationException {
        Object header = event.getClass().getMethod("getHeader").invoke(event);
        if (header == null || metAt != null) {
            return;
        }
        Object type = header.getClass().getMethod("getEventType").invoke(header);
        if (type instanceof Enum<?> e && e.name().equals("TRANSACTION_PAYLOAD")) {
            Method position = header.getClass().getMethod("getPosition"); // EventHeaderV4: where the event starts
            metAt = binlogFile + ":" + position.invoke(header);
        }
    }

    /** Fails once a compressed transaction was met, naming its position. */
    public void throwIfMet() throws IOException {
        String at = metAt;
        if (at != null) {
            throw new IOException("the binlog holds a " + MARKER + " at " + at + " (binlog_transaction_compression=ON"
                    + " in the session that wrote it). Flink CDC 3.5.0's binlog reader skips the rows of compressed"
                    + " transactions (DBZ-2663), so the direction stops here rather than lose them.");
        }
    }

    private static Object binlogClientOf(MySqlSplitReader reader) throws ReflectiveOperationException {
        Object binlogReader = field(MySqlSplitReader.class, "reusedBinlogReader", reader);
        if (binlogReader == null) {
            return null; // still copying: the binlog reader is made for the binlog split
        }
        return BinlogClientReflection.binlogClientOf(binlogReader);
    }
}
