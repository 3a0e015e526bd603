package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.operators.Endpoint;
import dev.ferry.conflict.ConflictRules;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one direction's apply needs. {@code source} is the site this direction reads (its name decides
 * conflicts under the default rules).
 */
public record SinkSettings(
        String channel,
        String direction,
        Endpoint source,
        Endpoint target,
        boolean transactional,
        int batchSize,
        Duration retryTimeout,
        ConflictRules conflicts) implements Serializable {

    /** Settings whose conflicts go the source's way (one-way channels, tests). */
    public SinkSettings(String channel, String direction, Endpoint source, Endpoint target, boolean transactional,
            int batchSize, Duration retryTimeout) {
        this(channel, direction, source, target, transactional, batchSize, retryTimeout,
                ConflictRules.homeWins(source.site(), source.site()));
    }

    public SinkSettings {
        Objects.requireNonNull(conflicts);
        Objects.requireNonNull(channel);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(source);
        Objects.requireNonNull(target);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
    }

    /** A heartbeat row written by this very direction (other directions reading the same site write their own). */
    boolean isOwnHeartbeat(ChangeEvent e) {
        Object[] row = e.after();
        int c = e.schema().indexOf("channel");
        int d = e.schema().indexOf("direction");
        return c >= 0 && d >= 0 && channel.equals(row[c]) && direction.equals(row[d]);
    }

    long heartbeatTimestamp(ChangeEvent e) {
        return ((Number) e.after()[e.schema().indexOf("ts_ms")]).longValue();
    }
}
