package dev.ferry.it;

import dev.ferry.testing.ServerKind;

class MySqlCopyCrashITCase extends CopyCrashITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
