package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB -> Oracle Database Free, one way. Runs only with {@code -Pcontainers
 * -Dferry.test.databases=containers} on a machine with Docker (see testing/CONTAINERS.md); everywhere
 * else it is skipped with the reason. NOT RUN where Ferry is developed (no Docker engine there).
 */
class OracleTargetITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path stateDir;

    TestDatabase source;
    TestDatabase oracle;
    String database;
    JobClient job;

    @BeforeEach
    void setUp() {
        TestServers.assumeAvailable(ServerKind.ORACLE);
        source = TestServers.site(ServerKind.MARIADB, "sh");
        oracle = TestServers.site(ServerKind.ORACLE, "ora");
        database = source.createDatabase("oit");
        // an Oracle schema is a user: Ferry's own and the one the MySQL database maps to
        for (String user : List.of("FERRY", database.toUpperCase(Locale.ROOT))) {
            try {
                oracle.execute("CREATE USER " + user + " IDENTIFIED BY \"Ferry-2-user\" QUOTA UNLIMITED ON USERS");
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("ORA-01920")) { // FERRY exists after the first test
                    throw e;
                }
            }
        }
    }

    @AfterEach
    void cancel() throws Exception {
        OneDirection.cancel(job);
    }

    @Test
    void snapshotStreamingAndTheSeedAlterArriveAsOracleSql() throws Exception {
        String t = q(database) + ".vgp_order";
        source.execute("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL,"
                        + " created DATETIME(6) NOT NULL, note VARCHAR(20))",
                "INSERT INTO " + t + " VALUES (1, 9.99, '2024-01-02 03:04:05.123456', ''), (2, 1, NOW(6), NULL)");
        job = start();
        awaitSame();
        source.execute("alter table " + t + " add booboo varchar(255) default 'superman'",
                "INSERT INTO " + t + " (id, amount, created) VALUES (3, 2.5, NOW(6))",
                "UPDATE " + t + " SET amount = amount + 1, booboo = 'batman' WHERE id = 1",
                "DELETE FROM " + t + " WHERE id = 2");
        awaitSame();
    }

    private void awaitSame() {
        await(() -> sourceRows().equals(targetRows()), OneDirection.TIMEOUT, "vgp_order to arrive at Oracle");
        assertThat(targetRows()).isEqualTo(sourceRows());
    }

    /** Oracle stores '' as NULL (see docs/postgres-oracle.md), so the source's '' is expected as NULL. */
    private List<List<String>> sourceRows() {
        return CrossRows.source(source, database, "vgp_order").stream()
                .map(row -> row.stream().map(v -> "".equals(v) ? null : v).toList()).toList();
    }

    private List<List<String>> targetRows() {
        try (Connection c = oracle.connect()) {
            List<List<String>> rows = CrossRows.rows(c, "SELECT * FROM \"" + database.toUpperCase(Locale.ROOT)
                    + "\".\"VGP_ORDER\" ORDER BY \"ID\"");
            return rows;
        } catch (SQLException e) {
            return List.of(List.of(e.getMessage()));
        }
    }

    private JobClient start() throws Exception {
        ChannelConfig config = OneDirection.oneWay("ora" + ProcessHandle.current().pid(), source, "ora",
                oracle.jdbcUrl(), oracle.adminUser(), oracle.adminPassword(), database, stateDir, "transactional");
        return OneDirection.start(config, stateDir, Optional.empty());
    }
}
