package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MariaDbToPostgresITCase extends PostgresTargetITBase {
    @Override
    ServerKind sourceKind() {
        return ServerKind.MARIADB;
    }
}
