package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key of a channel file, by key path ({@code sites.sh.tls.mode}, {@code directions[0].to}).
 * The tree the sections read has no locations, so problems look their key's line up here.
 */
final class KeyLines {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, Integer> lines;

    private KeyLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** The keys of {@code yaml}, which {@link YamlTree} has already read without error. */
    static KeyLines of(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    lines.putIfAbsent(YamlTree.pathOf(p.getParsingContext()), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // the tree was read from the same text; without lines the problems still name their key path
        }
        return new KeyLines(lines);
    }

    /** {@code " (line N)"} for the key at {@code path}, or {@code ""} if not known. */
    String at(String path) {
        Integer line = lines.get(path);
        return line == null ? "" : " (line " + line + ")";
    }
}
