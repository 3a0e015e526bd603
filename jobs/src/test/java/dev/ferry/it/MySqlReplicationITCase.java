package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MySqlReplicationITCase extends ReplicationFailoverITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
