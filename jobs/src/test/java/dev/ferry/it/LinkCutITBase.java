package dev.ferry.it;

import static dev.ferry.it.ConflictITBase.records;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.TwoWayITBase.TIMEOUT;
import static dev.ferry.it.TwoWayITBase.appliedRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.Await;
import dev.ferry.testing.LinkProxy;
import dev.ferry.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link between Ferry and one site is cut for 30 s, as a WAN link between two data centres is: every
 * connection to sh hangs (no byte crosses, nothing is closed), while both sites go on writing. sh->us reads
 * its source across the link and us->sh applies across it. While the link is cut, {@code ferry status} must
 * not show either direction healthy; once it is back, everything written meanwhile crosses exactly once, the
 * lag comes back down, and the sites end equal row by row.
 */
abstract class LinkCutITBase extends MeshITBase {
    private static final Logger LOG = LoggerFactory.getLogger(LinkCutITBase.class);
    private static final Duration CUT = Duration.ofSeconds(30);
    /** From this far into the cut on, no direction through the link may look healthy. */
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(15);
    private static final String PROBE = "(id, origin, n) VALUES (%d, 'probe', 0)";

    @Test
    void aCutLinkShowsWhileItLastsAndEveryRowCrossesOnceAfterItsReturn() throws Exception {
        LinkedSites mesh = mesh2("linkcut", SiteLoad.TABLE_DDL, false);
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        String db = mesh.database;
        ScheduledExecutorService writers = Executors.newScheduledThreadPool(2);
        try (LinkProxy link = new LinkProxy(sh.host(), sh.port())) {
            mesh.urls.put("sh", "jdbc:mysql://127.0.0.1:" + link.port());
            start(mesh);
            Map<String, Long> before = mesh.awaitReaders("events", PROBE);
            SiteLoad shLoad = new SiteLoad(sh, db, "sh", 1_000_000);
            SiteLoad usLoad = new SiteLoad(us, db, "us", 2_000_000);
            List<ScheduledFuture<?>> loads = new ArrayList<>();
            for (SiteLoad load : List.of(shLoad, usLoad)) { // about 50 small transactions a second at each site
                loads.add(writers.scheduleAtFixedRate(() -> load.transactions(10), 0, 200, TimeUnit.MILLISECONDS));
            }
            await(() -> appliedRows(us, mesh.name, "sh->us") > before.get("sh->us") + 50
                    && appliedRows(sh, mesh.name, "us->sh") > before.get("us->sh") + 50, TIMEOUT,
                    "rows from both sites to cross before the cut");

            link.cut();
            List<String> healthyWhileCut = watchStatus(mesh.config(), CUT);
            link.restore();
            long restoredAt = System.nanoTime();
            for (ScheduledFuture<?> load : loads) {
                load.cancel(false);
            }
            writers.shutdown();
            assertThat(writers.awaitTermination(1, TimeUnit.MINUTES)).as("the loads stopped").isTrue();
            for (ScheduledFuture<?> load : loads) {
                assertThat(load.isCancelled()).as("a load that never failed (a failed one is done, not cancelled)")
                        .isTrue();
            }

            awaitSameRows(sh, us, db, "events", TIMEOUT);
            LOG.info("the sites were equal {} ms after the link came back",
                    (System.nanoTime() - restoredAt) / 1_000_000);
            // exactly once: each direction's commit markers count every row change of its source, no more
            await(() -> appliedRows(us, mesh.name, "sh->us") - before.get("sh->us") >= shLoad.rowChanges()
                    && appliedRows(sh, mesh.name, "us->sh") - before.get("us->sh") >= usLoad.rowChanges(), TIMEOUT,
                    "the commit markers to count every row change");
            TwoWayITBase.assertBinlogsQuiet(mesh);
            assertThat(appliedRows(us, mesh.name, "sh->us") - before.get("sh->us")).as("rows applied sh->us")
                    .isEqualTo(shLoad.rowChanges());
            assertThat(appliedRows(sh, mesh.name, "us->sh") - before.get("us->sh")).as("rows applied us->sh")
                    .isEqualTo(usLoad.rowChanges());
            Sites.assertSameRows(sh, us, db, "events");
            assertThat(records(sh, mesh)).as("conflicts at sh (each site wrote its own rows)").isEmpty();
            assertThat(records(us, mesh)).as("conflicts at us").isEmpty();

            assertThat(healthyWhileCut).as("status samples that looked healthy %s or more into the cut",
                    SHOWN_WITHIN).isEmpty();
            // flowing again: both jobs running with a small lag. (status calls them RUNNING, not FAILING, once a
            // minute passed since their last failure: JobFailuresTest, not waited for here)
            FlinkRestClient rest = new FlinkRestClient(runner.dashboardUrl());
            List<List<ChannelStatus.Direction>> last = new ArrayList<>(List.of(List.of()));
            try {
                Await.until(() -> {
                    last.set(0, status(mesh.config(), rest));
                    return last.get(0).stream().allMatch(d -> "RUNNING".equals(d.state()) && d.lagMs() >= 0
                            && d.lagMs() < 5_000);
                }, TIMEOUT, "both directions running with a lag under 5 s again", Duration.ofSeconds(1));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the last status read: " + last.get(0), e);
            }
            LOG.info("status {} ms after the link came back: {}", (System.nanoTime() - restoredAt) / 1_000_000,
                    last.get(0));
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * Reads {@code ferry status} every second for {@code cut}; returns the samples, taken {@link #SHOWN_WITHIN}
     * or more into it, in which a direction looked healthy: running, not failing, with a known lag under 10 s.
     */
    private List<String> watchStatus(ChannelConfig config, Duration cut) throws Exception {
        FlinkRestClient rest = new FlinkRestClient(runner.dashboardUrl());
        long start = System.nanoTime();
        List<String> healthy = new ArrayList<>();
        long next = start;
        while (System.nanoTime() - start < cut.toNanos()) {
            long into = (System.nanoTime() - start) / 1_000_000;
            for (ChannelStatus.Direction d : status(config, rest)) {
                String sample = into + " ms: " + d.name() + " " + d.shownState() + " lag " + d.lagMs() + " ms";
                LOG.info("during the cut {}", sample);
                if (into >= SHOWN_WITHIN.toMillis() && d.running() && d.lagMs() >= 0 && d.lagMs() < 10_000) {
                    healthy.add(sample);
                }
            }
            next += 1_000_000_000L;
            long due = next;
            Sites.await(() -> System.nanoTime() >= due, Duration.ofSeconds(5), "the next status sample");
        }
        return healthy;
    }

    private static List<ChannelStatus.Direction> status(ChannelConfig config, FlinkRestClient rest) {
        try {
            return ChannelStatus.read(config, rest);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
