package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.Sites.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.RestorePoint;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input "a purged binlog position on restore", as a DBA hits it: a direction is stopped with a
 * savepoint, the source keeps writing and its binlogs are purged past the saved position, then the
 * direction is started again the way {@code ferry run} does ({@link LocalRunner}). It must stop that
 * direction with a message naming the site, the reason and the fix, must not restart forever, and
 * must apply nothing from after the gap.
 */
abstract class PurgedBinlogITBase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    abstract ServerKind kind();

    @Test
    void aPurgedSavedPositionStopsTheDirectionWithTheFixAndAppliesNothingPastTheGap() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "purge", dir.resolve("state"));
        TestDatabase sh = channel.sh;
        TestDatabase us = channel.us;
        String database = channel.database;
        String t = q(database) + ".t";
        ChannelConfig config = channel.config("initial", "transactional");
        String direction = config.directions().get(0).name();
        sh.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + t + " VALUES (1, 'snapshot 1'), (2, 'snapshot 2'), (3, 'snapshot 3')");

        // 1. replicate: the snapshot, then rows through the binlog (so the reader is known to run)
        List<String> problems = new CopyOnWriteArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            Sites.awaitBinlogReader(sh, us, t, "dashboard " + runner.dashboardUrl());
            sh.execute("INSERT INTO " + t + " VALUES (10, 'binlog 10'), (11, 'binlog 11')",
                    "UPDATE " + t + " SET v = 'binlog update' WHERE id = 1",
                    "DELETE FROM " + t + " WHERE id = 2");
            awaitSameRows(sh, us, database, "t", TIMEOUT);
            // 2. stop with a savepoint, as ferry run does on SIGTERM
            runner.stopWithSavepoint();
        }
        assertThat(problems).as("problems reported while replicating").isEmpty();
        Optional<Path> savepoint = RestorePoint.latest(channel.stateDir, direction);
        assertThat(savepoint).as("restore point").hasValueSatisfying(
                p -> assertThat(p.toString()).contains("savepoint"));
        List<List<String>> rowsAtStop = rows(us, database, "t");
        assertThat(rowsAtStop).as("target rows at the stop").isEqualTo(rows(sh, database, "t"));
        long appliedAtStop = appliedRows(us, channel.name);
        assertThat(appliedAtStop).as("rows applied through the binlog before the stop").isPositive();
        String fileAtStop = binlogFiles(sh).get(binlogFiles(sh).size() - 1);

        // 3. while stopped: more changes, then the binlogs holding them and the saved position are purged
        sh.execute("INSERT INTO " + t + " VALUES (20, 'while stopped 20'), (21, 'while stopped 21')",
                "UPDATE " + t + " SET v = 'updated while stopped' WHERE id = 10",
                "DELETE FROM " + t + " WHERE id = 3");
        String newest = purgeBinlogs(sh);
        assertThat(binlogFiles(sh)).as("binlogs at sh after the purge").doesNotContain(fileAtStop)
                .containsExactly(newest);
        // changes after the gap, in a binlog that still exists: they must not be applied either
        sh.execute("INSERT INTO " + t + " VALUES (30, 'after the purge')",
                "UPDATE " + t + " SET v = 'updated after the purge' WHERE id = 11");

        // 4. start again from the savepoint: that direction stops with the explanation
        problems.clear();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            assertThat(RunnerWatch.awaitStoppedByFailure(runner, problems, TIMEOUT))
                    .startsWith(direction + ": ")
                    .contains("binlog position this direction stopped at has been purged at site 'sh'")
                    .contains("cannot resume without losing changes")
                    .contains("Fix: raise binlog_expire_logs_seconds")
                    .contains("move this direction's state directory aside")
                    .contains("'startup: initial'")
                    .doesNotContain("Exception")
                    .doesNotContain("\n");
            // nothing after the gap: the target holds exactly the rows it had at the stop
            assertThat(rows(us, database, "t")).as("target rows after the failed resume").isEqualTo(rowsAtStop);
            assertThat(appliedRows(us, channel.name)).as("rows applied (commit markers)").isEqualTo(appliedAtStop);
            assertThat(runner.watch()).as("still stopped").isFalse();
            assertThat(problems).as("reported once").hasSize(2);
        }
        assertThat(rows(us, database, "t")).as("target rows at the end").isEqualTo(rowsAtStop);
        assertThat(rows(sh, database, "t")).as("the source moved on").isNotEqualTo(rowsAtStop);
    }

    /**
     * The same through the {@code ferry run} process: the console explains it in plain words (no stack
     * trace), and ferry exits by itself once its only direction is stopped instead of restarting it.
     */
    @Test
    void ferryRunExplainsAPurgedPositionOnTheConsoleAndExits() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "purgerun", dir.resolve("state"));
        TestDatabase sh = channel.sh;
        TestDatabase us = channel.us;
        String database = channel.database;
        String t = q(database) + ".t";
        Path config = Files.writeString(dir.resolve("channel.yaml"), channel.yaml("initial", "transactional"));
        Map<String, String> env = Map.of(Channel.PASSWORD_VARIABLE, sh.adminPassword());
        sh.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + t + " VALUES (1, 'snapshot 1'), (2, 'snapshot 2')");

        try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-0.log"))) {
            ferry.awaitOutput("dashboard at http://127.0.0.1:", TIMEOUT);
            Sites.awaitBinlogReader(sh, us, t, "ferry run");
            sh.execute("INSERT INTO " + t + " VALUES (10, 'binlog 10')", "UPDATE " + t + " SET v = 'u' WHERE id = 1");
            awaitSameRows(sh, us, database, "t", TIMEOUT);
            assertThat(ferry.terminate(TIMEOUT)).as("exit code after SIGTERM").isZero();
            assertThat(ferry.output()).anyMatch(l -> l.contains("stopped with savepoint"));
        }
        List<List<String>> rowsAtStop = rows(us, database, "t");
        long appliedAtStop = appliedRows(us, channel.name);
        sh.execute("INSERT INTO " + t + " VALUES (20, 'while stopped')", "DELETE FROM " + t + " WHERE id = 2");
        purgeBinlogs(sh);
        sh.execute("INSERT INTO " + t + " VALUES (30, 'after the purge')");

        try (FerryProcess ferry = FerryProcess.run(config, env, dir.resolve("ferry-1.log"))) {
            ferry.awaitOutput("resumes from", TIMEOUT);
            ferry.awaitOutput("no direction is running any more; exiting", TIMEOUT);
            assertThat(ferry.awaitExit(TIMEOUT)).as("exit code").isEqualTo(1);
            List<String> console = ferry.output();
            System.out.println("ferry run's console:\n" + String.join("\n", console));
            assertThat(console).as("console").anyMatch(l -> l.startsWith("ferry: sh->us: the binlog position this"
                    + " direction stopped at has been purged at site 'sh'") && l.contains("Fix: "));
            assertThat(console).as("console").contains("ferry: stopping sh->us; the other directions keep running.");
            assertThat(console).as("console: no stack trace")
                    .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:") || l.contains("Exception"));
        }
        assertThat(rows(us, database, "t")).as("target rows after the failed resume").isEqualTo(rowsAtStop);
        assertThat(appliedRows(us, channel.name)).as("rows applied (commit markers)").isEqualTo(appliedAtStop);
    }

    /** The binlog files the server still has, oldest first. */
    static List<String> binlogFiles(TestDatabase server) {
        return server.query("SHOW BINARY LOGS").stream().map(r -> (String) r.get(0)).toList();
    }

    /**
     * Rotates the binlog and purges every file before the new one, polling until the server really
     * dropped them (MariaDB keeps a binlog until InnoDB checkpointed it, so its engine logs are flushed
     * first). Returns the only file left.
     */
    private String purgeBinlogs(TestDatabase server) {
        server.execute("FLUSH BINARY LOGS");
        List<String> files = binlogFiles(server);
        String newest = files.get(files.size() - 1);
        await(() -> {
            if (kind() == ServerKind.MARIADB) {
                server.execute("FLUSH ENGINE LOGS");
            }
            server.execute("PURGE BINARY LOGS TO '" + newest + "'");
            return binlogFiles(server).equals(List.of(newest));
        }, TIMEOUT, "the binlogs before " + newest + " to be purged at " + server.name());
        return newest;
    }
}
