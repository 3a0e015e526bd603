package dev.ferry.it;

import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.FerryException;
import dev.ferry.loop.FerryTables;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import dev.ferry.verify.RepairStamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The two-way tests plus three sites linked through a hub, sh, which relays between us and eu: what MariaDB runs.
 * Relaying does not depend on the server, so MySQL 9.x and 8.0 run only the two-way tests (MySqlTwoWayITCase,
 * MySql80TwoWayITCase), to keep the suite short.
 */
abstract class TwoWayThreeSiteITBase extends TwoWayITBase {
    @Test
    void threeSitesThroughAHubGetEveryChangeExactlyOnceAndNothingEchoes() throws Exception {
        LinkedSites mesh = mesh3("hub");
        start(mesh);
        List<SiteLoad> loads = probedLoads(mesh);
        inParallel(loads, load -> load.transactions(300));
        inParallel(loads, load -> load.bulk(2, 3000));
        awaitAllEqual(mesh, loads);
    }

    @Test
    void aSiteThatIsDownDoesNotStopTheOthersAndCatchesUpWhenBack() throws Exception {
        LinkedSites mesh = mesh3("down");
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

    /**
     * us and eu write the same rows while the hub is down, so neither sees the other's write: when it is back, the
     * hub takes whichever arrives first, and every site ends with it; the other is recorded as lost (I1, I2 across
     * the spokes, which a mesh broke: docs/two-way.md).
     */
    @Test
    void whileTheHubIsDownBothSpokesWriteTheSameRowsAndAllSitesEndWithOneVersionTheOtherRecorded() throws Exception {
        LinkedSites mesh = mesh3("hubdown");
        start(mesh);
        probedLoads(mesh);
        TestDatabase sh = mesh.site("sh");
        String rows = IntStream.rangeClosed(1, 20).mapToObj(i -> "(" + i + ", 'sh', 0, NULL)")
                .collect(Collectors.joining(", "));
        exec(sh, mesh.database, "INSERT INTO events (id, origin, n, note) VALUES " + rows);
        awaitAllSameEvents(mesh);

        sh.stop();
        exec(mesh.site("us"), mesh.database, "UPDATE events SET origin = 'us', note = 'written-at-us' WHERE id <= 20");
        exec(mesh.site("eu"), mesh.database, "UPDATE events SET origin = 'eu', note = 'written-at-eu' WHERE id <= 20");
        sh.restart();
        awaitAllSameEvents(mesh);

        for (int id = 1; id <= 20; id++) {
            String winner = (String) sh.query("SELECT origin FROM " + q(mesh.database) + ".events WHERE id = ?", id)
                    .get(0).get(0);
            assertThat(winner).as("row %d", id).isIn("us", "eu");
            String lost = "written-at-" + (winner.equals("us") ? "eu" : "us");
            List<List<Object>> records = new java.util.ArrayList<>();
            for (TestDatabase site : mesh.sites.values()) {
                records.addAll(site.query("SELECT resolution, incoming_after, target_row FROM ferry.ferry_conflict"
                        + " WHERE channel = ? AND table_name = 'events' AND row_key = ?", mesh.name, "[" + id + "]"));
            }
            assertThat(records).as("records of row %d, whose version %s lost", id, lost).anyMatch(r ->
                    "target-kept".equals(r.get(0)) && String.valueOf(r.get(1)).contains(lost)
                            || "incoming-applied".equals(r.get(0)) && String.valueOf(r.get(2)).contains(lost));
        }
    }

    /**
     * A column added at us reaches eu through the hub, ahead of every row that carries it, whichever site writes
     * that row: nothing is held, and every site ends with the same schema and rows.
     */
    @Test
    void aColumnAddedAtOneSpokeReachesTheOtherThroughTheHubAheadOfTheRowsThatCarryIt() throws Exception {
        LinkedSites mesh = mesh3("hubddl");
        start(mesh);
        probedLoads(mesh);
        String events = q(mesh.database) + ".events";
        exec(mesh.site("us"), mesh.database, "ALTER TABLE events ADD COLUMN c INT",
                "INSERT INTO events (id, origin, n, c) VALUES (1, 'us', 1, 7)");
        Sites.await(() -> !mesh.site("sh").query("SELECT 1 FROM " + events + " WHERE id = 1").isEmpty(), TIMEOUT,
                "us's row at sh");
        exec(mesh.site("sh"), mesh.database, "INSERT INTO events (id, origin, n, c) VALUES (2, 'sh', 1, 8)");
        Sites.await(() -> !mesh.site("eu").query("SELECT 1 FROM " + events + " WHERE id = 2").isEmpty(), TIMEOUT,
                "sh's row at eu");
        exec(mesh.site("eu"), mesh.database, "INSERT INTO events (id, origin, n, c) VALUES (3, 'eu', 1, 9)");
        for (TestDatabase site : mesh.sites.values()) {
            Sites.await(() -> !site.query("SELECT 1 FROM " + events + " WHERE id = 3").isEmpty(), TIMEOUT,
                    "eu's row at " + site.name());
        }
        awaitAllSameEvents(mesh);
        for (TestDatabase site : mesh.sites.values()) {
            assertThat(site.query("SELECT id, c FROM " + events + " ORDER BY id")).as("rows at %s", site.name())
                    .containsExactly(List.of(1L, 7), List.of(2L, 8), List.of(3L, 9));
            assertThat(Sites.schema(site, mesh.database)).isEqualTo(Sites.schema(mesh.site("sh"), mesh.database));
            assertThat(site.query("SELECT table_name FROM ferry.ferry_ddl WHERE channel = ? AND outcome = 'held'",
                    mesh.name)).as("held at %s", site.name()).isEmpty();
        }
    }

    /**
     * The same three-site channel split over two files, sh<->eu in one and sh<->us in the other: each looks like a
     * two-site channel, and sh->us would not relay what eu->sh applies at sh, so eu's changes would never reach us.
     * The second is refused, naming the direction, the one it does not know and the fix; ferry check says the same.
     */
    @Test
    void aThreeSiteChannelSplitOverTwoFilesIsRefusedNamingTheFix() throws Exception {
        LinkedSites mesh = mesh3("split");
        // a repair by ferry verify at sh just now is no other file's direction
        mesh.site("sh").execute(FerryTables.schemaStatements().toArray(String[]::new));
        mesh.site("sh").execute("INSERT INTO ferry.ferry_commit (channel, direction, subtask, epoch, seq, row_count,"
                + " committed_at) VALUES ('" + mesh.name + "', '" + RepairStamp.DIRECTION + "', 0, 1, 1, 1,"
                + " UTC_TIMESTAMP())");
        runner = new LocalRunner(mesh.configWith("sh->eu", "eu->sh"), 0, problems::add);
        runner.start();
        String events = q(mesh.database) + ".events";
        int[] tries = {0}; // a new value each time: with the same one, eu->sh applied nothing in 2 min (both servers)
        Sites.await(() -> {
            exec(mesh.site("eu"), mesh.database, "REPLACE INTO events (id, origin, n) VALUES (1, 'eu', " + ++tries[0]
                    + ")");
            return !mesh.site("sh").query("SELECT 1 FROM " + events + " WHERE id = 1").isEmpty();
        }, TIMEOUT, "eu->sh to apply at sh");

        ChannelConfig shUs = new LinkedSites(mesh.name, mesh.database, mesh.sites, stateDir.resolve("second"), false)
                .configWith("sh->us", "us->sh");
        try (LocalRunner second = new LocalRunner(shUs, 0, problems::add)) {
            assertThatThrownBy(second::start).isInstanceOf(FerryException.class)
                    .hasMessageContaining("sh->us: channel '" + mesh.name + "' also runs eu->sh into site 'sh'")
                    .hasMessageContaining("would not pass what it applies at 'sh' on to 'us'")
                    .hasMessageContaining("Fix: list every direction of the channel in one channel file");
            assertThat(second.jobs()).as("nothing of the second file started").isEmpty();
        }
        assertThat(ChannelCheck.run(shUs)).filteredOn(r -> r.check().equals("arbitration sh->us")).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(ChannelCheck.Status.FAIL);
                    assertThat(r.detail()).contains("also runs eu->sh into site 'sh'").doesNotContain("verify-repair");
                });
        // the whole channel's file knows every direction: nothing to refuse
        assertThat(ChannelCheck.run(mesh.config())).filteredOn(r -> r.check().startsWith("arbitration"))
                .extracting(ChannelCheck.Result::status).containsOnly(ChannelCheck.Status.OK).hasSize(4);
    }

    /** All three sites equal in one look: two that both still lack the third's change are equal for a moment. */
    private static void awaitAllSameEvents(LinkedSites mesh) {
        Sites.await(() -> {
            List<List<String>> sh = Sites.rows(mesh.site("sh"), mesh.database, "events");
            return mesh.sites.values().stream().allMatch(s -> Sites.rows(s, mesh.database, "events").equals(sh));
        }, TIMEOUT, "the events of all three sites to be equal");
        for (TestDatabase site : mesh.sites.values()) {
            awaitSameRows(mesh.site("sh"), site, mesh.database, "events", TIMEOUT);
        }
    }

    private LinkedSites mesh3(String prefix) {
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
        return new LinkedSites(channelName(), db, sites, stateDir, false);
    }
}
