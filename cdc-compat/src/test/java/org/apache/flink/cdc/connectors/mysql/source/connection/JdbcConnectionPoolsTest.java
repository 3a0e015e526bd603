package org.apache.flink.cdc.connectors.mysql.source.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.compat.flink35524.SharedPoolsPatch;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import io.debezium.jdbc.JdbcConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.cdc.connectors.mysql.debezium.DebeziumUtils;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfigFactory;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.cdc.connectors.shaded.com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FLINK-35524 against a real MariaDB: one source's split assigner closing (which calls {@code clear()}) must not close
 * the connection another source is using. Upstream's {@code clear()} closes it, and
 * {@link #aConnectionInUseOutlivesAnotherSourcesClose} fails with "No operations allowed after connection closed".
 */
class JdbcConnectionPoolsTest {
    private final TestDatabase server = TestServers.site(ServerKind.MARIADB, "sh");
    private final MySqlSourceConfig config = new MySqlSourceConfigFactory().hostname(server.host())
            .port(server.port()).username(server.adminUser()).password(server.adminPassword())
            .databaseList("mysql").tableList("mysql.user").serverId("78").serverTimeZone("UTC")
            .startupOptions(StartupOptions.initial()).createConfig(0);
    private final ConnectionPoolId poolId = new ConnectionPoolId(server.host(), server.port(), server.adminUser());

    @AfterEach
    void restoreGrace() {
        JdbcConnectionPools.handOutGrace = Duration.ofSeconds(30);
    }

    @Test
    void theCopyInThisModuleIsTheOneLoaded() {
        SharedPoolsPatch.verifyLoaded();
    }

    @Test
    void aConnectionInUseOutlivesAnotherSourcesClose() throws Exception {
        JdbcConnectionPools.handOutGrace = Duration.ZERO;
        try (JdbcConnection inUse = DebeziumUtils.openJdbcConnection(config)) {
            assertThat(one(inUse)).isEqualTo(1);
            JdbcConnectionPools.getInstance().clear(); // another source's split assigner closes
            assertThat(one(inUse)).as("the lent connection still works").isEqualTo(1);
            try (JdbcConnection next = DebeziumUtils.openJdbcConnection(config)) {
                assertThat(one(next)).as("the pool still lends connections").isEqualTo(1);
            }
        }
    }

    @Test
    void aPoolNobodyUsesIsClosedSoNoConnectionOutlivesTheSources() throws Exception {
        HikariDataSource pool;
        try (JdbcConnection used = DebeziumUtils.openJdbcConnection(config)) {
            assertThat(one(used)).isEqualTo(1);
            pool = JdbcConnectionPools.getInstance().getOrCreateConnectionPool(poolId, config);
            JdbcConnectionPools.handOutGrace = Duration.ZERO;
            JdbcConnectionPools.getInstance().clear();
            assertThat(pool.isClosed()).as("a connection is lent").isFalse();
        }
        JdbcConnectionPools.getInstance().clear();
        assertThat(pool.isClosed()).as("closed once nothing is lent").isTrue();
    }

    @Test
    void aPoolHandedOutJustNowIsNotClosedUnderItsCaller() throws Exception {
        HikariDataSource pool = JdbcConnectionPools.getInstance().getOrCreateConnectionPool(poolId, config);
        JdbcConnectionPools.getInstance().clear();
        assertThat(pool.isClosed()).isFalse();
        try (var connection = pool.getConnection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
    }

    private static int one(JdbcConnection connection) throws Exception {
        AtomicReference<Integer> value = new AtomicReference<>();
        connection.query("SELECT 1", rs -> {
            rs.next();
            value.set(rs.getInt(1));
        });
        return value.get();
    }
}
