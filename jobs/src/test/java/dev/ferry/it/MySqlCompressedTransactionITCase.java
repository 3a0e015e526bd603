package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.Sites.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that turns binlog compression on by itself while a direction runs (MySQL's
 * {@code binlog_transaction_compression} is a session variable too, so the start-up check cannot see it). Flink CDC
 * 3.5.0's reader skips the rows of a compressed transaction (DBZ-2663): the direction must stop there, naming the
 * site, the position and the fix, and apply nothing from that transaction on.
 */
class MySqlCompressedTransactionITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void aCompressedTransactionStopsTheDirectionNamingItsPosition() throws Exception {
        Channel channel = Channel.onNewDatabase(ServerKind.MYSQL, "zstd", dir.resolve("state"));
        TestDatabase sh = channel.sh;
        TestDatabase us = channel.us;
        String t = q(channel.database) + ".t";
        ChannelConfig config = channel.config("initial", "transactional");
        String direction = config.directions().get(0).name();
        sh.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))", "INSERT INTO " + t + " VALUES (1, 'a')");

        List<String> problems = new CopyOnWriteArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            Sites.awaitBinlogReader(sh, us, t, "dashboard " + runner.dashboardUrl());
            sh.execute("INSERT INTO " + t + " VALUES (10, 'before')");
            awaitSameRows(sh, us, channel.database, "t", TIMEOUT);
            List<List<String>> rowsBefore = rows(us, channel.database, "t");
            long appliedBefore = appliedRows(us, channel.name);
            List<Object> before = binlogEnd(sh);
            try (Connection c = sh.connect(channel.database); Statement s = c.createStatement()) {
                s.execute("SET SESSION binlog_transaction_compression = ON");
                s.execute("INSERT INTO t VALUES (20, 'compressed'), (21, 'compressed')");
            }
            List<Object> after = binlogEnd(sh);
            sh.execute("INSERT INTO " + t + " VALUES (30, 'after')");

            String problem = RunnerWatch.awaitStoppedByFailure(runner, problems, TIMEOUT);
            String prefix = direction + ": at site 'sh', the binlog holds a compressed binlog transaction at "
                    + before.get(0) + ":";
            assertThat(problem).startsWith(prefix);
            long position = Long.parseLong(problem.substring(prefix.length()).split(" ")[0]);
            assertThat(position).as("the position named").isBetween(((Number) before.get(1)).longValue(),
                    ((Number) after.get(1)).longValue() - 1);
            assertThat(problem)
                    .contains("SET PERSIST binlog_transaction_compression = OFF at 'sh'")
                    .contains("'startup: initial'")
                    .doesNotContain("Exception")
                    .doesNotContain("\n");
            assertThat(rows(us, channel.database, "t")).as("nothing from the compressed transaction on")
                    .isEqualTo(rowsBefore);
            assertThat(appliedRows(us, channel.name)).as("rows applied (commit markers)").isEqualTo(appliedBefore);
        }
    }

    /** The file and position of the binlog's end. */
    private static List<Object> binlogEnd(TestDatabase server) {
        return server.query("SHOW BINARY LOG STATUS").get(0);
    }
}
