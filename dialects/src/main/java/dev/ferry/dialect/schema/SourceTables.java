package dev.ferry.dialect.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.common.TableId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a {@link SourceTable} from the {@code table} object of one {@code tableChanges} entry of a Debezium
 * schema history record (Debezium 1.9, as Flink CDC 3.5.0 uses). Lenient: a missing field means absent.
 */
public final class SourceTables {
    private SourceTables() {}

    /** CURRENT_TIMESTAMP and the like, or anything with parentheses, is an expression; the rest a value. */
    private static final Pattern EXPRESSION = Pattern.compile(
            "(?i)(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIME|LOCALTIMESTAMP|NOW|NULL)\\b.*|.*\\(.*");
    private static final Pattern TEXT_TYPES = Pattern.compile(
            "CHAR|VARCHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|ENUM|SET|CHARACTER|NCHAR|NVARCHAR");

    public static SourceTable fromDebezium(TableId id, JsonNode table) {
        String defaultCharset = text(table, "defaultCharsetName");
        List<JsonNode> columns = new ArrayList<>();
        table.path("columns").forEach(columns::add);
        columns.sort(Comparator.comparingInt(c -> c.path("position").asInt(Integer.MAX_VALUE)));
        List<SourceColumn> parsed = new ArrayList<>();
        for (JsonNode c : columns) {
            parsed.add(column(c, defaultCharset));
        }
        List<String> key = new ArrayList<>();
        table.path("primaryKeyColumnNames").forEach(k -> key.add(k.asText()));
        return new SourceTable(id, parsed, key);
    }

    static SourceColumn column(JsonNode c, String defaultCharset) {
        String[] words = text(c, "typeName", "").toUpperCase(Locale.ROOT).trim().split("\\s+");
        StringBuilder base = new StringBuilder();
        boolean unsigned = false;
        for (String w : words) {
            if (w.equals("UNSIGNED")) {
                unsigned = true;
            } else if (!w.equals("ZEROFILL") && !w.equals("SIGNED")) {
                base.append(base.length() == 0 ? "" : " ").append(w);
            }
        }
        String type = base.toString();
        boolean hasDefault = c.path("hasDefaultValue").asBoolean(false);
        String defaultText = text(c, "defaultValueExpression");
        boolean expression = defaultText != null && EXPRESSION.matcher(defaultText.strip()).matches();
        if (defaultText != null && defaultText.strip().equalsIgnoreCase("NULL")) {
            defaultText = null;
            expression = false;
        }
        List<String> values = new ArrayList<>();
        c.path("enumValues").forEach(v -> values.add(unquote(v.asText())));
        String charset = text(c, "charsetName");
        if (charset == null && TEXT_TYPES.matcher(type).matches()) {
            charset = defaultCharset;
        }
        return new SourceColumn(text(c, "name"), type, unsigned, c.path("length").asInt(-1),
                c.path("scale").asInt(-1), c.path("optional").asBoolean(true), c.path("autoIncremented").asBoolean(false),
                hasDefault, defaultText, expression, values, charset);
    }

    /** {@code 'a''b'} -> {@code a'b}; an unquoted value stays as it is. */
    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1).replace("''", "'");
        }
        return v;
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, null);
    }

    private static String text(JsonNode node, String field, String missing) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? missing : v.asText();
    }
}
