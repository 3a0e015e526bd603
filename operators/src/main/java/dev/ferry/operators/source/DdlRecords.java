package dev.ferry.operators.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.common.TableScope;
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
        if (statement.isBlank() || table.isEmpty()) {
            LOG.debug("ignoring DDL outside the channel at {}: {}", txId, statement);
            return Optional.empty();
        }
        LOG.debug("DDL on {} at {}: {}", table.get(), txId, statement);
        Struct source = value.getStruct("source");
        Long ts = source == null ? null : source.getInt64("ts_ms");
        JsonNode changes = history.path("tableChanges");
        String structure = changes.size() == 1 ? changes.get(0).toString() : null;
        return Optional.of(ChangeEvent.ddl(table.get(), statement, structure, txId, txId, ts == null ? 0 : ts));
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
