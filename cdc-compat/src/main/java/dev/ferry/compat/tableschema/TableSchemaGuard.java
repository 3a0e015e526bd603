package dev.ferry.compat.unknowntable;

import static dev.ferry.compat.BinlogClientReflection.callPublic;
import static dev.ferry.compat.BinlogClientReflection.field;

import dev.ferry.compat.BinlogClientReflection;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.debezium.task.context.StatefulTaskContext;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of a table in the channel whose schema the binlog reader does not know are never skipped silently. Debezium
 * 1.9.8 skips a statement its DDL parser cannot read ({@code Ignoring unparseable DDL statement}) and, at each row of
 * that table, raises "Encountered change event for table ... whose schema isn't known to this connector"; Flink CDC
 * 3.5.0's {@code MySqlErrorHandler} drops exactly that error when it knows no schema for the table, so the direction
 * ran on without those rows (seen with MySQL 9 VECTOR tables before {@code TableMapTypes} rewrote them).
 *
 * <p>This guard listens to the binlog client of the upstream binlog reader, registered before the fetch that submits
 * the binlog split (TableMapTypes has the reader, and so its client, made by then; the client starts reading
 * on its own thread during that fetch, so a listener added after it can miss the first events) and, for a client
 * made during a fetch, after it: a TABLE_MAP event of a table the reader captures but has no schema for is noted,
 * and the next {@link #throwIfMet()} fails the fetch, naming the table and the position, before a checkpoint can
 * pass it. Debezium's objects are reached by reflection only: a direct reference to its types was a LinkageError on
 * a cluster that has the connector in its own class path, which ended the client's thread (CliSubmitITCase). No
 * upstream code is copied. Delete it once Flink CDC fails on such rows itself.
 */
public final class UnknownTableGuard {
    /** Every failure from this guard contains these words (the runner stops the direction on them). */
    public static final String MARKER = "whose schema the binlog reader does not know";
    private static final Logger LOG = LoggerFactory.getLogger(UnknownTableGuard.class);

    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile String met;
    private volatile boolean standingAside;
    /** Debezium's TableId(catalog, schema, table), as the reader's class loader has it. */
    private volatile Constructor<?> tableIds;

    /** Starts listening to {@code reader}'s binlog client, if it has one that is not watched yet. */
    public void watch(MySqlSplitReader reader) {
        if (standingAside) {
            return;
        }
        try {
            Object binlogReader = field(MySqlSplitReader.class, "reusedBinlogReader", reader);
            if (binlogReader == null) {
                return; // still copying: the binlog reader is made for the binlog split
            }
            Object context = field(binlogReader.getClass(), "statefulTaskContext", binlogReader);
            Object client = BinlogClientReflection.binlogClientOf(binlogReader);
            if (context instanceof StatefulTaskContext task && client != null && watched.add(client)) {
                listen(client, task);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            standingAside = true;
            LOG.warn("cannot watch the binlog for rows of tables whose schema is unknown: {}", e.toString());
        }
    }

    private void listen(Object client, StatefulTaskContext context) throws ReflectiveOperationException {
        BinlogClientReflection.listen(client, "unknown tables", (file, event) -> onEvent(file, event, context), e -> {
            standingAside = true;
            LOG.warn("stopped watching the binlog for rows of tables whose schema is unknown: {}", e.toString());
        });
    }

    void onEvent(String binlogFile, Object event, Object context) throws ReflectiveOperationException {
        Object data = event.getClass().getMethod("getData").invoke(event);
        if (met != null || data == null || !data.getClass().getSimpleName().equals("TableMapEventData")) {
            return;
        }
        String database = (String) data.getClass().getMethod("getDatabase").invoke(data);
        String table = (String) data.getClass().getMethod("getTable").invoke(data);
        if (unknown(context, database, table)) {
            Object header = event.getClass().getMethod("getHeader").invoke(event);
            met = database + "." + table + " at " + binlogFile + ":"
                    + header.getClass().getMethod("getPosition").invoke(header);
        }
    }

    /**
     * Whether the reader of {@code context} (Flink CDC's StatefulTaskContext) captures the table but has no schema for
     * it: its rows would be dropped. Debezium's objects are reached through their own classes only (see
     * {@link BinlogClientReflection#callPublic}).
     */
    boolean unknown(Object context, String database, String table) throws ReflectiveOperationException {
        Object config = callPublic(context, "getConnectorConfig");
        Constructor<?> ids = tableIds;
        if (ids == null) {
            ids = Class.forName("io.debezium.relational.TableId", false, config.getClass().getClassLoader())
                    .getConstructor(String.class, String.class, String.class);
            tableIds = ids;
        }
        Object id = ids.newInstance(database, null, table);
        Object filter = callPublic(callPublic(config, "getTableFilters"), "dataCollectionFilter");
        return (Boolean) callPublic(filter, "isIncluded", id)
                && callPublic(callPublic(context, "getDatabaseSchema"), "schemaFor", id) == null;
    }

    /** Fails once a row of such a table was met, naming the table and its position. */
    public void throwIfMet() throws IOException {
        String at = met;
        if (at != null) {
            throw new IOException("the binlog holds rows of table " + at + ", " + MARKER + ": Debezium 1.9.8 could not"
                    + " parse the statement that created or last altered it (its log says 'Ignoring unparseable DDL"
                    + " statement'), and Flink CDC 3.5.0 would skip those rows without a word, so the direction stops"
                    + " here rather than lose them.");
        }
    }
}
