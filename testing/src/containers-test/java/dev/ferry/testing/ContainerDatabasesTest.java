package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The container provider (containers profile, {@code -Dferry.test.databases=containers}). Without Docker these
 * tests skip, even with CI=true, saying why.
 */
class ContainerDatabasesTest {

    @BeforeEach
    void containersSelected() {
        Assumptions.assumeTrue(TestServers.provider() instanceof ContainerDatabases,
                "the container provider is not selected: run with -D" + TestServers.PROVIDER_PROPERTY + "=containers");
    }

    @Test
    void mySqlContainerIsConfiguredLikeTheLocalServer() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
        TestDatabase sh = TestServers.site(ServerKind.MYSQL, "sh");
        assertThat(sh).isInstanceOf(MySqlContainerDatabase.class);
        assertThat(sh.version()).startsWith(System.getProperty(MySqlContainerDatabase.IMAGE_PROPERTY,
                MySqlContainerDatabase.DEFAULT_IMAGE).replaceFirst(".*:", ""));
        assertThat(sh.query("SELECT @@binlog_format, @@binlog_row_image, @@gtid_mode, @@time_zone").get(0))
                .extracting(String::valueOf).containsExactly("ROW", "FULL", "ON", "+08:00");
        assertThat(((Number) sh.query("SELECT @@server_id").get(0).get(0)).intValue()).isEqualTo(sh.serverId());
        assertThat(sh.query("SHOW GRANTS").get(0).get(0).toString()).contains("WITH GRANT OPTION");

        String db = sh.createDatabase("kept");
        sh.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (1)");
        int port = sh.port();
        sh.kill();
        sh.restart();
        assertThat(sh.port()).isEqualTo(port);
        sh.stop();
        sh.restart();
        assertThat(sh.query("SELECT id FROM " + db + ".t")).containsExactly(List.of(1));
    }

    @Test
    void oracleContainerHasTheAdminAsDba() {
        TestServers.assumeAvailable(ServerKind.ORACLE);
        TestDatabase oracle = TestServers.site(ServerKind.ORACLE, "us");
        assertThat(oracle.version()).contains("Oracle");
        String schema = oracle.createDatabase("app");
        oracle.execute("CREATE TABLE " + schema + ".t (id NUMBER PRIMARY KEY)",
                "INSERT INTO " + schema + ".t VALUES (1)");
        assertThat(oracle.query("SELECT COUNT(*) FROM " + schema + ".t").get(0).get(0).toString()).isEqualTo("1");
    }

    @Test
    void localKindsStayLocalProcesses() {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
        assertThat(TestServers.site(ServerKind.POSTGRESQL, "eu")).isInstanceOf(PostgresServer.class);
    }
}
