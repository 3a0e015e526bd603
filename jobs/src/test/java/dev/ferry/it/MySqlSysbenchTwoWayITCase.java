package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MySqlSysbenchTwoWayITCase extends SysbenchTwoWayITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
        assumeSysbench();
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
