package dev.ferry.operators.heartbeat;

import dev.ferry.common.TableScope;
import dev.ferry.operators.Endpoint;
import dev.ferry.operators.indexes.IndexWatcher;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The rows a direction writes into its own source so that they come back through its binlog reader: a heartbeat
 * every {@code interval} (it closes the source transaction before it, since Flink CDC passes on no COMMIT, and
 * measures lag), and every other beat the index definitions of the tables in {@code indexScope} (a standalone
 * CREATE or DROP INDEX then reaches the target; see IndexWatcher). DirectionJob wires it; the apply operator's first
 * subtask runs it.
 *
 * @param indexScope the tables whose standalone CREATE/DROP INDEX are sent; null: none
 * @param relayed the directions into the source whose index changes there are sent on (see LoopFilter)
 */
public record SourceHeartbeat(Endpoint source, String channel, String direction, Duration interval,
        TableScope indexScope, Set<String> relayed) implements Serializable {

    public SourceHeartbeat {
        Objects.requireNonNull(source);
        Objects.requireNonNull(channel);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(interval);
        relayed = Set.copyOf(relayed);
    }

    /** A writer of these rows, not started yet. */
    public HeartbeatWriter writer() {
        IndexWatcher indexes = indexScope == null ? null : new IndexWatcher(indexScope, channel, direction, relayed);
        return new HeartbeatWriter(source, channel, direction, interval, indexes);
    }
}
