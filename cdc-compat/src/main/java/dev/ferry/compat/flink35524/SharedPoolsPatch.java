package dev.ferry.compat.flink35524;

import dev.ferry.compat.ShadowingCopy;

/**
 * Checks that Ferry's {@code JdbcConnectionPools} (this module) is the one loaded: with upstream's, a source that
 * closes anywhere in the JVM closes the connections every other MySQL source is using (FLINK-35524).
 */
public final class SharedPoolsPatch {
    static final String CLASS = "org.apache.flink.cdc.connectors.mysql.source.connection.JdbcConnectionPools";

    private SharedPoolsPatch() {}

    /** @throws IllegalStateException naming the jar the class came from, if it is upstream's */
    public static void verifyLoaded() {
        ShadowingCopy.verifyLoaded(CLASS, "a source that stops or restarts would close the connections of the"
                + " other directions' sources in this JVM (FLINK-35524)");
    }
}
