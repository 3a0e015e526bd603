package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.Preflight;
import dev.ferry.job.RestorePoint;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One direction on a Flink MiniCluster between two real servers, of one kind unless a subclass gives the target
 * another ({@link #targetKind()}). Every test ends by
 * comparing source and target row by row; the failover tests also prove from the commit markers
 * that every source row change was applied exactly once.
 */
abstract class ReplicationITBase {
    static final Duration TIMEOUT = OneDirection.TIMEOUT;
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path stateDir;

    Channel channel;
    JobClient job;

    /** The kind of the source, site "sh" (and of the target, unless {@link #targetKind()} says otherwise). */
    abstract ServerKind kind();

    /** The kind of the target, site "us": the source's unless a subclass replicates between two kinds. */
    ServerKind targetKind() {
        return kind();
    }

    @BeforeEach
    void createChannel() {
        TestDatabase sh = TestServers.site(kind(), "sh");
        TestDatabase us = TestServers.site(targetKind(), "us");
        String database = sh.createDatabase("it");
        channel = new Channel("it" + ProcessHandle.current().pid() + "_" + CHANNELS.incrementAndGet(), database, sh,
                us, stateDir);
    }

    @AfterEach
    void cancelJob() throws Exception {
        OneDirection.cancel(job);
    }

    @Test
    void snapshotThenStreaming() throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, name VARCHAR(50), qty INT)",
                "INSERT INTO " + db + ".items VALUES (1, 'apple', 3), (2, 'pear', 5), (3, '观澜湖新城-B1', 7)");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);

        channel.sh.execute("INSERT INTO " + db + ".items VALUES (4, 'plum', 1)",
                "UPDATE " + db + ".items SET qty = qty + 10 WHERE id <= 2",
                "DELETE FROM " + db + ".items WHERE id = 3",
                "UPDATE " + db + ".items SET id = 40 WHERE id = 4");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(count(channel.us, channel.database, "items")).isEqualTo(3);
    }

    @Test
    void everyTypeRoundTripsExactlyAcrossTimeZones() throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".types (" + TypeMatrix.COLUMNS + ")",
                "CREATE TABLE " + db + ".`order items` (`select` INT, `my col` VARCHAR(10), `from` INT,"
                        + " `values` VARCHAR(20), PRIMARY KEY (`select`, `from`))");
        TypeMatrix.insertRows(channel.sh, channel.database, 1, false); // copied by the snapshot
        channel.sh.execute("INSERT INTO " + db + ".`order items` VALUES (1, 'a b', 2, 'x'), (1, 'c', 3, NULL)");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "types", TIMEOUT);

        TypeMatrix.insertRows(channel.sh, channel.database, 100, true); // streamed from the binlog
        TypeMatrix.updateRows(channel.sh, channel.database);
        // updates and deletes carry their before image as a guard: it must match rows the snapshot
        // wrote and rows the binlog wrote exactly, or they would count as conflicts
        // (not row 1: its negative TIME is refused in the binlog, see aNegativeTimeInTheBinlog...)
        channel.sh.execute("UPDATE " + db + ".types SET si = COALESCE(si, 0) DIV 2 WHERE id BETWEEN 2 AND 99",
                "DELETE FROM " + db + ".types WHERE id IN (" + TypeMatrix.ROWS + ", " + (99 + TypeMatrix.ROWS) + ")",
                "UPDATE " + db + ".`order items` SET `values` = '值' WHERE `select` = 1",
                "INSERT INTO " + db + ".`order items` VALUES (2, NULL, 2, '🚢')");
        awaitSameRows(channel.sh, channel.us, channel.database, "types", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "order items", TIMEOUT);
        assertThat(count(channel.us, channel.database, "types")).isEqualTo(2L * TypeMatrix.ROWS - 2);
        assertThat(channel.us.query("SELECT conflict_type, row_key, incoming_before, target_row"
                + " FROM ferry.ferry_conflict WHERE channel = ?", channel.name)).as("conflicts").isEmpty();
    }

    /** Backticks inside names stream fine; only Flink CDC's snapshot cannot read them (see Preflight). */
    /**
     * Tables missing at the target are created from the source's definitions whatever order their foreign keys
     * need: Sakila's {@code address} (referencing {@code city}) comes first by name and failed with errno 150.
     */
    @Test
    void missingTargetTablesAreCreatedWhateverTheOrderTheirForeignKeysNeed() throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".country (id INT PRIMARY KEY, name VARCHAR(20))",
                "CREATE TABLE " + db + ".city (id INT PRIMARY KEY, country_id INT NOT NULL, KEY (country_id),"
                        + " CONSTRAINT fk_city_country FOREIGN KEY (country_id) REFERENCES country (id))",
                "CREATE TABLE " + db + ".address (id INT PRIMARY KEY, city_id INT NOT NULL, KEY (city_id),"
                        + " CONSTRAINT fk_address_city FOREIGN KEY (city_id) REFERENCES city (id))",
                "INSERT INTO " + db + ".country VALUES (1, 'China'), (2, 'USA')",
                "INSERT INTO " + db + ".city VALUES (10, 1), (20, 2)",
                "INSERT INTO " + db + ".address VALUES (100, 10), (200, 20)");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        for (String table : new String[] {"country", "city", "address"}) {
            awaitSameRows(channel.sh, channel.us, channel.database, table, TIMEOUT);
        }
        assertThat(channel.us.query("SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME FROM"
                + " information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1", channel.database))
                .containsExactly(java.util.List.of("fk_address_city", "address", "city"),
                        java.util.List.of("fk_city_country", "city", "country"));
        channel.sh.execute("INSERT INTO " + db + ".address VALUES (300, 20)");
        awaitSameRows(channel.sh, channel.us, channel.database, "address", TIMEOUT);
    }

    @Test
    void namesWithBackticksStreamWithLatestStartup() throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".`tick``table` (`back``tick` INT, `v``2` VARCHAR(10),"
                + " PRIMARY KEY (`back``tick`))");
        job = start(channel.config("latest", "transactional"), Optional.empty());
        // with 'latest' only changes after the reader started arrive: probe until one does
        AtomicInteger probe = new AtomicInteger(1000);
        await(() -> {
            channel.sh.execute("INSERT INTO " + db + ".`tick``table` VALUES (" + probe.incrementAndGet() + ", 'probe')");
            return count(channel.us, channel.database, "tick`table") > 0;
        }, TIMEOUT, "the binlog reader to start");
        channel.sh.execute("INSERT INTO " + db + ".`tick``table` VALUES (1, 'a'), (2, 'b')",
                "UPDATE " + db + ".`tick``table` SET `v``2` = 'c' WHERE `back``tick` = 1",
                "DELETE FROM " + db + ".`tick``table` WHERE `back``tick` > 1000");
        // probes written before the reader started never reached 'us'; the source deletes them all
        awaitSameRows(channel.sh, channel.us, channel.database, "tick`table", TIMEOUT);
        assertThat(count(channel.us, channel.database, "tick`table")).isEqualTo(2);
    }

    @Test
    void aNegativeTimeInTheBinlogStopsTheDirectionWithAClearErrorInsteadOfApplyingIt(
            @InjectMiniCluster MiniCluster flink) throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".times (id INT PRIMARY KEY, t TIME)", "INSERT INTO " + db
                + ".times VALUES (1, '-01:00:00')");
        job = start(channel.config("initial", "transactional"), Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "times", TIMEOUT); // the snapshot reads it exactly
        channel.sh.execute("INSERT INTO " + db + ".times VALUES (2, '-01:00:00')", "INSERT INTO " + db
                + ".times VALUES (3, '01:00:00')");
        await(() -> failure(flink).contains("negative TIME"), TIMEOUT, "the direction to report the negative TIME");
        assertThat(failure(flink)).contains(channel.database + ".times.t");
        assertThat(count(channel.us, channel.database, "times")).as("nothing after the refused row").isEqualTo(1);
    }

    private String failure(MiniCluster flink) {
        try {
            var info = flink.getArchivedExecutionGraph(job.getJobID()).get().getFailureInfo();
            return info == null ? "" : info.getExceptionAsString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void taskManagerKilledUnderLoadLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster flink) throws Exception {
        underLoad("transactional", 200, load -> {
            flink.terminateTaskManager(0).get();
            flink.startTaskManager();
            long before = load.transactions();
            await(() -> load.transactions() > before + 500, TIMEOUT, "more load after the restart");
        });
    }

    @Test
    void cancelThenRestoreFromTheRetainedCheckpoint() throws Exception {
        stopUnderLoadThenResume(config -> {
            job.cancel().get();
            await(() -> status(job).isGloballyTerminalState(), TIMEOUT, "the job to be cancelled");
            Optional<Path> checkpoint = RestorePoint.latest(stateDir, direction(config).name());
            assertThat(checkpoint).as("a retained checkpoint").isPresent();
            assertThat(checkpoint.get().getFileName().toString()).startsWith("chk-");
            return checkpoint.get();
        });
    }

    @Test
    void stopWithSavepointThenResume() throws Exception {
        stopUnderLoadThenResume(config -> Path.of(java.net.URI.create(job.stopWithSavepoint(false,
                RestorePoint.savepointDir(stateDir, direction(config).name()).toUri().toString(),
                SavepointFormatType.CANONICAL).get())));
    }

    /** Stops the running job under load, lets the load go on, resumes from what {@code stop} returns. */
    private void stopUnderLoadThenResume(Stop stop) throws Exception {
        Workload.createTables(channel.sh, channel.database);
        ChannelConfig config = channel.config("initial", "transactional");
        job = start(config, Optional.empty());
        Workload.awaitSnapshotDone(channel.sh, channel.us, channel.database, TIMEOUT);
        long transactions;
        try (Workload load = new Workload(channel.sh, channel.database, 1)) {
            await(() -> count(channel.us, channel.database, "events") > 200, TIMEOUT, "the load to reach the target");
            Path restoreFrom = stop.stop(config);
            long before = load.transactions();
            await(() -> load.transactions() > before + 200, TIMEOUT, "load while the job is down");
            job = start(config, Optional.of(restoreFrom));
            transactions = load.stop();
        }
        assertConverged(transactions);
    }

    private interface Stop {
        Path stop(ChannelConfig config) throws Exception;
    }

    @Test
    void parallelApplyConverges() throws Exception {
        underLoad("parallel", 500, load -> { });
    }

    /**
     * Runs the workload against a fresh job, does {@code duringLoad} once {@code arrived} events
     * reached the target, then stops the load and checks convergence.
     */
    private void underLoad(String applyMode, long arrived, DuringLoad duringLoad) throws Exception {
        Workload.createTables(channel.sh, channel.database);
        job = start(channel.config("initial", applyMode), Optional.empty());
        Workload.awaitSnapshotDone(channel.sh, channel.us, channel.database, TIMEOUT);
        long transactions;
        try (Workload load = new Workload(channel.sh, channel.database, 1)) {
            await(() -> count(channel.us, channel.database, "events") > arrived, TIMEOUT,
                    "the load to reach the target");
            duringLoad.run(load);
            transactions = load.stop();
        }
        assertConverged(transactions);
    }

    private interface DuringLoad {
        void run(Workload load) throws Exception;
    }

    /** Target equals source, and the markers prove each source row change was applied exactly once. */
    void assertConverged(long transactions) {
        long expectedRows = Workload.expectedAppliedRows(transactions);
        await(() -> appliedRows(channel.us, channel.name) >= expectedRows, TIMEOUT,
                expectedRows + " applied rows");
        awaitSameRows(channel.sh, channel.us, channel.database, "events", TIMEOUT);
        awaitSameRows(channel.sh, channel.us, channel.database, "counters", TIMEOUT);
        assertThat(appliedRows(channel.us, channel.name)).as("rows applied (no loss, no duplicates)")
                .isEqualTo(expectedRows);
        assertThat(count(channel.us, channel.database, "events")).isEqualTo(transactions + 1);
        assertThat(((Number) channel.us.query("SELECT SUM(n) FROM " + q(channel.database) + ".counters").get(0)
                .get(0)).longValue()).isEqualTo(transactions);
    }

    JobClient start(ChannelConfig config, Optional<Path> restore) throws Exception {
        return OneDirection.start(config, stateDir, restore);
    }

    static DirectionConfig direction(ChannelConfig config) {
        return OneDirection.direction(config);
    }

    static JobStatus status(JobClient client) {
        return OneDirection.status(client);
    }
}
