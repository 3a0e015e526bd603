package dev.ferry.compat.dbz7594;

/**
 * Checks that Ferry's DBZ-7594 copy of Debezium's {@code RowDeserializers} (this module) is the one loaded, and not
 * upstream's from the Flink CDC jar: with upstream's, negative TIME values from the binlog would be applied wrong.
 */
public final class NegativeTimePatch {
    static final String CLASS = "io.debezium.connector.mysql.RowDeserializers";

    private NegativeTimePatch() {}

    /** @throws IllegalStateException naming the jar the class came from, if it is upstream's */
    public static void verifyLoaded() {
        Class<?> loaded;
        try {
            loaded = Class.forName(CLASS);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(CLASS + " is missing: Flink CDC's MySQL connector is not on the class path",
                    e);
        }
        try {
            loaded.getField("FERRY_PATCH");
        } catch (NoSuchFieldException e) {
            var source = loaded.getProtectionDomain().getCodeSource();
            throw new IllegalStateException(CLASS + " was loaded from " + (source == null ? "an unknown place"
                    : source.getLocation()) + ", not from ferry-cdc-compat, so negative TIME values from the binlog"
                    + " would be decoded wrongly (DBZ-7594). Fix: put ferry-cdc-compat before"
                    + " flink-sql-connector-mysql-cdc on the class path (or in the job jar).", e);
        }
    }
}
