package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Starts real MariaDB, MySQL 9.x and MySQL 8.0 servers; fails instead of skipping with CI=true when one is missing. */
class DatabaseServerTest {

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "MYSQL_8_0"})
    void startsWithBinlogTimeZoneAndAdminAccount(ServerKind kind) {
        TestServers.assumeAvailable(kind);
        try (DatabaseServer server = DatabaseServer.start(kind, "settings", Map.of("default-time-zone", "+08:00"))) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + server.port());
            assertThat(server.version()).satisfies(v -> {
                if (kind == ServerKind.MARIADB) {
                    assertThat(v).contains("MariaDB");
                } else if (kind == ServerKind.MYSQL_8_0) {
                    assertThat(v).startsWith(MySql80Distribution.VERSION);
                } else {
                    assertThat(v).doesNotContain("MariaDB").matches("\\d+\\.\\d+\\.\\d+.*");
                }
            });

            List<Object> binlog = server.query("SELECT @@binlog_format, @@binlog_row_image, @@log_bin").get(0);
            assertThat(binlog).extracting(String::valueOf).containsExactly("ROW", "FULL", "1");
            assertThat(((Number) server.query("SELECT @@server_id").get(0).get(0)).intValue())
                    .isEqualTo(server.serverId());
            assertThat(server.query("SELECT @@character_set_server").get(0).get(0)).isEqualTo("utf8mb4");
            if (kind == ServerKind.MARIADB) {
                assertThat(server.query("SELECT @@collation_server").get(0).get(0)).isEqualTo("utf8mb4_general_ci");
            } else {
                assertThat(server.query("SELECT @@gtid_mode, @@enforce_gtid_consistency").get(0))
                        .extracting(String::valueOf).containsExactly("ON", "ON");
            }
            assertThat(server.query("SELECT @@time_zone, CAST(TIMEDIFF(NOW(), UTC_TIMESTAMP()) AS CHAR)").get(0))
                    .extracting(String::valueOf).containsExactly("+08:00", "08:00:00");

            // the admin account is usable over TCP and may grant
            assertThat(server.query("SHOW GRANTS").get(0).get(0).toString()).contains("WITH GRANT OPTION");
            server.execute("CREATE USER 'probe'@'%' IDENTIFIED BY 'probe-pw'",
                    "GRANT SELECT ON *.* TO 'probe'@'%'");

            // the binary log is usable: a row change appears in it
            String db = server.createDatabase("binlog");
            assertThat(db).startsWith("binlog_");
            server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (1)");
            assertThat(server.query("SHOW BINARY LOGS")).isNotEmpty();

            assertThatThrownBy(() -> server.execute("SELECT * FROM no_such_db.no_such_table"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no_such_db.no_such_table");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "MYSQL_8_0"})
    void keepsDataAcrossKillRestartAndStop(ServerKind kind) throws Exception {
        TestServers.assumeAvailable(kind);
        DatabaseServer server = DatabaseServer.start(kind, "restart", Map.of());
        Path dataDir = server.dataDir();
        int port = server.port();
        try {
            String db = server.createDatabase("keep");
            server.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO " + db + ".t VALUES (1, '观澜湖'), (2, 'b')");

            server.kill();
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(server::connect).isInstanceOf(java.sql.SQLException.class);

            server.restart();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.query("SELECT v FROM " + db + ".t ORDER BY id")).containsExactly(List.of("观澜湖"), List.of("b"));

            server.execute("INSERT INTO " + db + ".t VALUES (3, 'c')");
            server.stop();
            assertThat(server.isRunning()).isFalse();
            server.restart();
            try (Connection c = server.connect(db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                assertThat(c.getAutoCommit()).isTrue();
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        } finally {
            server.close();
        }
        assertThat(server.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    /** Not MySQL 8.0: site sharing does not depend on the kind, and the 8.0 ITs start their sites this way. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void sharedSitesStartInParallelWithTheirOwnTimeZones(ServerKind kind) {
        TestServers.assumeAvailable(kind);
        CompletableFuture<TestDatabase> sh = CompletableFuture.supplyAsync(() -> TestServers.site(kind, "sh"));
        CompletableFuture<TestDatabase> us = CompletableFuture.supplyAsync(() -> TestServers.site(kind, "us"));
        TestDatabase a = sh.join();
        TestDatabase b = us.join();

        assertThat(TestServers.site(kind, "sh")).isSameAs(a);
        assertThat(a.port()).isNotEqualTo(b.port());
        assertThat(a.serverId()).isNotEqualTo(b.serverId());
        assertThat(a.query("SELECT @@time_zone").get(0).get(0)).isEqualTo("+08:00");
        assertThat(b.query("SELECT @@time_zone").get(0).get(0)).isEqualTo("-05:00");
        String[] databases = {a.createDatabase("site"), b.createDatabase("site")};
        assertThat(databases[0]).isNotEqualTo(databases[1]);
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "MYSQL_8_0"})
    void rejectsOptionsItManages(ServerKind kind) {
        assertThatThrownBy(() -> DatabaseServer.start(kind, "bad", Map.of("port", "3306")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'port'");
    }
}
