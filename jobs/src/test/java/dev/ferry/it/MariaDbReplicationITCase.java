package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MariaDbReplicationITCase extends ReplicationITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
