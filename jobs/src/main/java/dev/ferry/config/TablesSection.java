package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code tables} block into a {@link TableFilter}. */
final class TablesSection {
    private final ConfigReader r;
    private final ShapeBinder binder;

    TablesSection(ConfigReader r, ShapeBinder binder) {
        this.r = r;
        this.binder = binder;
    }

    /** {@code node} is the value of {@code tables}, {@code null} if absent. */
    TableFilter read(JsonNode node) {
        if (node == null) {
            r.missing("tables", "tables", "{ include: ['shop\\..*'] }");
            return null;
        }
        ObjectNode t = r.asMap(node, "tables", "write it as a map, e.g. 'tables: { include: [\"shop\\\\..*\"] }'");
        if (t == null) {
            return null;
        }
        FileShape.Tables shape = binder.bind(t, "tables", FileShape.Tables.class);
        List<String> include = regexList(shape.include(), "include", true);
        List<String> exclude = regexList(shape.exclude(), "exclude", false);
        if (include == null || exclude == null) {
            return null;
        }
        return TableFilter.of(include, exclude);
    }

    private List<String> regexList(JsonNode node, String key, boolean required) {
        String path = "tables." + key;
        String example = key + ": ['shop\\..*']";
        if (node == null) {
            if (required) {
                r.missing(path, key, "['shop\\..*']");
                return null;
            }
            return List.of();
        }
        if (!node.isArray()) {
            r.wrongType(path, node, "a list of regular expressions", "write a list, e.g. '" + example + "'");
            return null;
        }
        if (required && node.isEmpty()) {
            r.problem(path, "the list is empty; at least one regular expression is required", "add e.g. '" + example + "'");
            return null;
        }
        List<String> result = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.textValue().isEmpty()) {
                r.problem(itemPath, item.isTextual() ? "the regular expression is empty"
                                : "expected a regular expression (text), got " + ConfigReader.describe(item),
                        "write a quoted regular expression matched against 'database.table', e.g. 'shop\\..*'");
                ok = false;
                continue;
            }
            if (r.validRegex(item.textValue(), itemPath)) {
                result.add(item.textValue());
            } else {
                ok = false;
            }
        }
        return ok ? result : null;
    }
}
