package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.util.List;

/**
 * Binds a map of the channel file to its {@link FileShape} record. Jackson finds the unknown keys; each becomes a
 * problem with its key path, its line and a "did you mean", and the binding goes on, so that one run reports them
 * all.
 */
final class ShapeBinder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ConfigReader r;
    private final KeyLines lines;

    ShapeBinder(ConfigReader r, KeyLines lines) {
        this.r = r;
        this.lines = lines;
    }

    /** {@code map} (a map, which its section has checked) as a {@code shape}; {@code path} is the map's key path. */
    <T extends Record> T bind(JsonNode map, String path, Class<T> shape) {
        try {
            return MAPPER.readerFor(shape).withHandler(new UnknownKeys(path, shape)).readValue(map);
        } catch (IOException e) {
            // every value is a JsonNode and every unknown key is handled: only a bug in a shape gets here
            throw new IllegalStateException("cannot bind " + path + " to " + shape.getSimpleName(), e);
        }
    }

    /** Records an unknown key as a problem and skips its value. */
    private final class UnknownKeys extends DeserializationProblemHandler {
        private final String parent;
        private final List<String> known;

        UnknownKeys(String parent, Class<? extends Record> shape) {
            this.parent = parent;
            this.known = FileShape.keysOf(shape);
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String key) throws IOException {
            p.skipChildren();
            String path = ConfigReader.path(parent, key);
            String line = lines.at(path);
            String suggestion = Suggestions.closest(key, known);
            if (suggestion != null) {
                r.problem(path, "unknown key" + line + "; did you mean '" + suggestion + "'?",
                        "rename '" + key + "' to '" + suggestion + "'");
            } else {
                r.problem(path, "unknown key" + line,
                        "remove it; valid keys " + (parent.isEmpty() ? "at the top level" : "in '" + parent + "'")
                                + " are: " + String.join(", ", known));
            }
            return true;
        }
    }
}
