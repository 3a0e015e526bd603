package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.TwoWayITBase.TIMEOUT;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * sysbench's {@code oltp_write_only} at both sites at once, on the same database and tables, with both
 * directions running: the load under which users saw the sites diverge (issue 16).
 *
 * <p>sysbench prepares its tables at sh; us gets them from sh's snapshot ({@code startup: initial}), because
 * prepare writes random data. Then both sites run the load for {@value #SECONDS_PROPERTY} seconds (default
 * 60) with {@value #THREADS_PROPERTY} threads each (default 2), at most {@value #RATE_PROPERTY} transactions
 * per second each (default 100; 0 for no limit), from the same random seed at both sites unless
 * {@value #SEEDS_PROPERTY} is {@code different}, and the directions get {@value #CATCH_UP_PROPERTY} seconds
 * (default 300) to deliver the rest. Afterwards the sites must be equal row by row
 * in every sbtest table, no direction may have failed or restarted, and every conflict the apply operators
 * counted must be recorded in ferry_conflict (conflicts are expected: both sites write the same rows).
 *
 * <p>With the same seed, each site's threads issue the same transactions at about the same time: the same change to
 * the same row at both sites, then a delete and re-insert of that row at one of them. sysbench's default seed is the
 * time, so two runs started in the same second did this by chance; that is how users met crossed rows (issue 16).
 *
 * <p>sysbench connects as its own account, {@value #USER}, whose password it reads from a file readable by
 * this user only ({@code --config-file}): the project's rule is that no password goes into program arguments.
 */
abstract class SysbenchTwoWayITBase extends MeshITBase {
    static final String SECONDS_PROPERTY = "ferry.it.sysbench.seconds";
    static final String THREADS_PROPERTY = "ferry.it.sysbench.threads";
    static final String TABLES_PROPERTY = "ferry.it.sysbench.tables";
    static final String TABLE_SIZE_PROPERTY = "ferry.it.sysbench.tableSize";
    static final String RATE_PROPERTY = "ferry.it.sysbench.rate";
    static final String CATCH_UP_PROPERTY = "ferry.it.sysbench.catchUpSeconds";
    static final String SEEDS_PROPERTY = "ferry.it.sysbench.seeds";
    private static final Path SYSBENCH = Path.of(System.getProperty("ferry.it.sysbench", "/usr/bin/sysbench"));
    private static final String USER = "ferry_sysbench";
    private static final String PASSWORD = "ferry-sysbench-pw";
    private static final Path BINLOG_READER = Path.of(System.getProperty("ferry.it.binlogReader", "/usr/bin/mysqlbinlog"));
    private static final Path LOGS = Path.of(System.getProperty("ferry.it.sysbench.logs", "target/sysbench"));
    private static final String PROBE = "(id, k, c, pad) VALUES (%d, 0, 'probe', 'probe')";

    /** Returns if sysbench is installed; if not, fails the test in CI (.ci/run installs it) and skips it elsewhere. */
    static void assumeSysbench() {
        if (Files.isExecutable(SYSBENCH)) {
            return;
        }
        String reason = SYSBENCH + " is missing: install Debian's sysbench package (apt-get install sysbench)";
        if ("true".equalsIgnoreCase(System.getenv(TestServers.CI_VARIABLE))) {
            Assertions.fail(reason);
        }
        Assumptions.abort(reason);
    }

    @Test
    void oltpWriteOnlyAtBothSitesOnTheSameTablesConverges() throws Exception {
        int seconds = Integer.getInteger(SECONDS_PROPERTY, 60);
        int threads = Integer.getInteger(THREADS_PROPERTY, 2);
        int tables = Integer.getInteger(TABLES_PROPERTY, 4);
        int tableSize = Integer.getInteger(TABLE_SIZE_PROPERTY, 10_000);
        // transactions per second at each site (0: as fast as it can): unlimited, one site can write faster than
        // the other direction applies, and the backlog then outlasts any fixed wait
        int rate = Integer.getInteger(RATE_PROPERTY, 100);
        java.time.Duration catchUp = java.time.Duration.ofSeconds(Integer.getInteger(CATCH_UP_PROPERTY, 300));
        TestDatabase sh = TestServers.site(kind(), "sh");
        TestDatabase us = TestServers.site(kind(), "us");
        String db = sh.createDatabase("sbtest");
        us.execute("CREATE DATABASE " + q(db));
        Path config = passwordFile();
        Files.createDirectories(LOGS);
        for (TestDatabase site : List.of(sh, us)) {
            site.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL PRIVILEGES ON " + q(db) + ".* TO '" + USER + "'@'%'");
        }
        String table = "--tables=" + tables;
        String size = "--table-size=" + tableSize;
        long t0 = System.nanoTime();
        assertThat(sysbench(sh, db, config, "prepare", "oltp_write_only", table, size, "prepare").waitFor())
                .as("sysbench prepare at sh (see %s)", log("prepare")).isZero();
        for (int i = 1; i <= tables; i++) { // the same tables at us, empty: sh's snapshot fills them
            String ddl = (String) sh.query("SHOW CREATE TABLE " + q(db) + ".sbtest" + i).get(0).get(1);
            exec(us, db, ddl);
        }
        LinkedSites mesh = new LinkedSites(channelName(), db, twoSites(sh, us), stateDir, true);
        start(mesh);
        for (int i = 1; i <= tables; i++) {
            String t = "sbtest" + i;
            await(() -> Sites.count(us, db, t) == tableSize, TIMEOUT, "sh's snapshot of " + t + " to reach us");
            Sites.assertSameRows(sh, us, db, t);
        }
        mesh.awaitReaders("sbtest1", PROBE);
        long prepared = System.nanoTime();

        List<String> run = List.of("oltp_write_only", table, size, "--threads=" + threads, "--time=" + seconds,
                "--rate=" + rate, "--report-interval=10", "run");
        boolean sameSeed = !"different".equals(System.getProperty(SEEDS_PROPERTY, "same"));
        Process atSh = sysbench(sh, db, config, "run-sh", withSeed(run, 1));
        Process atUs = sysbench(us, db, config, "run-us", withSeed(run, sameSeed ? 1 : 2));
        for (Process p : List.of(atSh, atUs)) {
            if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail("sysbench did not end " + (seconds + 120) + " s after it started: " + p);
            }
        }
        assertThat(atSh.exitValue()).as("sysbench at sh (see %s)", log("run-sh")).isZero();
        assertThat(atUs.exitValue()).as("sysbench at us (see %s)", log("run-us")).isZero();
        long loaded = System.nanoTime();

        // everything written before the probes has gone where it goes (and come back if it comes back)
        mesh.awaitReaders("sbtest1", PROBE, catchUp);
        try {
            for (int i = 1; i <= tables; i++) {
                Sites.awaitSameRows(sh, us, db, "sbtest" + i, TIMEOUT); // row by row; on a time-out it shows the difference
            }
        } catch (AssertionError difference) {
            keepBinlogs(sh, us);
            throw difference;
        }
        long converged = System.nanoTime();
        TwoWayITBase.assertBinlogsQuiet(mesh);
        assertEveryDirectionRunsWithoutRestart();

        // every conflict the apply operators met is recorded (and no other)
        long recorded = ConflictITBase.allConflicts(sh, mesh) + ConflictITBase.allConflicts(us, mesh);
        long followUps = ConflictITBase.followUps(sh, mesh) + ConflictITBase.followUps(us, mesh);
        await(() -> FlinkRest.metricSum(runner, ConflictITBase::isConflictTotal) == recorded
                && FlinkRest.metricSum(runner, id -> id.endsWith(".conflictFollowUps")) == followUps, TIMEOUT,
                "the conflict metrics to match the conflict tables");
        System.out.printf("sysbench oltp_write_only (%s, %d tables x %d rows, %d threads and rate %d per site, %d s):"
                + " %s at sh, %s at us; %d conflicts recorded (%d at sh, %d at us), %d follow-ups; prepare and snapshot"
                + " %d s, load %d s, converged %d s after the load%n", kind(), tables, tableSize, threads, rate, seconds,
                summary("run-sh"), summary("run-us"), recorded, ConflictITBase.allConflicts(sh, mesh),
                ConflictITBase.allConflicts(us, mesh), followUps, TimeUnit.NANOSECONDS.toSeconds(prepared - t0),
                TimeUnit.NANOSECONDS.toSeconds(loaded - prepared), TimeUnit.NANOSECONDS.toSeconds(converged - loaded));
    }

    /**
     * The sites' binlogs, decoded, kept next to sysbench's logs when the sites differ: the servers are gone after the
     * test, and a difference is traced through both binlogs (which transaction wrote the row, and which Ferry applied).
     */
    private void keepBinlogs(TestDatabase... sites) {
        for (TestDatabase site : sites) {
            Path out = log("binlog-" + site.name());
            try {
                List<String> files = site.query("SHOW BINARY LOGS").stream().map(r -> (String) r.get(0)).toList();
                List<String> command = new ArrayList<>(List.of(BINLOG_READER.toString(), "--read-from-remote-server",
                        "--host=" + site.host(), "--port=" + site.port(), "--user=" + site.adminUser(),
                        "--base64-output=decode-rows", "--verbose"));
                command.addAll(files);
                ProcessBuilder reader = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                reader.environment().put("MYSQL_PWD", site.adminPassword()); // not in argv
                Process p = reader.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                System.out.println("the sites differ: " + site.name() + "'s binlog is decoded in " + out);
            } catch (IOException | RuntimeException e) {
                System.out.println("could not keep " + site.name() + "'s binlog: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String[] withSeed(List<String> run, int seed) {
        List<String> arguments = new ArrayList<>(run);
        arguments.add(arguments.size() - 1, "--rand-seed=" + seed); // before the command, "run"
        return arguments.toArray(String[]::new);
    }

    /** sysbench's option file with the password, readable by this user only. */
    private Path passwordFile() throws IOException {
        Path file = stateDir.resolve("sysbench.options");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "mysql-password=" + PASSWORD + "\n");
        return file;
    }

    /** Starts sysbench against the site's database; its output goes to {@link #log}(name). */
    private Process sysbench(TestDatabase site, String db, Path config, String name, String... arguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(SYSBENCH.toString(), "--config-file=" + config,
                "--db-driver=mysql", "--mysql-host=" + site.host(), "--mysql-port=" + site.port(),
                "--mysql-user=" + USER, "--mysql-db=" + db));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile()).start();
    }

    /** sysbench's output, kept after the test (the state directory is not): target/sysbench/ by default. */
    private Path log(String name) {
        return LOGS.resolve(kind().name().toLowerCase(java.util.Locale.ROOT) + "-" + name + ".log");
    }

    /** The transactions and ignored errors lines of a sysbench run's report. */
    private String summary(String name) throws IOException {
        return String.join(", ", Files.readAllLines(log(name)).stream().map(String::trim)
                .filter(l -> l.startsWith("transactions:") || l.startsWith("ignored errors:")).toList());
    }
}
