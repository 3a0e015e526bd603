package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import java.util.List;

/**
 * What a writer keeps across a checkpoint: the source transaction it is still reading (held back
 * because its end has not been seen) and its epoch, so a restored writer picks a later one.
 */
public record BatcherState(long epoch, List<ChangeEvent> openTransaction) {
    public BatcherState {
        openTransaction = List.copyOf(openTransaction);
    }
}
