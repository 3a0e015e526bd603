package dev.ferry.compat.tableschema;

import static dev.ferry.compat.BinlogClientReflection.callPublic;
import static dev.ferry.compat.BinlogClientReflection.field;

import dev.ferry.compat.BinlogClientReflection;
import dev.ferry.compat.ddlstatements.UnparseableStatements;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cdc.connectors.mysql.debezium.task.context.StatefulTaskContext;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows of a table in the channel are never read against a schema the binlog reader does not have right. Debezium 1.9.8
 * skips a statement its DDL parser cannot read ({@code Ignoring unparseable DDL statement}). For a table it created,
 * the reader then has no schema, raises "Encountered change event for table ... whose schema isn't known to this
 * connector" at each row, and Flink CDC 3.5.0's {@code MySqlErrorHandler} drops exactly that error, so the direction
 * ran on without those rows (seen with MySQL 9 VECTOR tables before {@code TableMapTypes} rewrote them). For a table it
 * altered (MariaDB's {@code ALTER TABLE IF EXISTS}, {@code WAIT n}, MySQL's {@code CHECK ... NOT ENFORCED}), the reader
 * keeps the old columns and reads each later row against them, by position: an added column's values were dropped,
 * and with one added FIRST every value went one column off at the target, without a word. The same holds for an ALTER
 * run with {@code sql_log_bin = 0}, which never reaches the reader; Ferry's own transactions are not checked, as their
 * rows are dropped by every reader's loop filter (or only their keys used), whatever their columns.
 *
 * <p>This guard listens to the binlog client of the upstream binlog reader, registered before the fetch that submits
 * the binlog split (TableMapTypes has the reader, and so its client, made by then; the client starts reading
 * on its own thread during that fetch, so a listener added after it can miss the first events) and, for a client
 * made during a fetch, after it. At a TABLE_MAP event of a table the reader captures, it compares the reader's schema
 * with the event: none, or another number of columns than the event logs, is noted, and the next
 * {@link #throwIfMet()} fails the fetch, naming the table, the position and both counts, before a checkpoint can pass
 * it. (A changed column type with the same count is not seen this way.) Debezium's objects are reached by reflection
 * only: a direct reference to its types was a LinkageError on a cluster that has the connector in its own class path,
 * which ended the client's thread (CliSubmitITCase). No upstream code is copied. Delete it once Flink CDC fails on
 * such rows itself.
 *
 * <p>Since session 22 cdc-compat's UnparseableStatements hands the reader such a statement either rewritten into one
 * it parses or as one that gives the table the column {@code UnparseableStatements.FORGOTTEN}: the table is then held
 * by Ferry, and this guard replaces each row of it with NULLs before Debezium reads it (see
 * {@link #blankRowsOfForgottenTable}). What still reaches the check above: an ALTER run with {@code sql_log_bin = 0},
 * and a statement whose table name the rewrite cannot find.
 */
public final class TableSchemaGuard {
    /** Every failure from this guard contains these words (the runner stops the direction on them). */
    public static final String MARKER = "whose schema the binlog reader does not know";
    /** In such a failure: the reader has the table's columns from before a statement it could not parse. */
    public static final String ALTERED = "could not parse a statement that altered it";
    private static final Logger LOG = LoggerFactory.getLogger(TableSchemaGuard.class);

    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Ferry's commit-marker table (loop-filter's FerryTables.COMMIT), the first row of every Ferry transaction. */
    private static final String FERRY_SCHEMA = "ferry";
    private static final String COMMIT_MARKERS = "ferry_commit";

    /** The binlog library's row events (not MariaDB's AnnotateRowsEventData: a statement's text). */
    private static final Set<String> ROWS = Set.of("WriteRowsEventData", "UpdateRowsEventData", "DeleteRowsEventData");
    /** Stands for a table the reader does not capture. */
    private static final Object NOT_CAPTURED = new Object();
    /** Table numbers of forgotten tables (see UnparseableStatements), and their column count in the reader's schema. */
    private final Map<Long, Integer> blanked = new HashMap<>();
    /** Debezium's TableId of each table met, by database and table, or NOT_CAPTURED (the client's thread only). */
    private final Map<String, Object> capturedIds = new HashMap<>();

    private volatile String met;
    /** The transaction being read is a Ferry apply's (the binlog client's thread only). */
    private boolean inFerryTransaction;
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
        Object header = event.getClass().getMethod("getHeader").invoke(event);
        String type = String.valueOf(header.getClass().getMethod("getEventType").invoke(header));
        if (type.equals("XID") || type.equals("QUERY") || type.endsWith("GTID")) {
            inFerryTransaction = false; // a transaction's end, or the next one's start
            return;
        }
        Object data = event.getClass().getMethod("getData").invoke(event);
        if (met != null || data == null) {
            return;
        }
        String kind = data.getClass().getSimpleName();
        if (!kind.equals("TableMapEventData")) {
            if (!blanked.isEmpty() && ROWS.contains(kind)) {
                blankRowsOfForgottenTable(data, kind);
            }
            return;
        }
        String database = (String) data.getClass().getMethod("getDatabase").invoke(data);
        String table = (String) data.getClass().getMethod("getTable").invoke(data);
        if (FERRY_SCHEMA.equals(database) && COMMIT_MARKERS.equals(table)) {
            inFerryTransaction = true; // a Ferry apply's transaction: its commit marker comes first
            return;
        }
        Object known = capturedSchema(context, database, table);
        long number = (Long) data.getClass().getMethod("getTableId").invoke(data);
        List<?> columns = known == null || known == NOT_CAPTURED ? null : (List<?>) callPublic(known, "columns");
        if (columns != null && callPublic(known, "columnWithName", UnparseableStatements.FORGOTTEN) != null) {
            blanked.put(number, columns.size()); // held at a statement the reader could not parse: never decoded
            return;
        }
        blanked.remove(number);
        if (inFerryTransaction || known == NOT_CAPTURED) {
            // every reader drops these rows or takes only their keys (the loop filter): a table this site altered with
            // sql_log_bin = 0 before Ferry's same ALTER arrived (and was already satisfied) is no reason to stop
            return;
        }
        int logged = ((byte[]) data.getClass().getMethod("getColumnTypes").invoke(data)).length;
        String mismatch = mismatch(columns, logged);
        if (mismatch != null) {
            met = database + "." + table + " at " + binlogFile + ":"
                    + header.getClass().getMethod("getPosition").invoke(header) + ", " + mismatch;
        }
    }

    /**
     * Replaces each row of a rows event of a table the reader no longer knows the columns of (see
     * UnparseableStatements) with one of as many NULLs as the reader's schema has columns, so that Debezium converts
     * nothing it would read against the wrong columns (and log, values and all); Ferry's deserializer turns each into
     * a change that cannot be read, which its table's hold counts.
     */
    private void blankRowsOfForgottenTable(Object data, String kind) throws ReflectiveOperationException {
        Integer columns = blanked.get((Long) data.getClass().getMethod("getTableId").invoke(data));
        if (columns == null) {
            return;
        }
        List<?> rows = (List<?>) data.getClass().getMethod("getRows").invoke(data);
        List<Object> blank = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            blank.add(kind.startsWith("Update") ? new AbstractMap.SimpleEntry<>(new Serializable[columns],
                    new Serializable[columns]) : new Serializable[columns]);
        }
        data.getClass().getMethod("setRows", List.class).invoke(data, blank);
    }

    /**
     * The schema the reader of {@code context} (Flink CDC's StatefulTaskContext) has for a table (Debezium's Table),
     * null if none, or {@link #NOT_CAPTURED}. Debezium's objects are reached through their own classes only (see
     * {@link BinlogClientReflection#callPublic}).
     */
    Object capturedSchema(Object context, String database, String table) throws ReflectiveOperationException {
        String name = database + '\0' + table; // not a dot: names may hold one (shop.x + y vs shop + x.y)
        Object id = capturedIds.get(name);
        if (id == null) {
            Object config = callPublic(context, "getConnectorConfig");
            Constructor<?> ids = tableIds;
            if (ids == null) {
                ids = Class.forName("io.debezium.relational.TableId", false, config.getClass().getClassLoader())
                        .getConstructor(String.class, String.class, String.class);
                tableIds = ids;
            }
            Object filter = callPublic(callPublic(config, "getTableFilters"), "dataCollectionFilter");
            Object newId = ids.newInstance(database, null, table);
            id = (Boolean) callPublic(filter, "isIncluded", newId) ? newId : NOT_CAPTURED;
            capturedIds.put(name, id); // the reader's table filter never changes
        }
        return id == NOT_CAPTURED ? NOT_CAPTURED : callPublic(callPublic(context, "getDatabaseSchema"), "tableFor", id);
    }

    /**
     * What is wrong with the columns the reader has for a captured table ({@code null}: none) whose rows the binlog
     * logs with {@code logged} columns; null if nothing.
     */
    static String mismatch(List<?> columns, int logged) {
        if (columns == null) {
            return MARKER + ": Debezium 1.9.8 could not parse the statement that created it (its log says 'Ignoring"
                    + " unparseable DDL statement'), and Flink CDC 3.5.0 would skip those rows without a word";
        }
        if (columns.size() == logged) {
            return null;
        }
        return "with " + logged + " columns, a table " + MARKER + ": the reader's schema has " + columns.size()
                + " (Debezium 1.9.8 " + ALTERED + ", its log says 'Ignoring unparseable DDL statement'; or the"
                + " statement was run with sql_log_bin = 0), and it would read the rows against those columns, dropping"
                + " or shifting values";
    }

    /** Fails once a row of such a table was met, naming the table, its position and what is wrong. */
    public void throwIfMet() throws IOException {
        String at = met;
        if (at != null) {
            throw new IOException("the binlog holds rows of table " + at + ", so the direction stops here rather than"
                    + " lose or garble them.");
        }
    }
}
