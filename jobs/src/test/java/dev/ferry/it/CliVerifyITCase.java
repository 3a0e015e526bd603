package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.FerryCliAccess;
import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.loop.FerryTables;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import dev.ferry.verify.ChannelVerify;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry verify} on real servers: chunked comparison, the keys that differ, repair without echo, live tables. */
class CliVerifyITCase {
    private static final PrintStream NO_PROGRESS = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    TestDatabase sh;
    TestDatabase us;
    String database;

    @BeforeEach
    void servers() {
        sh = TestServers.site(ServerKind.MARIADB, "sh");
        us = TestServers.site(ServerKind.MARIADB, "us");
        database = sh.createDatabase("verify");
        us.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        us.execute(FerryTables.schemaStatements().toArray(String[]::new));
    }

    @Test
    void differingRowsAreFoundByKeyAndRepairedFromTheChosenSite() throws Exception {
        String table = "CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v VARCHAR(20), d DATETIME(6),"
                + " b BLOB, n DECIMAL(10,2), ts TIMESTAMP(6) NULL)";
        sh.execute(table);
        us.execute(table);
        for (TestDatabase site : List.of(sh, us)) {
            site.execute("SET time_zone = '+00:00'", "INSERT INTO `" + database + "`.t"
                    + " SELECT seq, CONCAT('row ', seq), '2024-02-29 12:34:56.789012', UNHEX(HEX(seq)), seq / 100,"
                    + " '2024-02-29 12:34:56.5' FROM `" + database + "`.seq_1_to_2500");
        }
        us.execute("UPDATE `" + database + "`.t SET v = 'changed at us' WHERE id = 5",
                "DELETE FROM `" + database + "`.t WHERE id = 1200",
                "INSERT INTO `" + database + "`.t VALUES (9999, 'only at us', NULL, NULL, NULL, NULL)",
                "UPDATE `" + database + "`.t SET ts = NULL WHERE id = 2500");
        Path file = channelFile("verify" + database, "  - { from: sh, to: us }\n  - { from: us, to: sh }");
        ChannelConfig config = ChannelConfig.load(file);

        List<ChannelVerify.TableResult> found = ChannelVerify.run(config,
                new ChannelVerify.Options(null, 1000, Duration.ZERO), NO_PROGRESS);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).differingKeys()).containsExactly("5", "1200", "2500", "9999");
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0")).isEqualTo(1);

        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0", "--repair", "--from",
                "sh")).as("repaired, then the same").isZero();
        Sites.assertSameRows(sh, us, database, "t");
        assertThat(us.query("SELECT row_count FROM ferry.ferry_commit WHERE channel = ? AND direction = ?",
                config.channel(), "verify-repair")).as("the repair's stamp").containsExactly(List.of(4L));
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0")).isZero();
    }

    @Test
    void rowsInFlightOnALiveChannelAreNotReportedAfterTheLag() throws Exception {
        sh.execute("CREATE TABLE `" + database + "`.live (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO `" + database + "`.live SELECT seq, 'x' FROM `" + database + "`.seq_1_to_3000");
        Path file = channelFile("live" + database, "  - { from: sh, to: us }");
        ChannelConfig config = ChannelConfig.load(file);
        List<String> problems = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong inserted = new AtomicLong();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            await(() -> Sites.count(us, database, "live") == 3000, OneDirection.TIMEOUT, "the initial copy");
            Thread load = new Thread(() -> insertUntilStopped(loading, inserted), "verify load");
            load.start();
            try {
                await(() -> inserted.get() > 100, OneDirection.TIMEOUT, "the load to run");
                List<ChannelVerify.TableResult> found = ChannelVerify.run(config,
                        new ChannelVerify.Options(null, 500, Duration.ofSeconds(3)), NO_PROGRESS);
                assertThat(found).extracting(ChannelVerify.TableResult::differingKeys).containsExactly(List.of());
                assertThat(found.get(0).settled()).as("rows in flight at the first pass, the same a bit later")
                        .isPositive();
            } finally {
                loading.set(false);
                load.join();
            }
            await(() -> Sites.count(us, database, "live") == 3000 + inserted.get(), OneDirection.TIMEOUT,
                    "the load to arrive");
        }
        assertThat(problems).isEmpty();
        assertThat(inserted.get()).as("rows written while verify ran").isGreaterThan(100);
        Sites.assertSameRows(sh, us, database, "live");
    }

    /** A repair writes as Ferry's apply does: a trigger guarded with @ferry_applying does not run on it. */
    @Test
    void aRepairDoesNotRunGuardedTriggers() throws Exception {
        String t = "`" + database + "`.stamped";
        for (TestDatabase site : List.of(sh, us)) {
            site.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, note VARCHAR(40))",
                    "INSERT INTO " + t + " VALUES (1, 'a')");
        }
        sh.execute("INSERT INTO " + t + " VALUES (2, 'b')");
        us.execute("CREATE TRIGGER `" + database + "`.stamped_bi BEFORE INSERT ON " + t + " FOR EACH ROW"
                + " IF @ferry_applying IS NULL THEN SET NEW.note = CONCAT(NEW.note, ' (written at us)'); END IF");
        Path file = channelFile("stamped" + database, "  - { from: sh, to: us }");

        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0", "--repair", "--from",
                "sh")).as("repaired, then the same").isZero();
        assertThat(Sites.rows(us, database, "stamped")).containsExactly(List.of("1", "a"), List.of("2", "b"));
    }

    /**
     * Flink CDC 3.5.0 reads the initial copy through the text protocol, which prints FLOAT to 6 digits: 16777217
     * (the float 16777216) arrives as 16777200. verify digests FLOAT as the exact DOUBLE it holds, so it finds such
     * rows, and the repair copies the exact value.
     */
    @Test
    void aFloatRoundedByTheInitialCopyIsFoundAndRepaired() throws Exception {
        String t = "`" + database + "`.floats";
        sh.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, f FLOAT, d DOUBLE)",
                "INSERT INTO " + t + " VALUES (1, 16777217, 0.1), (2, 3.14159274, 1e-300), (3, 0.5, 2.5), (4, NULL, NULL)");
        Path file = channelFile("floats" + database, "  - { from: sh, to: us }");
        ChannelConfig config = ChannelConfig.load(file);
        List<String> problems = new ArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            await(() -> Sites.count(us, database, "floats") == 4, OneDirection.TIMEOUT, "the initial copy");
        }
        assertThat(problems).isEmpty();
        String exact = "SELECT f + 0E0 FROM " + t + " ORDER BY id";
        assertThat(us.query(exact)).as("the copy's floats, rounded to 6 digits")
                .isNotEqualTo(sh.query(exact));

        List<ChannelVerify.TableResult> found = ChannelVerify.run(config,
                new ChannelVerify.Options(null, 1000, Duration.ZERO), NO_PROGRESS);
        assertThat(found).extracting(ChannelVerify.TableResult::differingKeys).containsExactly(List.of("1", "2"));

        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0", "--repair", "--from",
                "sh")).isZero();
        assertThat(us.query(exact)).isEqualTo(sh.query(exact));
        assertThat(us.query("SELECT f + 0E0 FROM " + t + " WHERE id = 1")).containsExactly(List.of(16777216.0));
        Sites.assertSameRows(sh, us, database, "floats");
    }

    private void insertUntilStopped(AtomicBoolean loading, AtomicLong inserted) {
        try (Connection c = sh.connect(database);
                PreparedStatement ps = c.prepareStatement("INSERT INTO live VALUES (?, 'new')")) {
            for (int id = 100_001; loading.get(); id++) {
                ps.setInt(1, id);
                ps.executeUpdate();
                inserted.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path channelFile(String channel, String directions) throws IOException {
        return OneDirection.channelFile(dir, channel, sh, us, String.join("\n", "directions:", directions, "tables:",
                "  include: ['" + database + "\\..*']", "state-dir: " + dir.resolve("state"),
                "checkpoint-interval: 500ms", ""));
    }
}
