package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/** Two-way conflicts between MySQL 8.0 servers: every policy, the same rows written at both sites. */
class MySql80ConflictITCase extends ConflictITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }
}
