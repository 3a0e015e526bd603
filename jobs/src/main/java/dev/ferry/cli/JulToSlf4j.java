package dev.ferry.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging records to SLF4J, so that they obey Ferry's log configuration: the binlog client logs
 * through java.util.logging, whose default handler would print every "INFO: Connected to ..." on the console.
 */
public final class JulToSlf4j {
    private JulToSlf4j() {}

    public static synchronized void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
