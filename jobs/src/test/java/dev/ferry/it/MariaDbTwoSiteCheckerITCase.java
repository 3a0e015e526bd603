package dev.ferry.it;

import dev.ferry.it.checker.CheckerSettings;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not in the default suite yet. In its CI mode (75 s, seed {@value CheckerSettings#CI_SEED}, no faults) every
 * invariant held on MariaDB and MySQL 9.7 (session 14, one run each), and again on MySQL in a full-suite run, but in
 * that same run MariaDB showed one I3 violation: a REPLACE whose insert lost a unique value at the other site, an
 * open point in docs/conflicts.md. One red CI run keeps everything out, so it runs with {@code -Dferry.checker=on}
 * ({@code bench/soak.sh} does).
 */
@EnabledIfSystemProperty(named = "ferry.checker", matches = "on")
class MariaDbTwoSiteCheckerITCase extends TwoSiteCheckerITBase {
    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
    }

    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }
}
