package dev.ferry.compat;

/**
 * Checks that one of this module's patched classes, which shadow an upstream class by name, is the one loaded and not
 * upstream's from the Flink CDC jar. Every patched copy marks itself with a {@code FERRY_PATCH} field.
 */
public final class ShadowingCopy {
    private ShadowingCopy() {}

    /**
     * @param className the shadowed class
     * @param withoutIt what goes wrong when upstream's class is loaded instead, for the message
     * @throws IllegalStateException naming the jar the class came from, if it is upstream's
     */
    public static void verifyLoaded(String className, String withoutIt) {
        Class<?> loaded;
        try {
            loaded = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is missing: Flink CDC's MySQL connector is not on the class"
                    + " path", e);
        }
        try {
            loaded.getField("FERRY_PATCH");
        } catch (NoSuchFieldException e) {
            var source = loaded.getProtectionDomain().getCodeSource();
            throw new IllegalStateException(className + " was loaded from " + (source == null ? "an unknown place"
                    : source.getLocation()) + ", not from ferry-cdc-compat, so " + withoutIt + ". Fix: put"
                    + " ferry-cdc-compat before flink-sql-connector-mysql-cdc on the class path (or in the job jar).", e);
        }
    }
}
