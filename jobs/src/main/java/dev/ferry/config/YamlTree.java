package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads channel file text into a YAML tree; a syntax error or a duplicate key becomes a problem located by
 * line and column, or by the key path where it was found.
 */
final class YamlTree {
    private static final String FIX_SYNTAX = "fix the YAML syntax (check indentation, colons, quotes and brackets)";

    // duplicate keys are an error, not "the last one wins"
    private static final ObjectMapper MAPPER =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private YamlTree() {}

    /** The document's root, or {@code null} (with a problem recorded) if it is empty or not valid YAML. */
    static JsonNode read(String yaml, ConfigReader r) {
        try {
            JsonNode root = MAPPER.readTree(yaml == null ? "" : yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                r.problem("(file)", "the file is empty",
                        "write a channel file with at least 'channel', 'sites', 'directions' and 'tables'");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            yamlProblem(e, r);
            return null;
        }
    }

    private static void yamlProblem(JsonProcessingException e, ConfigReader r) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            JsonStreamContext context = parser.getParsingContext();
            String key = context == null ? null : context.getCurrentName();
            String path = context == null ? "(file)" : pathOf(context);
            String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            r.problem(path, "the key '" + key + "' appears more than once" + line,
                    "keep only one '" + key + "' entry");
            return;
        }
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException yamlError) {
            Mark mark = yamlError.getProblemMark() != null ? yamlError.getProblemMark() : yamlError.getContextMark();
            String where = mark == null ? "(file)" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String context = yamlError.getContext();
            String what = (context == null ? "" : context + ": ") + yamlError.getProblem();
            r.problem(where, "invalid YAML: " + what.replaceAll("\\s+", " ").trim(), FIX_SYNTAX);
            return;
        }
        String where = e.getLocation() == null
                ? "(file)"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String firstLine = message.lines().findFirst().orElse(message);
        r.problem(where, "invalid YAML: " + firstLine, FIX_SYNTAX);
    }

    /** {@code sites.sh.url} / {@code directions[0].to} for a Jackson parsing context. */
    static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject()) {
                parts.push(c.getCurrentName() == null ? "?" : c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (!part.startsWith("[") && sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part);
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }
}
