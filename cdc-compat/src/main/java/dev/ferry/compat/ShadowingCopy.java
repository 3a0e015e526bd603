package dev.ferry.compat;

import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;

/**
 * Checks that one of this module's patched classes, which shadow an upstream class by name, is the one the Flink CDC
 * connector uses, and not upstream's from the connector jar. Every patched copy marks itself with a
 * {@code FERRY_PATCH} field. The class is looked up through the connector's own class loader: on a Flink cluster
 * with the connector jar in its {@code lib/} directory, the connector's classes come from there (Flink loads
 * {@code org.apache.flink.*} parent-first) and reach upstream's class even though the job jar holds Ferry's.
 */
public final class ShadowingCopy {
    /** Every failure from this check contains these words (the runner stops the direction on them). */
    public static final String MARKER = "not from ferry-cdc-compat";

    private ShadowingCopy() {}

    /**
     * @param className the shadowed class
     * @param withoutIt what goes wrong when upstream's class is loaded instead, for the message
     * @throws IllegalStateException naming the jar the class came from, if it is upstream's
     */
    public static void verifyLoaded(String className, String withoutIt) {
        verifyLoaded(className, withoutIt, MySqlSplitReader.class.getClassLoader());
    }

    /** As {@link #verifyLoaded(String, String)}, for a connector loaded by {@code connector}. */
    static void verifyLoaded(String className, String withoutIt, ClassLoader connector) {
        Class<?> loaded;
        try {
            loaded = Class.forName(className, false, connector);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is missing: Flink CDC's MySQL connector is not on the class"
                    + " path", e);
        }
        try {
            loaded.getField("FERRY_PATCH");
        } catch (NoSuchFieldException e) {
            var source = loaded.getProtectionDomain().getCodeSource();
            throw new IllegalStateException(className + " was loaded from " + (source == null ? "an unknown place"
                    : source.getLocation()) + ", " + MARKER + ", so " + withoutIt + ". Fix: on a Flink cluster, remove"
                    + " flink-sql-connector-mysql-cdc from Flink's lib/ directory (Ferry's job jar carries the"
                    + " connector with its patched classes); elsewhere, put ferry-cdc-compat before"
                    + " flink-sql-connector-mysql-cdc on the class path.", e);
        }
    }
}
