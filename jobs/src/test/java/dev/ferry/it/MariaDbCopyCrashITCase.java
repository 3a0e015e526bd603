package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MariaDbCopyCrashITCase extends CopyCrashITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
