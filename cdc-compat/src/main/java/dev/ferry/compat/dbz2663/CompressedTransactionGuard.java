package dev.ferry.compat.dbz2663;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;

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
 */
public final class CompressedTransactionGuard {
    /** Every failure from this guard contains these words (the runner stops the direction on them). */
    public static final String MARKER = "compressed binlog transaction";

    private final Set<BinaryLogClient> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile String metAt;

    /** Starts listening to {@code reader}'s binlog client, if it has one that is not watched yet. */
    public void watch(MySqlSplitReader reader) {
        BinaryLogClient client = binlogClientOf(reader);
        if (client != null && watched.add(client)) {
            EventDeserializer events = (EventDeserializer) field(BinaryLogClient.class, "eventDeserializer", client);
            events.setEventDataDeserializer(EventType.TRANSACTION_PAYLOAD, CompressedTransactionGuard::unread);
            client.registerEventListener(event -> onEvent(client.getBinlogFilename(), event));
        }
    }

    void onEvent(String binlogFile, Event event) {
        EventHeader header = event.getHeader();
        if (header != null && header.getEventType() == EventType.TRANSACTION_PAYLOAD && metAt == null) {
            long position = header instanceof EventHeaderV4 v4 ? v4.getPosition() : -1;
            metAt = binlogFile + ":" + position;
        }
    }

    /** A payload left compressed and unread: its bytes are skipped, and it holds no events. */
    private static TransactionPayloadEventData unread(ByteArrayInputStream payload) {
        TransactionPayloadEventData data = new TransactionPayloadEventData();
        data.setUncompressedEvents(new ArrayList<>());
        return data;
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

    private static BinaryLogClient binlogClientOf(MySqlSplitReader reader) {
        Object binlogReader = field(MySqlSplitReader.class, "reusedBinlogReader", reader);
        if (binlogReader == null) {
            return null; // still copying: the binlog reader is made for the binlog split
        }
        Object context = field(binlogReader.getClass(), "statefulTaskContext", binlogReader);
        return context == null ? null
                : ((org.apache.flink.cdc.connectors.mysql.debezium.task.context.StatefulTaskContext) context)
                        .getBinaryLogClient();
    }

    private static Object field(Class<?> type, String name, Object target) {
        try {
            Field f = type.getDeclaredField(name); // once per fetch: cheap next to reading a batch of records
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flink CDC changed: " + type.getName() + " has no field '" + name
                    + "' (see CompressedTransactionGuard)", e);
        }
    }
}
