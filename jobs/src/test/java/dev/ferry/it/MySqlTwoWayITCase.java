package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/**
 * The two-way tests on MySQL 9.x. It extends TwoWayITBase, not TwoWayThreeSiteITBase: relaying through a hub does not
 * depend on the server, so the three-site tests (about 130 s here) run on MariaDB only, to keep the suite short. They
 * passed here in session 23 (the split-file test after a fix of the test itself), and the three-site checker on
 * MySQL 9.7 held every invariant (docs/checker.md).
 */
class MySqlTwoWayITCase extends TwoWayITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
