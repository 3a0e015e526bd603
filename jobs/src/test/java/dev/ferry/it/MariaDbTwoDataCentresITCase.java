package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MariaDbTwoDataCentresITCase extends TwoDataCentresITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
