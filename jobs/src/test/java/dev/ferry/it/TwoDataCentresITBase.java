package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.TwoWayITBase.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.FerryException;
import dev.ferry.testing.LinkProxy;
import dev.ferry.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two data centres placed as docs/two-way.md ("Two data centres") says: one two-way channel file, and in each data
 * centre a {@code ferry run --direction} of the direction whose target it holds, reaching the other site across its
 * own link (a {@link LinkProxy} each way). Both sites write the same rows, also while the link is split both ways;
 * the conflict arbitration must hold throughout: the sites end equal, and every version that lost is recorded. A
 * channel split over two one-direction files instead runs without arbitration, and is refused.
 */
abstract class TwoDataCentresITBase extends MeshITBase {
    private static final String TABLE = "CREATE TABLE kv (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)";
    private static final String PROBE = "(id, v) VALUES (%d, 'probe')";
    private static final int CONTESTED = 20;

    /** The state directory of the run in sh's data centre ({@code stateDir} is us's). */
    @TempDir
    Path shStateDir;

    private final List<LocalRunner> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() throws Exception {
        for (LocalRunner r : runners) {
            r.close();
        }
    }

    @Test
    void eachDataCentreRunsTheDirectionIntoItAndBothArbitrateAcrossASplit() throws Exception {
        LinkedSites atUs = mesh2("twodc", TABLE, false);
        TestDatabase sh = atUs.site("sh");
        TestDatabase us = atUs.site("us");
        String db = atUs.database;
        LinkedSites atSh = new LinkedSites(atUs.name, db, atUs.sites, shStateDir, false);
        try (LinkProxy toSh = new LinkProxy(sh.host(), sh.port()); LinkProxy toUs = new LinkProxy(us.host(),
                us.port())) {
            atUs.urls.put("sh", "jdbc:mysql://127.0.0.1:" + toSh.port()); // us's data centre reaches sh across its link
            atSh.urls.put("us", "jdbc:mysql://127.0.0.1:" + toUs.port());
            ChannelConfig usFile = atUs.config();
            ChannelConfig shFile = atSh.config();
            LocalRunner runsAtUs = run(usFile, "sh->us");
            LocalRunner runsAtSh = run(shFile, "us->sh");
            assertThat(runsAtUs.jobs().keySet()).extracting(d -> d.name()).containsExactly("sh->us");
            assertThat(runsAtSh.jobs().keySet()).extracting(d -> d.name()).containsExactly("us->sh");
            atUs.awaitReaders("kv", PROBE);
            for (int id = 1; id <= CONTESTED; id++) {
                TwoWayITBase.exec(sh, db, "INSERT INTO kv VALUES (" + id + ", 'sh-" + id + "')");
            }
            awaitSameRows(sh, us, db, "kv", TIMEOUT);

            toSh.cut();
            toUs.cut();
            // the same rows at both sites, while neither sees the other. sh changes each row and changes it back, so
            // us's update finds at sh the very version it replaced: only the arbitration (which of sh's own writes us
            // had seen) tells it is concurrent; comparing versions alone lets it through at sh, while sh's changes,
            // met as a conflict at us, win there, and the sites end swapped
            for (int id = 1; id <= CONTESTED; id++) {
                TwoWayITBase.exec(sh, db, "UPDATE kv SET v = 'sh-split-" + id + "' WHERE id = " + id);
                TwoWayITBase.exec(sh, db, "UPDATE kv SET v = 'sh-" + id + "' WHERE id = " + id);
                TwoWayITBase.exec(us, db, "UPDATE kv SET v = 'us-split-" + id + "' WHERE id = " + id);
                TwoWayITBase.exec(sh, db, "INSERT INTO kv VALUES (" + (1000 + id) + ", 'sh-own')");
                TwoWayITBase.exec(us, db, "INSERT INTO kv VALUES (" + (2000 + id) + ", 'us-own')");
            }
            // the split shows: neither direction looks healthy in its own data centre's status
            await(() -> !healthy(usFile, runsAtUs) && !healthy(shFile, runsAtSh), TIMEOUT,
                    "both directions to show the split in ferry status");
            toSh.restore();
            toUs.restore();

            awaitSameRows(sh, us, db, "kv", TIMEOUT);
            for (int id = 1; id <= CONTESTED; id++) { // the channel's default rule: the first site, sh, wins
                assertThat(sh.query("SELECT v FROM " + Sites.q(db) + ".kv WHERE id = ?", id).get(0).get(0))
                        .as("row %d keeps sh's newest version", id).isEqualTo("sh-" + id);
                assertThat(recordsNaming(atUs, "us-split-" + id)).as("us's losing version of row %d is recorded", id)
                        .isPositive();
            }
            for (String own : List.of("sh-own", "us-own")) {
                assertThat(recordsNaming(atUs, own)).as("no conflict on rows only one site wrote (%s)", own).isZero();
                assertThat(sh.query("SELECT COUNT(*) FROM " + Sites.q(db) + ".kv WHERE v = ?", own).get(0).get(0))
                        .as("rows %s, each once", own).isEqualTo(20L);
            }
            Sites.assertSameRows(sh, us, db, "kv");
        }
    }

    @Test
    void aChannelSplitOverTwoOneDirectionFilesIsRefusedNamingTheFix() throws Exception {
        LinkedSites mesh = mesh2("twofiles", TABLE, false);
        ChannelConfig shToUsOnly = mesh.configOnly("sh->us");
        run(shToUsOnly, "sh->us");
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        Sites.awaitBinlogReader(sh, us, Sites.q(mesh.database) + ".kv", "sh->us alone");
        assertThat(TwoWayITBase.appliedRows(us, mesh.name, "sh->us")).as("sh->us committed at us").isPositive();

        ChannelConfig usToShOnly = new LinkedSites(mesh.name, mesh.database, mesh.sites, shStateDir, false)
                .configOnly("us->sh");
        LocalRunner second = new LocalRunner(usToShOnly, 0, problems::add);
        runners.add(second);
        assertThatThrownBy(second::start).isInstanceOf(FerryException.class)
                .hasMessageContaining("us->sh: channel '" + mesh.name + "' also runs sh->us into site 'us'")
                .hasMessageContaining("without conflict arbitration")
                .hasMessageContaining("Fix: list both directions in one channel file")
                .hasMessageContaining("'ferry run --direction us->sh'");
        assertThat(second.jobs()).as("nothing of us->sh started").isEmpty();
        // ferry check says the same, read-only
        assertThat(ChannelCheck.run(usToShOnly)).filteredOn(r -> r.check().equals("arbitration us->sh"))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(ChannelCheck.Status.FAIL);
                    assertThat(r.detail()).contains("also runs sh->us into site 'us'");
                });
        assertThat(ChannelCheck.run(mesh.config())).filteredOn(r -> r.check().startsWith("arbitration"))
                .extracting(ChannelCheck.Result::status).containsOnly(ChannelCheck.Status.OK).hasSize(2);
    }

    private LocalRunner run(ChannelConfig config, String direction) throws Exception {
        LocalRunner r = new LocalRunner(config, List.of(config.direction(direction)), 0,
                LocalRunner.DEFAULT_BIND_ADDRESS, problems::add);
        runners.add(r);
        r.start();
        return r;
    }

    /** As LinkCutITBase counts it: running, not failing, with a known lag under 10 s. */
    private static boolean healthy(ChannelConfig config, LocalRunner runner) {
        try {
            List<ChannelStatus.Direction> shown = ChannelStatus.read(config, new FlinkRestClient(runner.dashboardUrl()))
                    .stream().filter(d -> !"NOT FOUND".equals(d.state())).toList();
            assertThat(shown).as("the one direction this data centre runs").hasSize(1);
            ChannelStatus.Direction d = shown.get(0);
            return d.running() && d.lagMs() >= 0 && d.lagMs() < 10_000;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Conflict records at either site whose incoming or target version holds {@code value}. */
    private static long recordsNaming(LinkedSites mesh, String value) {
        long n = 0;
        for (TestDatabase site : mesh.sites.values()) {
            n += ((Number) site.query("SELECT COUNT(*) FROM ferry.ferry_conflict WHERE channel = ? AND"
                    + " (incoming_after LIKE ? OR target_row LIKE ?)", mesh.name, "%\"" + value + "\"%",
                    "%\"" + value + "\"%").get(0).get(0)).longValue();
        }
        return n;
    }
}
