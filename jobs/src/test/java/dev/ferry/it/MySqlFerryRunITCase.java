package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MySqlFerryRunITCase extends FerryRunITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
