package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MariaDbSysbenchTwoWayITCase extends SysbenchTwoWayITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
        assumeSysbench();
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
