package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MySqlToPostgresITCase extends PostgresTargetITBase {
    @Override
    ServerKind sourceKind() {
        return ServerKind.MYSQL;
    }
}
