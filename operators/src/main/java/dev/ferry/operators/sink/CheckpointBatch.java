package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import java.util.List;

/**
 * The finished changes of one checkpoint interval of one writer subtask, applied after the
 * checkpoint completes as one local transaction. {@code (subtask, epoch, sequence)} names it in
 * the target's commit-marker table, which is how a repeated commit is recognised.
 *
 * @param epoch when the writer that made it started; a restarted writer never reuses an id
 */
public record CheckpointBatch(int subtask, long epoch, long sequence, List<ChangeEvent> events) {
    public CheckpointBatch {
        events = List.copyOf(events);
    }

    public String id() {
        return subtask + "/" + epoch + "/" + sequence;
    }

    @Override
    public String toString() {
        return "committable " + id() + " (" + events.size() + " events)";
    }
}
