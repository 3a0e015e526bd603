package dev.ferry.compat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.junit.jupiter.api.Test;

/**
 * The patched classes are checked as the connector loads them: a connector that comes from its own jar (as from a
 * Flink cluster's lib/ directory) reaches upstream's classes, whatever else the class path holds.
 */
class ShadowingCopyTest {
    private static final String[] PATCHED = {"io.debezium.connector.mysql.RowDeserializers",
        "org.apache.flink.cdc.connectors.mysql.source.connection.JdbcConnectionPools"};

    @Test
    void theConnectorOfThisClassPathUsesTheCopies() {
        for (String patched : PATCHED) {
            assertThatCode(() -> ShadowingCopy.verifyLoaded(patched, "it would break")).doesNotThrowAnyException();
        }
    }

    @Test
    void aConnectorLoadedFromItsOwnJarIsRefusedNamingTheJarAndTheFix() throws Exception {
        URL connectorJar = MySqlSplitReader.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader lib = new URLClassLoader(new URL[] {connectorJar}, ClassLoader.getPlatformClassLoader())) {
            for (String patched : PATCHED) {
                assertThatThrownBy(() -> ShadowingCopy.verifyLoaded(patched, "it would break", lib))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(patched + " was loaded from " + connectorJar)
                        .hasMessageContaining(ShadowingCopy.MARKER)
                        .hasMessageContaining("so it would break")
                        .hasMessageContaining("remove flink-sql-connector-mysql-cdc from Flink's lib/");
            }
        }
    }
}
