package dev.ferry.compat.dbz7594;

import dev.ferry.compat.ShadowingCopy;

/**
 * Checks that Ferry's DBZ-7594 copy of Debezium's {@code RowDeserializers} (this module) is the one loaded, and not
 * upstream's from the Flink CDC jar: with upstream's, negative TIME values from the binlog would be applied wrong.
 */
public final class NegativeTimePatch {
    static final String CLASS = "io.debezium.connector.mysql.RowDeserializers";

    private NegativeTimePatch() {}

    /** @throws IllegalStateException naming the jar the class came from, if it is upstream's */
    public static void verifyLoaded() {
        ShadowingCopy.verifyLoaded(CLASS, "negative TIME values from the binlog would be decoded wrongly (DBZ-7594)");
    }
}
