package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;

/**
 * One direction between MySQL 8.0 and MySQL 9.x, the source of one version and the target of the other. Runs what
 * depends on the pair: the snapshot and the binlog stream into the other version (target tables created from the
 * source's {@code SHOW CREATE TABLE}), every type, quoted names, and a savepoint restore. What does not depend on the
 * pair (failover and parallel apply, {@link ReplicationFailoverITBase}) runs on each version alone
 * ({@link MySql80ReplicationITCase}, {@link MySqlReplicationITCase}), to keep the suite short.
 */
abstract class MySqlVersionPairITBase extends ReplicationITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL_8_0);
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }
}
