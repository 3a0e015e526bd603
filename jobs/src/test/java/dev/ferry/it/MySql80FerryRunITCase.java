package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/** The {@code ferry run} process between MySQL 8.0 servers: SIGKILL under load, SIGTERM with a savepoint. */
class MySql80FerryRunITCase extends FerryRunITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }
}
