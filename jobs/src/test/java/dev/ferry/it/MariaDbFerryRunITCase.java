package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MariaDbFerryRunITCase extends FerryRunITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
