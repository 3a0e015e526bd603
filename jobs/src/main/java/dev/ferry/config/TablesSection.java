package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code tables} block into a {@link TableFilter}. */
final class TablesSection {
    private final ConfigReader r;

    TablesSection(ConfigReader r) {
        this.r = r;
    }

    TableFilter read(ObjectNode top) {
        JsonNode node = top.get("tables");
        if (node == null) {
            r.missing("tables", "tables", "{ include: ['shop\\..*'] }");
            return null;
        }
        ObjectNode t = r.asMap(node, "tables", "write it as a map, e.g. 'tables: { include: [\"shop\\\\..*\"] }'");
        if (t == null) {
            return null;
        }
        r.rejectUnknownKeys(t, "tables", TableFilter.KEYS);
        List<String> include = regexList(t, "include", true);
        List<String> exclude = regexList(t, "exclude", false);
        if (include == null || exclude == null) {
            return null;
        }
        return TableFilter.of(include, exclude);
    }

    private List<String> regexList(ObjectNode t, String key, boolean required) {
        String path = "tables." + key;
        String example = key + ": ['shop\\..*']";
        JsonNode node = t.get(key);
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
