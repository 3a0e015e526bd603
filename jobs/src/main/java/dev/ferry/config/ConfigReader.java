package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.config.ChannelConfigException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads typed values out of a channel file's YAML tree (a {@code null} value is an absent key) and collects a {@link Problem} for each one that is
 * missing or wrong, so that one run reports every problem in the file. The section readers share one instance.
 */
final class ConfigReader {
    private final List<Problem> problems = new ArrayList<>();

    void problem(String path, String problem, String fix) {
        problems.add(new Problem(path, problem, fix));
    }

    /** Every problem so far, in the order found. */
    List<Problem> problems() {
        return problems;
    }

    /** How many problems were found so far; a section compares it before and after to see if it had any. */
    int count() {
        return problems.size();
    }

    /** {@code parent.key}, or {@code key} at the top level. */
    static String path(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    ObjectNode asMap(JsonNode node, String path, String fix) {
        if (node.isObject()) {
            return (ObjectNode) node;
        }
        wrongType(path, node, "a map", fix);
        return null;
    }

    void wrongType(String path, JsonNode node, String expected, String fix) {
        problem(path, "expected " + expected + ", got " + describe(node), fix);
    }

    void missing(String path, String key, String example) {
        problem(path, "required key is missing", "add '" + key + ": " + example + "'");
    }

    /** What a value is, in words, for "expected ..., got ..." problems. */
    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "a map";
            case ARRAY -> "a list";
            case NULL -> "an empty value";
            case BOOLEAN -> "a boolean";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a number";
            case STRING -> "text";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * The text value of an optional or required key; {@code null} if absent or invalid (a problem is
     * recorded if invalid, or if absent and required).
     */
    String text(JsonNode v, String parent, String key, boolean required, String example) {
        String path = path(parent, key);
        if (v == null) {
            if (required) {
                missing(path, key, example);
            }
            return null;
        }
        String fix = "write e.g. '" + key + ": " + example + "'" + (required ? "" : ", or remove the key");
        if (v.isNull()) {
            problem(path, "has no value", fix);
            return null;
        }
        if (!v.isTextual()) {
            problem(path, "expected text, got " + describe(v),
                    v.isBoolean() || v.isNumber()
                            ? "quote the value, e.g. '" + key + ": \"...\"' (YAML reads unquoted numbers and"
                                    + " yes/no/on/off/true/false as non-text)"
                            : fix);
            return null;
        }
        String s = v.textValue().trim();
        if (s.isEmpty()) {
            problem(path, "is empty", fix);
            return null;
        }
        return s;
    }

    Integer intValue(JsonNode v, String parent, String key, int defaultValue) {
        if (v == null) {
            return defaultValue;
        }
        String path = path(parent, key);
        String fix = "write a whole number of at least 1 without quotes, e.g. '" + key + ": " + defaultValue + "'";
        if (!v.isIntegralNumber()) {
            problem(path, "expected an integer, got " + describe(v), fix);
            return null;
        }
        if (!v.canConvertToInt() || v.intValue() < 1) {
            problem(path, "must be an integer between 1 and " + Integer.MAX_VALUE + " (got " + v.asText() + ")", fix);
            return null;
        }
        return v.intValue();
    }

    <E extends Enum<E>> E enumValue(JsonNode v, String parent, String key, E[] values,
                                    Function<E, String> yamlName, E defaultValue) {
        if (v == null) {
            return defaultValue;
        }
        String path = path(parent, key);
        List<String> names = Stream.of(values).map(yamlName).toList();
        String fix = "use one of: " + String.join(", ", names)
                + (defaultValue == null ? "" : " (default: " + yamlName.apply(defaultValue) + ")");
        if (!v.isTextual()) {
            problem(path, "expected one of " + String.join(", ", names) + ", got " + describe(v), fix);
            return null;
        }
        String s = v.textValue().trim();
        for (E e : values) {
            if (yamlName.apply(e).equalsIgnoreCase(s)) {
                return e;
            }
        }
        problem(path, "unknown value '" + s + "'" + Suggestions.didYouMean(s, names), fix);
        return null;
    }

    /** Whether {@code regex} compiles; records a problem at {@code path} if it does not. */
    boolean validRegex(String regex, String path) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            problem(path, "invalid regular expression '" + regex + "': " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""),
                    "fix the regular expression (Java syntax; escape dots as '\\.' and use single quotes in YAML)");
            return false;
        }
    }
}
