package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import dev.ferry.verify.ChannelVerify;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ferry verify} cuts a table into many chunks and compares them in batches, one round trip per batch at each
 * site (TableComparison): with a chunk of 7 rows, 1,000 rows make 143 chunks in three batches. Differences sit where
 * batching could lose them: the first row, the last row of a chunk, the last row of a batch and the first of the
 * next, rows only at the second site between and beyond the first site's keys, and a NULL. A composite key of a
 * number and a text makes every boundary a row comparison. On each kind of MySQL-family server.
 */
class VerifyBatchesITCase {
    private static final PrintStream NO_PROGRESS = new PrintStream(OutputStream.nullOutputStream());
    private static final int CHUNK = 7;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL", "MYSQL_8_0"})
    void everyDifferenceIsFoundAcrossChunksAndBatches(ServerKind kind) throws Exception {
        TestServers.assumeAvailable(kind);
        TestDatabase sh = TestServers.site(kind, "sh");
        TestDatabase us = TestServers.site(kind, "us");
        String database = sh.createDatabase("vbatch");
        us.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        String table = "`" + database + "`.t";
        for (TestDatabase site : List.of(sh, us)) {
            site.execute("CREATE TABLE " + table + " (a INT NOT NULL, b VARCHAR(10) NOT NULL, v VARCHAR(20),"
                    + " PRIMARY KEY (a, b))");
            insertRows(site, database);
        }
        String lastOfBatch = key(CHUNK * 64); // the 448th row in key order ends the first batch of 64 chunks
        String firstOfNext = key(CHUNK * 64 + 1);
        us.execute("UPDATE " + table + " SET v = 'changed' WHERE (a, b) = (0, 'x')",
                "UPDATE " + table + " SET v = 'changed' WHERE " + where(key(CHUNK)),
                "DELETE FROM " + table + " WHERE " + where(lastOfBatch),
                "UPDATE " + table + " SET v = NULL WHERE " + where(firstOfNext),
                "INSERT INTO " + table + " VALUES (250, 'x2', 'only at us')",
                "INSERT INTO " + table + " VALUES (9999, 'z', 'only at us, beyond')");
        sh.execute("UPDATE " + table + " SET v = 'changed at sh' WHERE (a, b) = (499, 'y')");

        Path file = OneDirection.channelFile(dir, "vb" + ProcessHandle.current().pid(), sh, us, String.join("\n",
                "directions:", "  - { from: sh, to: us }", "tables:", "  include: ['" + database + "\\..*']",
                "state-dir: " + dir.resolve("state"), ""));
        List<ChannelVerify.TableResult> found = ChannelVerify.run(ChannelConfig.load(file),
                new ChannelVerify.Options(null, CHUNK, Duration.ZERO), NO_PROGRESS);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).note()).isNull();
        assertThat(found.get(0).differingKeys()).containsExactlyInAnyOrder("0, x", key(CHUNK),
                lastOfBatch, firstOfNext, "250, x2", "499, y", "9999, z");
    }

    /** 1,000 rows: keys (i, 'x') and (i, 'y') for i in 0..499. */
    private static void insertRows(TestDatabase site, String database) throws Exception {
        try (Connection c = site.connect(database);
                PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
            for (int i = 0; i < 500; i++) {
                for (String b : List.of("x", "y")) {
                    ps.setInt(1, i);
                    ps.setString(2, b);
                    ps.setString(3, "row " + i + b);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** The key of the n-th row (from 1) in key order, as "a, b". */
    private static String key(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add(i + ", x");
            keys.add(i + ", y");
        }
        return keys.get(n - 1);
    }

    private static String where(String key) {
        String[] parts = key.split(", ");
        return "(a, b) = (" + parts[0] + ", '" + parts[1] + "')";
    }
}
