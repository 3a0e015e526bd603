package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MariaDbReplicationITCase extends ReplicationFailoverITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
