package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MySqlReplicationITCase extends ReplicationITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
