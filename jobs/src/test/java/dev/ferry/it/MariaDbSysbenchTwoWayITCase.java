package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/** In the default suite; {@code -Dferry.sysbench=off} leaves it out. */
@DisabledIfSystemProperty(named = "ferry.sysbench", matches = "off")
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
