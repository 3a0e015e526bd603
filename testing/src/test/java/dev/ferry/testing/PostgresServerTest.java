package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Starts real PostgreSQL servers; fails instead of skipping with CI=true when PostgreSQL is missing. */
class PostgresServerTest {

    @BeforeEach
    void postgresql() {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
    }

    @Test
    void startsWithPasswordAuthenticationTimeZoneAndFastSettings() throws SQLException {
        try (PostgresServer server = PostgresServer.start("settings", "+08:00")) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.kind()).isEqualTo(ServerKind.POSTGRESQL);
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + server.port() + "/ferry_test");
            assertThat(server.version()).matches("\\d+\\.\\d+.*");
            assertThat(server.query("SELECT current_database(), current_user, "
                    + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)").get(0))
                    .containsExactly("ferry_test", DatabaseServer.ADMIN_USER, true);

            // +08:00 means east of UTC, as for MySQL (PostgreSQL's POSIX reading of "+08:00" is the opposite)
            assertThat(serverZoneOffsetSeconds(server)).isEqualTo(8 * 3600);
            assertThat(server.query("SELECT current_setting('fsync'), current_setting('full_page_writes'),"
                    + " current_setting('synchronous_commit'), current_setting('max_connections'),"
                    + " current_setting('listen_addresses')").get(0))
                    .containsExactly("off", "off", "off", "100", "127.0.0.1");
            assertThat(server.query("SELECT current_setting('unix_socket_directories')").get(0).get(0).toString())
                    .startsWith(ServerReaper.baseDir().toString());

            // TCP connections need the password
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), server.adminUser(), "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.adminUser(),
                    server.adminPassword())) {
                assertThat(c.isValid(5)).isTrue();
            }

            String db = server.createDatabase("created");
            assertThat(db).startsWith("created_");
            try (Connection c = server.connect(db)) {
                c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)");
            }
            assertThatThrownBy(() -> server.execute("SELECT * FROM no_such_table"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no_such_table");
            assertThatThrownBy(server::serverId).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void keepsDataAcrossKillRestartAndStop() {
        PostgresServer server = PostgresServer.start("restart", "-05:00");
        Path dataDir = server.dataDir();
        int port = server.port();
        try {
            server.execute("CREATE TABLE t (id INT PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, 'a')");

            server.kill();
            assertThat(server.isRunning()).isFalse();
            server.restart();
            assertThat(server.port()).isEqualTo(port);
            // with synchronous_commit=off a crash may lose the last commits, so only a clean stop must keep them
            server.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, v TEXT)", "DELETE FROM t",
                    "INSERT INTO t VALUES (1, '观澜湖'), (2, 'b')");
            server.stop();
            server.restart();
            server.execute("INSERT INTO t VALUES (3, 'c')");
            server.stop();
            assertThat(server.isRunning()).isFalse();
            server.restart();
            assertThat(server.query("SELECT id, v FROM t ORDER BY id"))
                    .containsExactly(List.of(1, "观澜湖"), List.of(2, "b"), List.of(3, "c"));
        } finally {
            server.close();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void sharedSitesHaveTheirOwnServersAndTimeZones() {
        TestDatabase sh = TestServers.site(ServerKind.POSTGRESQL, "sh");
        TestDatabase us = TestServers.site(ServerKind.POSTGRESQL, "us");
        assertThat(TestServers.site(ServerKind.POSTGRESQL, "sh")).isSameAs(sh);
        assertThat(sh.port()).isNotEqualTo(us.port());
        assertThat(serverZoneOffsetSeconds(sh)).isEqualTo(8 * 3600);
        assertThat(serverZoneOffsetSeconds(us)).isEqualTo(-5 * 3600);

        // a killed site server is started again by the next site() call
        us.kill();
        assertThat(TestServers.site(ServerKind.POSTGRESQL, "us").isRunning()).isTrue();
    }

    /**
     * The server's own time zone, which log_timezone shares: the JDBC driver sets every session's TimeZone to
     * the JVM's, so the session's zone says nothing about the server's.
     */
    private static int serverZoneOffsetSeconds(TestDatabase server) {
        return ((Number) server.query("SELECT EXTRACT(EPOCH FROM (now() AT TIME ZONE current_setting('log_timezone'))"
                + " - (now() AT TIME ZONE 'UTC'))").get(0).get(0)).intValue();
    }

    @Test
    void oracleIsNotAvailableWithoutContainers() {
        assertThat(TestServers.unavailableReason(ServerKind.ORACLE)).get().asString()
                .contains("Oracle cannot run without Docker here").contains("-Pcontainers");
    }
}
