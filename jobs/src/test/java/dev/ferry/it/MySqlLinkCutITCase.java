package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

class MySqlLinkCutITCase extends LinkCutITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
