package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.FerryException;
import dev.ferry.job.Preflight;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input is refused with a message that names the thing, the reason and the fix,
 * before anything is applied.
 */
class BadInputITCase {
    TestDatabase sh;
    TestDatabase us;
    String database;

    @BeforeEach
    void servers() {
        sh = TestServers.site(ServerKind.MARIADB, "sh");
        us = TestServers.site(ServerKind.MARIADB, "us");
        database = sh.createDatabase("bad");
    }

    @Test
    void aTableWithoutPrimaryKeyIsNamed() {
        sh.execute("CREATE TABLE `" + database + "`.no_key (a INT, b INT)");
        assertThatThrownBy(() -> check(channel(sh, us)))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining(database + ".no_key")
                .hasMessageContaining("without a primary key")
                .hasMessageContaining("tables.exclude");
        assertThat(us.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", database)
                .get(0).get(0)).as("nothing created at the target").isEqualTo(0L);
    }

    @Test
    void binlogNotRowOrNotFullIsRefusedWithTheSetting() {
        try (DatabaseServer statement = DatabaseServer.start(ServerKind.MARIADB, "statement",
                Map.of("binlog_format", "STATEMENT"));
                DatabaseServer minimal = DatabaseServer.start(ServerKind.MARIADB, "minimal",
                        Map.of("binlog_row_image", "MINIMAL"))) {
            statement.createDatabase("bad");
            assertThatThrownBy(() -> check(channel(statement, us)))
                    .hasMessageContaining("binlog_format=STATEMENT")
                    .hasMessageContaining("binlog_format=ROW");
            assertThatThrownBy(() -> check(channel(minimal, us)))
                    .hasMessageContaining("binlog_row_image=MINIMAL")
                    .hasMessageContaining("binlog_row_image=FULL");
        }
    }

    /** Flink CDC 3.5.0's binlog reader skips compressed events: their rows would never replicate. */
    @Test
    void aCompressedBinlogIsRefusedWithTheSetting() {
        try (DatabaseServer mariadb = DatabaseServer.start(ServerKind.MARIADB, "compress",
                Map.of("log_bin_compress", "ON"));
                DatabaseServer mysql = DatabaseServer.start(ServerKind.MYSQL, "compress",
                        Map.of("binlog_transaction_compression", "ON"))) {
            for (DatabaseServer compressed : new DatabaseServer[] {mariadb, mysql}) {
                compressed.createDatabase("bad");
                String variable = compressed == mariadb ? "log_bin_compress" : "binlog_transaction_compression";
                assertThatThrownBy(() -> check(channel(compressed, us)))
                        .isInstanceOf(FerryException.class)
                        .hasMessageContaining(variable + "=ON")
                        .hasMessageContaining("SET PERSIST " + variable + "=OFF");
            }
        }
    }

    @Test
    void anUnreachableServerIsNamedWithItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String yaml = channelYaml("jdbc:mysql://127.0.0.1:" + closedPort, sh.adminUser(), us);
        assertThatThrownBy(() -> check(parse(yaml, sh.adminPassword())))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("Cannot reach site 'sh'")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("sites.sh.url");
    }

    @Test
    void aWrongPasswordSaysWhichSettingToCheck() {
        assertThatThrownBy(() -> check(parse(channelYaml(sh.jdbcUrl(), sh.adminUser(), us), "not-the-password")))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining("sites.sh.password")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void missingReplicationPrivilegesPrintTheGrant() {
        sh.execute("CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'reader-pw'",
                "GRANT SELECT ON *.* TO 'reader'@'%'");
        assertThatThrownBy(() -> check(parse(channelYaml(sh.jdbcUrl(), "reader", us), "reader-pw")))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("REPLICATION SLAVE, REPLICATION CLIENT")
                .hasMessageContaining("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'reader'@'%'");
    }

    private void check(ChannelConfig config) {
        Preflight.check(config, config.directions().get(0));
    }

    private ChannelConfig channel(TestDatabase from, TestDatabase to) {
        return parse(channelYaml(from.jdbcUrl(), from.adminUser(), to), from.adminPassword());
    }

    private String channelYaml(String fromUrl, String fromUser, TestDatabase to) {
        return String.join("\n",
                "channel: bad",
                "sites:",
                "  sh: { url: \"" + fromUrl + "\", user: " + fromUser + ", password: \"${env:SH_PW}\" }",
                "  us: { url: \"" + to.jdbcUrl() + "\", user: " + to.adminUser() + ", password: \"${env:US_PW}\" }",
                "directions:",
                "  - { from: sh, to: us, startup: latest }",
                "tables:",
                "  include: ['" + database + "\\..*']",
                "");
    }

    private ChannelConfig parse(String yaml, String shPassword) {
        return ChannelConfig.parse(yaml, "bad.yaml", Map.of("SH_PW", shPassword, "US_PW", us.adminPassword())::get);
    }
}
