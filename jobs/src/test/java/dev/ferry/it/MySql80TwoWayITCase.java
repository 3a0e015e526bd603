package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/**
 * Two-way sync between MySQL 8.0 servers: the seed scenario, every DDL kind from both sides, and a TaskManager
 * killed during dual writes. It extends TwoWayITBase, not TwoWayThreeSiteITBase: the three-site tests took about 290 s
 * of the suite's time on 2 cores, and what they add, the mesh and a site's catch-up, runs the same on every server
 * version (MariaDbTwoWayITCase, MySqlTwoWayITCase run them).
 */
class MySql80TwoWayITCase extends TwoWayITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }
}
