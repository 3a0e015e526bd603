package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MariaDbTriggerAndCascadeITCase extends TriggerAndCascadeITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }

    /** MariaDB's cascades happen inside InnoDB and never reach the binlog. */
    @Override
    TestDatabase cascadeSource() {
        return site("sh");
    }
}
