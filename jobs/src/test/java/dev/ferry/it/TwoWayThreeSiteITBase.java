package dev.ferry.it;

import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;

import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two-way tests plus a three-site mesh: what MariaDB and MySQL 9.x run. The mesh does not depend on the server
 * version, so MySQL 8.0 runs only the two-way tests (MySql80TwoWayITCase), to keep the suite short.
 */
abstract class TwoWayThreeSiteITBase extends TwoWayITBase {
    @Test
    void threeSiteMeshDeliversEveryChangeExactlyOnceAndNothingEchoes() throws Exception {
        Mesh mesh = mesh3("mesh");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        inParallel(loads, load -> load.transactions(300));
        inParallel(loads, load -> load.bulk(2, 3000));
        awaitAllEqual(mesh, loads);
    }

    @Test
    void aSiteThatIsDownDoesNotStopTheOthersAndCatchesUpWhenBack() throws Exception {
        Mesh mesh = mesh3("down");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        TestDatabase eu = mesh.site("eu");
        eu.stop();
        inParallel(loads.subList(0, 2), load -> load.transactions(200));
        // sh and us keep replicating to each other while eu is away
        awaitSameRows(mesh.site("sh"), mesh.site("us"), mesh.database, "events", TIMEOUT);

        eu.restart();
        inParallel(loads, load -> load.transactions(100));
        awaitAllEqual(mesh, loads);
    }

    private Mesh mesh3(String prefix) {
        Map<String, TestDatabase> sites = new LinkedHashMap<>();
        for (String site : List.of("sh", "us", "eu")) {
            sites.put(site, TestServers.site(kind(), site));
        }
        String db = sites.get("sh").createDatabase(prefix);
        for (TestDatabase site : sites.values()) {
            if (site != sites.get("sh")) {
                site.execute("CREATE DATABASE " + q(db));
            }
            exec(site, db, SiteLoad.TABLE_DDL);
        }
        return new Mesh(channelName(), db, sites, stateDir, false);
    }
}
