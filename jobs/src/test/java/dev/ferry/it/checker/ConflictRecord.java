package dev.ferry.it.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code ferry.ferry_conflict} at one site. The images ({@code incoming_before}, {@code incoming_after},
 * {@code target_row}) are parsed from their JSON text into column -> value text (null for a missing image).
 * {@code detectedAt} is when the apply wrote it.
 */
public record ConflictRecord(String site, long recordId, String direction, String table, String rowKey, String type,
        String resolution, Map<String, String> incomingBefore, Map<String, String> incomingAfter,
        Map<String, String> targetRow, int followUps, Instant detectedAt) {
    public static final String INCOMING_APPLIED = "incoming-applied";
    public static final String TARGET_KEPT = "target-kept";
    public static final String KEPT_FOR_OPERATOR = "kept-for-operator";
    public static final String ROW_REMOVED = "row-removed";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String from() {
        return direction.split("->")[0];
    }

    /** The row key when it is one number ({@code [12]}), else null. */
    public Long keyId() {
        JsonNode key = parse(rowKey);
        return key != null && key.size() == 1 && key.get(0).canConvertToLong() ? key.get(0).asLong() : null;
    }

    /** Whether the target's row was kept and the incoming change lost. */
    public boolean targetKept() {
        return TARGET_KEPT.equals(resolution) || KEPT_FOR_OPERATOR.equals(resolution);
    }

    public boolean incomingApplied() {
        return INCOMING_APPLIED.equals(resolution);
    }

    /** Whether the target's version of the row was removed because the incoming one lost a unique-key collision. */
    public boolean rowRemoved() {
        return ROW_REMOVED.equals(resolution);
    }

    static Long tok(Map<String, String> image) {
        return image == null || image.get("tok") == null ? null : Long.parseLong(image.get("tok"));
    }

    /** A JSON object as column -> value text; null for SQL NULL. */
    static Map<String, String> image(String json) {
        JsonNode node = parse(json);
        if (node == null || node.isNull()) {
            return null;
        }
        Map<String, String> image = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> image.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return image;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    @Override
    public String toString() {
        return "record #" + recordId + " at " + site + " " + direction + " " + table + " " + rowKey + " " + type + " "
                + resolution + (followUps > 0 ? " (+" + followUps + " follow-ups)" : "") + ": before " + incomingBefore
                + ", after " + incomingAfter + ", target " + targetRow;
    }
}
