package dev.ferry.it;

import dev.ferry.testing.ServerKind;

/** One direction from MySQL 8.0 to MySQL 9.x (9.7 in CI). */
class MySql80ToMySql9ReplicationITCase extends MySqlVersionPairITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }

    @Override
    ServerKind targetKind() {
        return ServerKind.MYSQL;
    }
}
