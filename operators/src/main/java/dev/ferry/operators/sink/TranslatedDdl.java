package dev.ferry.operators.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.IndexDelta;
import dev.ferry.common.TableId;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.schema.SchemaTranslator;
import dev.ferry.dialect.schema.SourceTable;
import dev.ferry.dialect.schema.SourceTables;
import dev.ferry.dialect.schema.TargetCatalog;
import dev.ferry.dialect.schema.TargetTable;
import dev.ferry.dialect.schema.UntranslatableDdlException;
import dev.ferry.operators.source.DebeziumTableIds;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DDL event as statements for a PostgreSQL or Oracle target, generated from its structured change
 * (Flink CDC's {@code tableChanges}) and the target's catalog, never from the MySQL text: CREATE and ALTER
 * become the difference between the source's new table and the target's table as it is (so a repeated
 * change finds nothing to do), RENAME comes from the change's previous id, and TRUNCATE and DROP TABLE,
 * which carry no structure, are recognised by their first words only. MariaDB's {@code CREATE OR REPLACE TABLE} of a
 * table the target has drops it first: the source's old rows are gone, and so must the target's be.
 */
final class TranslatedDdl {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** MariaDB's CREATE OR REPLACE TABLE, comments allowed between the words. */
    private static final Pattern REPLACES_TABLE = Pattern.compile(
            "CREATE(?:\\s|/\\*.*?\\*/)+OR(?:\\s|/\\*.*?\\*/)+REPLACE(?:\\s|/\\*.*?\\*/)+TABLE\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final Connection connection;
    private final Dialect dialect;
    private final SchemaTranslator schema;

    TranslatedDdl(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
        this.schema = dialect.schema();
    }

    /** The target statements; empty if the target has the change already. */
    List<String> statements(ChangeEvent ddl) throws SQLException {
        if (IndexDelta.isIndexDelta(ddl.ddl())) {
            return schema.indexDelta(ddl.table(), IndexDelta.of(ddl.ddl()));
        }
        String structure = ddl.ddlStructure();
        if (structure == null) {
            return withoutStructure(ddl);
        }
        JsonNode change;
        try {
            change = JSON.readTree(structure);
        } catch (IOException e) {
            throw new UntranslatableDdlException("the structured change of " + ddl + " is unreadable: " + e.getMessage());
        }
        TableId id = DebeziumTableIds.parse(change.path("id").asText()).orElse(ddl.table());
        Optional<TableId> previous = DebeziumTableIds.parse(change.path("previousId").asText(null));
        List<String> out = new ArrayList<>();
        if (previous.isPresent() && !previous.get().equals(id)) {
            boolean moved = catalog(previous.get()).columns().isEmpty() && !catalog(id).columns().isEmpty();
            if (!moved) {
                out.addAll(schema.renameTable(previous.get(), id));
            }
            return out;
        }
        SourceTable after = SourceTables.fromDebezium(id, change.path("table"));
        TargetTable current = catalog(id);
        if (!current.columns().isEmpty() && REPLACES_TABLE.matcher(withoutLeadingComments(ddl.ddl())).lookingAt()) {
            out.addAll(schema.dropTable(id));
            out.addAll(schema.createTable(after));
            return out;
        }
        if (!current.columns().isEmpty()) {
            return schema.alterTable(after, current);
        }
        out.addAll(schema.createSchema(id.database()));
        out.addAll(schema.createTable(after));
        return out;
    }

    private List<String> withoutStructure(ChangeEvent ddl) throws SQLException {
        String words = leadingWords(ddl.ddl());
        if (words.startsWith("TRUNCATE")) {
            return schema.truncateTable(ddl.table());
        }
        if (words.startsWith("DROP TABLE")) {
            return catalog(ddl.table()).columns().isEmpty() ? List.of() : schema.dropTable(ddl.table());
        }
        throw new UntranslatableDdlException("the statement carries no structured change that Ferry could translate"
                + " for " + dialect.name());
    }

    /** The statement's first two words, upper case, after any comments (such as Ferry's own tag). */
    static String leadingWords(String statement) {
        String s = withoutLeadingComments(statement);
        String[] words = s.split("\\s+", 3);
        String two = words.length > 1 ? words[0] + " " + words[1] : words[0];
        return two.toUpperCase(Locale.ROOT);
    }

    private static String withoutLeadingComments(String statement) {
        String s = statement.strip();
        while (s.startsWith("/*") || s.startsWith("--") || s.startsWith("#")) {
            int end = s.startsWith("/*") ? s.indexOf("*/") + 2 : s.indexOf('\n') + 1;
            if (end <= 0) {
                return "";
            }
            s = s.substring(end).strip();
        }
        return s;
    }

    private TargetTable catalog(TableId table) throws SQLException {
        return TargetCatalog.read(connection, dialect, table);
    }
}
