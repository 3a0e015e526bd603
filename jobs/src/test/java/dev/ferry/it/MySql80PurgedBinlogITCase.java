package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/** A purged saved binlog position at a MySQL 8.0 source stops its direction with the fix. */
class MySql80PurgedBinlogITCase extends PurgedBinlogITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }
}
