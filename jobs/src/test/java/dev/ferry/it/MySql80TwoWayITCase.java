package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Two-way sync between MySQL 8.0 servers: the seed scenario, every DDL kind from both sides, and a TaskManager
 * killed during dual writes. The three-site tests are left out (named below): together they took about 290 s of
 * the suite's time on 2 cores, and what they add, the mesh and a site's catch-up, runs the same on every server
 * version (MariaDbTwoWayITCase, MySqlTwoWayITCase run them).
 */
class MySql80TwoWayITCase extends TwoWayITBase {
    static final String LEFT_OUT = "three sites: the mesh does not depend on the MySQL version and runs on MariaDB"
            + " and MySQL 9.x (MariaDbTwoWayITCase, MySqlTwoWayITCase); left out on 8.0 to keep the suite short";

    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }

    @Override
    @Test
    @Disabled(LEFT_OUT)
    void threeSiteMeshDeliversEveryChangeExactlyOnceAndNothingEchoes() {
    }

    @Override
    @Test
    @Disabled("one site of " + LEFT_OUT)
    void aSiteThatIsDownDoesNotStopTheOthersAndCatchesUpWhenBack() {
    }
}
