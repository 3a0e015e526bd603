package dev.ferry.operators.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
import dev.ferry.compat.ddlstatements.UnparseableStatements;
import dev.ferry.compat.ddltypes.UnparseableColumnTypes;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink CDC schema-change records -> {@link dev.ferry.common.Op#DDL} events. Such a record carries
 * Debezium's history record as JSON: the statement ({@code ddl}) and, after CREATE and ALTER, the
 * structured table ({@code tableChanges}). The tables a statement touches come from the record's
 * {@code source} block and from {@code tableChanges}; a statement is kept if one of them is in the
 * channel (RENAME TABLE names two).
 */
final class DdlRecords implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DdlRecords.class);
    static final String HISTORY_RECORD = "historyRecord";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableScope scope;

    DdlRecords(TableScope scope) {
        this.scope = scope;
    }

    Optional<ChangeEvent> toEvent(Struct value, Map<String, ?> offset) {
        JsonNode history;
        try {
            history = JSON.readTree(value.getString(HISTORY_RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable schema change record at " + offset, e);
        }
        String statement = history.path("ddl").asText("");
        String txId = transactionId(offset);
        Optional<TableId> table = tables(value.getStruct("source"), history).stream().filter(scope::includes).findFirst();
        if (statement.isBlank() || table.isEmpty() || UnparseableStatements.isReplacingDrop(statement)) {
            // (the DROP that the reader got before a CREATE OR REPLACE TABLE: the original statement replaces it)
            LOG.debug("ignoring DDL outside the channel at {}: {}", txId, statement);
            return Optional.empty();
        }
        LOG.debug("DDL on {} at {}: {}", table.get(), txId, statement);
        Struct source = value.getStruct("source");
        Long ts = source == null ? null : source.getInt64("ts_ms");
        Map<String, String> unparseable = UnparseableColumnTypes.markedColumns(statement);
        if (!unparseable.isEmpty()) {
            return Optional.of(unparseableTable(table.get(), unparseable, statement, txId, ts == null ? 0 : ts));
        }
        Optional<String> forgotten = UnparseableStatements.unparseable(statement);
        if (forgotten.isPresent()) {
            return Optional.of(forgottenTable(table.get(), forgotten.get(), txId, ts == null ? 0 : ts));
        }
        // read by the reader without words that change no column: the target gets the statement as the source ran it
        statement = UnparseableStatements.original(statement).orElse(statement);
        JsonNode changes = history.path("tableChanges");
        String structure = changes.size() == 1 ? changes.get(0).toString() : null;
        return Optional.of(ChangeEvent.ddl(table.get(), statement, structure, txId, txId, ts == null ? 0 : ts));
    }

    /**
     * A statement that gave a table columns of types Debezium 1.9.8 cannot parse (MySQL 9 VECTOR, MariaDB UUID, INET6,
     * INET4), which reached it as the types their values are logged as (see cdc-compat's UnparseableColumnTypes): not
     * applied anywhere, but a change of the table that cannot be read, so the apply holds the table here, naming the
     * column, while the direction's other tables flow on. Its rows, read as bytes, wait behind the hold.
     */
    private static ChangeEvent unparseableTable(TableId table, Map<String, String> columns, String statement,
            String txId, long ts) {
        String column = columns.keySet().iterator().next();
        String type = columns.get(column);
        LOG.error("{} is held from {} on: column(s) {} have types the binlog reader inside Flink CDC 3.5.0 (Debezium"
                + " 1.9.8) cannot parse", table, txId, columns);
        String manual = !type.startsWith("VECTOR") ? "" : "; between MySQL 9 sites, an operator who creates it there"
                + " (outcome = 'manual', manual_sql = its CREATE TABLE) gets its rows, read as bytes, exactly";
        return ChangeEvent.undecodable(table, ChangeEvent.Unreadable.UNSUPPORTED_TYPE, column, "column " + table + "."
                + column + " is a " + type + " (created or altered at " + txId + " by: "
                + statement.replace(UnparseableColumnTypes.MARKER, "/*was ") + "), which the binlog reader inside"
                + " Flink CDC 3.5.0 (Debezium 1.9.8) cannot parse, so Ferry does not create the table at the target"
                + manual, txId, txId, ts);
    }

    /**
     * A statement the binlog reader could not parse, after which it no longer knows the table's columns (cdc-compat's
     * UnparseableStatements): not applied anywhere, but a change that cannot be read, so the apply holds the table
     * here, naming the statement, while the direction's other tables flow on; its later rows, never decoded, are
     * counted in the same hold.
     */
    private static ChangeEvent forgottenTable(TableId table, String statement, String txId, long ts) {
        LOG.error("{} is held from {} on: the binlog reader inside Flink CDC 3.5.0 (Debezium 1.9.8) cannot parse: {}",
                table, txId, statement);
        return ChangeEvent.undecodable(table, ChangeEvent.Unreadable.UNPARSEABLE_STATEMENT, "", "the binlog reader"
                + " inside Flink CDC 3.5.0 (Debezium 1.9.8) cannot parse the statement at " + txId + " (" + statement
                + "), so it no longer knows the columns of " + table + " and cannot read its later rows; Ferry did"
                + " not apply the statement at the target", txId, txId, ts);
    }

    static List<TableId> tables(Struct source, JsonNode history) {
        List<TableId> tables = new ArrayList<>();
        for (JsonNode change : history.path("tableChanges")) {
            DebeziumTableIds.parse(change.path("id").asText("")).ifPresent(tables::add);
        }
        String db = source == null ? null : source.getString("db");
        String names = source == null ? null : source.getString("table");
        if (db == null || db.isEmpty()) {
            db = history.path("databaseName").asText("");
        }
        if (names != null && !db.isEmpty()) {
            for (String name : names.split(",")) {
                if (!name.isBlank()) {
                    tables.add(new TableId(db, name));
                }
            }
        }
        return tables;
    }

    /** The binlog file and position a record's transaction (or DDL) starts at. */
    static String transactionId(Map<String, ?> offset) {
        return offset.get("file") + ":" + offset.get("pos");
    }
}
