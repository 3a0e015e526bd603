package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/**
 * Triggers and cascading foreign keys on MySQL 8.0. MySqlTriggerAndCascadeITCase's test of cascades the binlog
 * carries does not apply: 8.0 has no SQL-layer foreign keys (no innodb_native_foreign_keys).
 */
class MySql80TriggerAndCascadeITCase extends TriggerAndCascadeITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL_8_0;
    }

    /** MySQL 8.0's cascades happen inside InnoDB and never reach the binlog. */
    @Override
    TestDatabase cascadeSource() {
        return site("sh");
    }
}
