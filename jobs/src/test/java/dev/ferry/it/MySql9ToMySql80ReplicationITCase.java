package dev.ferry.it;

import dev.ferry.testing.ServerKind;

/** One direction from MySQL 9.x (9.7 in CI) to MySQL 8.0. */
class MySql9ToMySql80ReplicationITCase extends MySqlVersionPairITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }

    @Override
    ServerKind targetKind() {
        return ServerKind.MYSQL_8_0;
    }
}
