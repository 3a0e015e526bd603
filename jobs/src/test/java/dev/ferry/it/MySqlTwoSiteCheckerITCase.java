package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not in the default suite yet: with rows colliding on a unique value it can still find the sites different
 * (docs/conflicts.md, "Where it stands"), and with faults it finds I3 violations, so it would make CI fail now and
 * then. {@code bench/soak.sh} runs it ({@code -Dferry.checker=on}); the checker's own logic is unit-tested in
 * {@code InvariantCheckerTest}.
 */
@EnabledIfSystemProperty(named = "ferry.checker", matches = "on")
class MySqlTwoSiteCheckerITCase extends TwoSiteCheckerITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }
}
