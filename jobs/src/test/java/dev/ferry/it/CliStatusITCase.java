package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FerryCliAccess;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private static ChannelStatus.Direction read(ChannelConfig config, FlinkRestClient rest) {
        try {
            return ChannelStatus.read(config, rest).get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
