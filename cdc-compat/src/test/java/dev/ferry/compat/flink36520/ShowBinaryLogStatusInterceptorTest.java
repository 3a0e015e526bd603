package dev.ferry.compat.flink36520;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.ServerVersion;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShowBinaryLogStatusInterceptorTest {

    @Test
    void recognisesOnlyFlinkCdcsStatement() {
        assertThat(ShowBinaryLogStatusInterceptor.isShowMasterStatus("SHOW MASTER STATUS")).isTrue();
        assertThat(ShowBinaryLogStatusInterceptor.isShowMasterStatus(" show  master\nstatus ")).isTrue();
        assertThat(ShowBinaryLogStatusInterceptor.isShowMasterStatus("SELECT 'SHOW MASTER STATUS'")).isFalse();
        assertThat(ShowBinaryLogStatusInterceptor.isShowMasterStatus("SHOW MASTER LOGS")).isFalse();
    }

    @Test
    void replacesOnlyOnMySql82AndLater() {
        assertThat(ShowBinaryLogStatusInterceptor.needsReplacement(ServerVersion.parseVersion("9.7.4"))).isTrue();
        assertThat(ShowBinaryLogStatusInterceptor.needsReplacement(ServerVersion.parseVersion("8.4.0"))).isTrue();
        assertThat(ShowBinaryLogStatusInterceptor.needsReplacement(ServerVersion.parseVersion("8.0.40"))).isFalse();
        assertThat(ShowBinaryLogStatusInterceptor.needsReplacement(ServerVersion.parseVersion("11.4.5-MariaDB")))
                .isFalse();
    }

    /** Flink CDC's statement works on every server once the interceptor is installed. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void showMasterStatusAnswersOnEveryServer(ServerKind kind) throws SQLException {
        TestDatabase server = TestServers.site(kind, "sh");
        try (Connection c = connect(server, true); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("File")).isNotBlank();
            assertThat(rs.getLong("Position")).isPositive();
            assertThat(rs.next()).isFalse();
        }
        try (Connection c = connect(server, true); Statement s = c.createStatement()) {
            for (int i = 0; i < 50; i++) { // the replacement statements are closed, not piled up
                s.executeQuery("SHOW MASTER STATUS").close();
            }
            assertThat(s.executeQuery("SELECT 1").next()).isTrue();
        }
    }

    /** The control: without the workaround MySQL 8.4+ refuses the statement (FLINK-36520). */
    @Test
    void mysqlRefusesShowMasterStatusWithoutIt() {
        TestDatabase server = TestServers.site(ServerKind.MYSQL, "sh");
        assertThatThrownBy(() -> {
            try (Connection c = connect(server, false); Statement s = c.createStatement()) {
                s.executeQuery("SHOW MASTER STATUS");
            }
        }).isInstanceOf(SQLException.class);
    }

    private static Connection connect(TestDatabase server, boolean withInterceptor) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", server.adminUser());
        p.setProperty("password", server.adminPassword());
        p.setProperty("allowPublicKeyRetrieval", "true");
        if (withInterceptor) {
            p.setProperty("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME);
        }
        return DriverManager.getConnection(server.jdbcUrl() + "/", p);
    }
}
