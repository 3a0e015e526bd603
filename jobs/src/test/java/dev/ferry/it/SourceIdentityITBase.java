package dev.ferry.it;

import static dev.ferry.it.Sites.appliedRows;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.Sites.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input "another server behind the source's address", as after a failover behind a virtual IP or a backup
 * restored in the source's place: a direction stopped with a savepoint is started again the way {@code ferry run}
 * does ({@link LocalRunner}), its site now pointing at another server that holds a dump of the source's database.
 * The saved binlog position means nothing there: the direction must stop with a message naming the site, both
 * servers and the way forward, must not restart for ever, and must apply nothing.
 */
abstract class SourceIdentityITBase {
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    abstract ServerKind kind();

    /** How the refusal names a server. */
    abstract String identityOf(TestDatabase server);

    /** The other server, made to look freshly initialised before the dump is restored into it. */
    abstract void resetToFresh(TestDatabase other);

    @Test
    void aDifferentServerBehindTheSiteAddressIsRefusedAndNothingIsApplied() throws Exception {
        Channel channel = Channel.onNewDatabase(kind(), "ident", dir.resolve("state"));
        TestDatabase sh = channel.sh;
        TestDatabase us = channel.us;
        String database = channel.database;
        String t = q(database) + ".t";
        ChannelConfig config = channel.config("initial", "transactional");
        String direction = config.directions().get(0).name();
        sh.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO " + t + " VALUES (1, 'snapshot 1'), (2, 'snapshot 2')");

        List<String> problems = new CopyOnWriteArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            awaitSameRows(sh, us, database, "t", TIMEOUT);
            sh.execute("INSERT INTO " + t + " VALUES (10, 'binlog 10')", "UPDATE " + t + " SET v = 'u' WHERE id = 1");
            awaitSameRows(sh, us, database, "t", TIMEOUT);
            runner.stopWithSavepoint();
        }
        assertThat(problems).as("problems reported while replicating").isEmpty();
        List<List<String>> rowsAtStop = rows(us, database, "t");
        long appliedAtStop = appliedRows(us, channel.name);

        // the site's address now reaches another server, restored from a dump taken after the stop, and written to
        sh.execute("INSERT INTO " + t + " VALUES (20, 'while stopped')");
        TestDatabase other = TestServers.site(kind(), "other");
        resetToFresh(other);
        ServerCopy.copyDatabase(sh, other, database);
        other.execute("INSERT INTO " + t + " VALUES (30, 'after the restore')", "DELETE FROM " + t + " WHERE id = 2");
        ChannelConfig moved = new Channel(channel.name, database, other, us, channel.stateDir)
                .config("initial", "transactional");

        try (LocalRunner runner = new LocalRunner(moved, 0, problems::add)) {
            runner.start();
            String refusal = RunnerWatch.awaitStoppedByFailure(runner, problems, TIMEOUT);
            System.out.println("the refusal: " + refusal);
            assertThat(refusal)
                    .startsWith(direction + ": site 'sh' (127.0.0.1:" + other.port() + ") is not the server this"
                            + " direction read before: it read " + identityOf(sh))
                    .contains("the address now reaches " + identityOf(other))
                    .contains("Nothing was applied from it.")
                    .contains("Fix: point site 'sh' back at the server read before")
                    .contains("move this direction's state directory aside")
                    .contains("'startup: latest'")
                    .contains("'ferry verify --config <channel file> --repair --from sh'")
                    .doesNotContain("Exception")
                    .doesNotContain("\n");
            assertThat(rows(us, database, "t")).as("target rows after the refused resume").isEqualTo(rowsAtStop);
            assertThat(appliedRows(us, channel.name)).as("rows applied (commit markers)").isEqualTo(appliedAtStop);
        }
    }
}
