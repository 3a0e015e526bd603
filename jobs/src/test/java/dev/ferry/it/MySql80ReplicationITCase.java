package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/** One direction from MySQL 8.0 to MySQL 8.0: 8.0 as source and as target. */
class MySql80ReplicationITCase extends ReplicationFailoverITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }
}
