package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Not in the default suite while a row can still end differently under this load: docs/conflicts.md. */
@EnabledIfSystemProperty(named = "ferry.sysbench", matches = "on")
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
