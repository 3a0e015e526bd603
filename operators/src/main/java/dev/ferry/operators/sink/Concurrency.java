package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import java.util.List;

/**
 * What an apply asks the target history about an incoming change (see TargetHistory), as one writer subtask of the
 * direction: the local write to its row it is concurrent with, and the concurrent local write that took one of its
 * unique values in another row.
 */
@FunctionalInterface
interface Concurrency {
    /** No history: one-way channels, and appliers used outside the apply operator. */
    Concurrency NONE = e -> null;

    /** The local write to {@code e}'s row that {@code e} is concurrent with, or null. */
    TargetHistory.LocalWrite write(ChangeEvent e);

    /** The concurrent local write that put one of {@code uniqueValues} (UniqueValues) into another row, or null. */
    default TargetHistory.Take take(ChangeEvent e, List<String> uniqueValues) {
        return null;
    }

    static Concurrency of(TargetHistory history, int writer) {
        return new Concurrency() {
            @Override
            public TargetHistory.LocalWrite write(ChangeEvent e) {
                return history.concurrentWrite(e, writer);
            }

            @Override
            public TargetHistory.Take take(ChangeEvent e, List<String> uniqueValues) {
                return history.concurrentTake(e, writer, uniqueValues);
            }
        };
    }
}
