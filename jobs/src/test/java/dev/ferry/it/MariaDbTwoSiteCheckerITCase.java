package dev.ferry.it;

import dev.ferry.it.checker.CheckerSettings;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * In the default suite in its CI mode: 75 s of writes, seed {@value CheckerSettings#CI_SEED}, no faults
 * (docs/checker.md). {@code -Dferry.checker=off} leaves it out; {@code bench/soak.sh} runs it long, with faults.
 */
@DisabledIfSystemProperty(named = "ferry.checker", matches = "off")
class MariaDbTwoSiteCheckerITCase extends CheckerITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
