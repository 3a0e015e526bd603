package dev.ferry.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;

/**
 * The keys of each map in a channel file, as records that Jackson binds ({@link ShapeBinder}); a key that no
 * component names is an unknown key. The components' order is the order in which messages list the valid keys.
 *
 * <p>Values stay {@link JsonNode}s, checked after binding by the section readers: Jackson's own type coercion
 * would accept {@code '100'} for a number or {@code 5} for a name, and its type errors stop the binding at the
 * first one, where a channel file's reader reports every problem. A nested map is a {@link JsonNode} too, bound
 * in its turn once its reader has seen it is a map, so that a wrong shape gets its section's own fix.
 */
final class FileShape {
    private FileShape() {}

    /** The top level. */
    record Channel(
            @JsonProperty("channel") JsonNode channel,
            @JsonProperty("sites") JsonNode sites,
            @JsonProperty("directions") JsonNode directions,
            @JsonProperty("tables") JsonNode tables,
            @JsonProperty("state-dir") JsonNode stateDir,
            @JsonProperty("checkpoint-interval") JsonNode checkpointInterval,
            @JsonProperty("apply") JsonNode apply,
            @JsonProperty("conflicts") JsonNode conflicts) {}

    /** An entry of {@code sites}; the site's name is its key, so {@code sites} itself is read as a map. */
    record Site(
            @JsonProperty("url") JsonNode url,
            @JsonProperty("user") JsonNode user,
            @JsonProperty("password") JsonNode password,
            @JsonProperty("password-file") JsonNode passwordFile,
            @JsonProperty("server-id") JsonNode serverId,
            @JsonProperty("time-zone") JsonNode timeZone,
            @JsonProperty("tls") JsonNode tls,
            @JsonProperty("identifiers") JsonNode identifiers) {}

    /** {@code sites.<name>.tls}. */
    record Tls(
            @JsonProperty("mode") JsonNode mode,
            @JsonProperty("trust-store") JsonNode trustStore,
            @JsonProperty("trust-store-password") JsonNode trustStorePassword,
            @JsonProperty("trust-store-password-file") JsonNode trustStorePasswordFile) {}

    /** An entry of {@code directions}. */
    record Direction(
            @JsonProperty("name") JsonNode name,
            @JsonProperty("from") JsonNode from,
            @JsonProperty("to") JsonNode to,
            @JsonProperty("startup") JsonNode startup) {}

    /** {@code tables}. */
    record Tables(@JsonProperty("include") JsonNode include, @JsonProperty("exclude") JsonNode exclude) {}

    /** {@code apply}. */
    record Apply(
            @JsonProperty("mode") JsonNode mode,
            @JsonProperty("parallelism") JsonNode parallelism,
            @JsonProperty("batch-size") JsonNode batchSize) {}

    /** {@code conflicts}. */
    record Conflicts(@JsonProperty("default") JsonNode defaultRule, @JsonProperty("tables") JsonNode tables) {}

    /** {@code conflicts.default}, and (with {@code match}) an entry of {@code conflicts.tables}. */
    record Rule(
            @JsonProperty("match") JsonNode match,
            @JsonProperty("priority") JsonNode priority,
            @JsonProperty("newer-wins") JsonNode newerWins,
            @JsonProperty("policy") JsonNode policy,
            @JsonProperty("compare") JsonNode compare) {}

    /** {@code conflicts.default}: a rule without {@code match}. */
    record DefaultRule(
            @JsonProperty("priority") JsonNode priority,
            @JsonProperty("newer-wins") JsonNode newerWins,
            @JsonProperty("policy") JsonNode policy,
            @JsonProperty("compare") JsonNode compare) {

        Rule asRule() {
            return new Rule(null, priority, newerWins, policy, compare);
        }
    }

    /** The keys of a shape, in the order of its components. */
    static List<String> keysOf(Class<? extends Record> shape) {
        return Stream.of(shape.getRecordComponents())
                .map(RecordComponent::getAccessor) // JsonProperty does not target record components themselves
                .map(accessor -> accessor.getAnnotation(JsonProperty.class).value())
                .toList();
    }
}
