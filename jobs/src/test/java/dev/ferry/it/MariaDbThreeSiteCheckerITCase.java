package dev.ferry.it;

import dev.ferry.it.checker.CheckerSettings;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The checker with three sites, sh the hub linked both ways with us and with eu (docs/checker.md, "Three sites"), in
 * the default suite in its CI mode, on MariaDB only: the relaying does not depend on the server. As the two-site
 * runs, {@code -Dferry.checker=off} leaves it out.
 */
@DisabledIfSystemProperty(named = "ferry.checker", matches = "off")
class MariaDbThreeSiteCheckerITCase extends MariaDbTwoSiteCheckerITCase {
    @Override
    CheckerSettings settings(CheckerSettings fromProperties) {
        return fromProperties.withSites(3);
    }
}
