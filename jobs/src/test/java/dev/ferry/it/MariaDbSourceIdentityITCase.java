package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MariaDbSourceIdentityITCase extends SourceIdentityITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }

    @Override
    String identityOf(TestDatabase server) {
        return "MariaDB server_id " + server.serverId() + " (binlog ";
    }

    /** A new binlog numbered from 1 again, as a freshly installed server has. */
    @Override
    void resetToFresh(TestDatabase other) {
        other.execute("RESET MASTER");
    }
}
