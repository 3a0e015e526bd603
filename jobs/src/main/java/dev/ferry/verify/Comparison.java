package dev.ferry.verify;

import java.sql.SQLException;
import java.util.List;
import java.util.function.IntConsumer;

/** One table compared between two sites: the keys that differ, and whether one key's rows are the same now. */
interface Comparison {
    /** The keys whose rows differ (or exist at one side only); {@code progress} gets each finished chunk. */
    List<Object[]> differingKeys(IntConsumer progress) throws SQLException;

    /**
     * Those of {@code keys} whose rows differ now (both missing counts as equal), in their order: a few round trips
     * for them all, not one per key.
     */
    List<Object[]> stillDiffering(List<Object[]> keys) throws SQLException;

    /** The key as the report prints it. */
    String keyText(Object[] key);
}
