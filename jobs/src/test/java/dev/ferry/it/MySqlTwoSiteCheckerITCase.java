package dev.ferry.it;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not in the default suite: on main (the home site's echoes) it reports violations of I1-I4 that issue 16 describes
 * and that are not fixed yet (docs/conflicts.md), so it would keep CI red. {@code bench/soak.sh} runs it
 * ({@code -Dferry.checker=on}); the checker's own logic is unit-tested in {@code InvariantCheckerTest}.
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
