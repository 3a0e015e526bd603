package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FerryCliAccess;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.LocalRunner;
import dev.ferry.cli.RunAddress;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry status} against a channel that {@code ferry run}'s runner executes on real servers. */
class CliStatusITCase {
    @TempDir
    Path dir;

    @Test
    void statusShowsEachDirectionFromFlinksRestApiAndFailsWhenNothingRuns() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("status");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + database + "`.t VALUES (1, 1), (2, 2), (3, 3)");
        Path file = OneDirection.initialChannelFile(dir, "status", sh, us, database);
        ChannelConfig config = ChannelConfig.load(file);
        String url;
        List<String> problems = new ArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            url = runner.dashboardUrl();
            FlinkRestClient rest = new FlinkRestClient(url);
            await(() -> read(config, rest).streaming(), OneDirection.TIMEOUT, "the initial copy to end");
            sh.execute("INSERT INTO `" + database + "`.t VALUES (4, 4)");
            await(() -> read(config, rest).appliedRows() >= 4 && read(config, rest).lastCheckpointId() > 0,
                    OneDirection.TIMEOUT, "a streamed row and a checkpoint");
            ChannelStatus.Direction d = read(config, rest);
            assertThat(d.name()).isEqualTo("sh->us");
            assertThat(d.state()).isEqualTo("RUNNING");
            assertThat(d.snapshotRows()).as("the initial copy").isEqualTo(3);
            assertThat(d.lagMs()).isBetween(0L, OneDirection.TIMEOUT.toMillis());
            assertThat(d.conflicts()).isZero();
            assertThat(d.heldTables()).isZero();
            assertThat(FerryCliAccess.run("status", "--config", file.toString(), "--flink", url)).isZero();
        }
        assertThat(problems).isEmpty();
        assertThat(FerryCliAccess.run("status", "--config", file.toString(), "--flink", url)).as("nothing runs")
                .isEqualTo(1);
    }

    /**
     * A target that refuses a row (a CHECK constraint the source lacks) holds that table (issue 17): the direction
     * runs on, and status shows the table with the reason and the fix, and exits 1 while it is held.
     */
    @Test
    void aTableTheTargetRefusesShowsAsHeldWithItsReasonAndFixWhileTheDirectionRuns() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("held");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE `" + database + "`.u (id INT PRIMARY KEY)", "INSERT INTO `" + database + "`.t VALUES (1, 1)");
        us.execute("CREATE DATABASE `" + database + "`", "CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY,"
                + " v INT, CONSTRAINT positive CHECK (v > 0))");
        Path file = OneDirection.initialChannelFile(dir, "held", sh, us, database);
        ChannelConfig config = ChannelConfig.load(file);
        try (LocalRunner runner = new LocalRunner(config, 0, problem -> { })) {
            runner.start();
            FlinkRestClient rest = new FlinkRestClient(runner.dashboardUrl());
            await(() -> read(config, rest).streaming(), OneDirection.TIMEOUT, "the initial copy to end");

            sh.execute("INSERT INTO `" + database + "`.t VALUES (2, -1)", "INSERT INTO `" + database + "`.u VALUES (1)");
            await(() -> read(config, rest).heldTables() == 1, OneDirection.TIMEOUT, "the heldTables metric");
            ChannelStatus.Direction d = read(config, rest);
            assertThat(d.shownState()).isEqualTo("RUNNING");
            assertThat(d.failures().recent()).as("the direction never failed").isZero();
            await(() -> us.query("SELECT id FROM `" + database + "`.u").size() == 1, OneDirection.TIMEOUT,
                    "the other table to flow on");
            FerryCliAccess.Status status = FerryCliAccess.status(config, runner.dashboardUrl());
            assertThat(status.output()).contains("sh->us  RUNNING", "1 table(s) HELD", database + ".t HELD",
                    "CHECK constraint", "positive", "Fix: change or drop that constraint", "'retry'");
            assertThat(status.exitCode()).as("status exits 1 while a table is held").isEqualTo(1);
        }
    }

    /**
     * A direction whose target refuses Ferry's own commit marker (here a trigger on ferry_commit) cannot hold a table:
     * it fails, restarts and fails again, running most of the time, so Flink's job state alone looks healthy. Status
     * calls it FAILING and names the error.
     */
    @Test
    void aDirectionInARestartLoopShowsAsFailingWithTheTargetsError() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("failing");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + database + "`.t VALUES (1, 1)");
        Path file = OneDirection.initialChannelFile(dir, "failing", sh, us, database);
        ChannelConfig config = ChannelConfig.load(file);
        String trigger = "`ferry`.`refuse_" + database + "`";
        try (LocalRunner runner = new LocalRunner(config, 0, problem -> { })) {
            runner.start();
            FlinkRestClient rest = new FlinkRestClient(runner.dashboardUrl());
            await(() -> read(config, rest).streaming(), OneDirection.TIMEOUT, "the initial copy to end");
            assertThat(read(config, rest).shownState()).isEqualTo("RUNNING");

            us.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON `ferry`.`ferry_commit` FOR EACH ROW BEGIN IF"
                    + " NEW.channel = '" + config.channel() + "' AND NEW.row_count > 0 THEN SIGNAL SQLSTATE '45000'"
                    + " SET MESSAGE_TEXT = 'no markers of this channel'; END IF; END");
            sh.execute("INSERT INTO `" + database + "`.t VALUES (2, 2)");
            // FAILING whether status reads the job restoring (Flink: RUNNING) or in its back-off (RESTARTING)
            Set<String> seen = new LinkedHashSet<>(); // on a time-out, what status showed instead
            try {
                await(() -> {
                    ChannelStatus.Direction now = read(config, rest);
                    seen.add(now.state() + " shown as " + now.shownState() + " with " + now.failures().recent()
                            + " recent failure(s)");
                    return "FAILING".equals(now.shownState());
                }, OneDirection.TIMEOUT, "the direction to show as FAILING");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; status showed " + seen, e);
            }
            ChannelStatus.Direction d = read(config, rest);
            assertThat(d.failures().recent()).isGreaterThanOrEqualTo(2);
            assertThat(d.running()).as("in either state").isFalse();
            assertThat(d.failures().lastReason()).contains("no markers of this channel");
            assertThat(FerryCliAccess.run("status", "--config", file.toString(), "--flink", runner.dashboardUrl()))
                    .as("status exits 1").isEqualTo(1);
        } finally {
            us.execute("DROP TRIGGER IF EXISTS " + trigger);
        }
    }

    /**
     * {@code ferry status} without {@code --flink} reads the channel's own {@code ferry run} (a separate process, as a
     * user starts it) from the address it records in the state directory, and says so when that run is gone; the
     * console of the run shows no java.util.logging line of the binlog client (issue 17).
     */
    @Test
    void statusWithoutFlinkFindsTheChannelsOwnRunAndTheRunsConsoleHasNoJulLines() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("own");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + database + "`.t VALUES (1, 1), (2, 2)");
        Path file = OneDirection.initialChannelFile(dir, "own", sh, us, database);
        ChannelConfig config = ChannelConfig.load(file);
        assertThat(FerryCliAccess.run("status", "--config", file.toString())).as("nothing runs yet").isEqualTo(1);

        try (FerryProcess ferry = FerryProcess.run(file, Map.of(), dir.resolve("ferry.log"))) {
            ferry.awaitOutput("dashboard at http://127.0.0.1:", OneDirection.TIMEOUT);
            String printed = ferry.output().stream().filter(l -> l.contains("dashboard at ")).findFirst().orElseThrow();
            RunAddress.Recorded run = RunAddress.read(config.stateDir()).orElseThrow();
            assertThat(printed).endsWith("dashboard at " + run.url());
            assertThat(run.alive()).isTrue();
            FlinkRestClient rest = new FlinkRestClient(run.url());
            await(() -> read(config, rest).streaming() && read(config, rest).appliedRows() >= 2, OneDirection.TIMEOUT,
                    "the copy to end");
            assertThat(FerryCliAccess.run("status", "--config", file.toString())).as("read from the recorded address")
                    .isZero();
            assertThat(ferry.terminate(OneDirection.TIMEOUT)).isZero();
            assertThat(ferry.output()).as("the run's console").isNotEmpty()
                    .noneMatch(l -> l.startsWith("INFO: ") || l.contains("com.github.shyiko"));
        }
        assertThat(RunAddress.read(config.stateDir())).as("forgotten when the run stops").isEmpty();
        assertThat(FerryCliAccess.run("status", "--config", file.toString())).as("the run is gone").isEqualTo(1);
    }

    private static ChannelStatus.Direction read(ChannelConfig config, FlinkRestClient rest) {
        try {
            return ChannelStatus.read(config, rest).get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
