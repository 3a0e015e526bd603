package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.compat.unknowntable.UnknownTableGuard;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.FailureMessages;
import dev.ferry.testing.ServerKind;
import java.util.Optional;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

class MariaDbReplicationITCase extends ReplicationFailoverITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }

    /**
     * A table created in the channel with a MariaDB UUID column while the direction runs: Debezium 1.9.8 cannot parse
     * its CREATE TABLE, and Flink CDC 3.5.0 then skipped the table's rows without a word while the other tables flowed
     * (session 15). Now the direction stops at the table's first row, naming the table and the fix; it never runs on
     * without those rows.
     */
    @Test
    void rowsOfATableTheReaderCouldNotParseStopTheDirectionInsteadOfVanishing(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".items VALUES (1, 'a')");
        ChannelConfig config = channel.config("initial", "transactional");
        job = start(config, Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        channel.sh.execute("CREATE TABLE " + db + ".tokens (id INT PRIMARY KEY, u UUID)",
                "INSERT INTO " + db + ".tokens VALUES (1, UUID())",
                "INSERT INTO " + db + ".items VALUES (2, 'after')");
        await(() -> failure(flink).contains(UnknownTableGuard.MARKER), TIMEOUT, "the direction to stop at tokens");
        assertThat(failure(flink)).contains(channel.database + ".tokens at ");
        assertThat(FailureMessages.isFatal(failure(flink))).as("ferry run stops the direction").isTrue();
        assertThat(FailureMessages.explain("sh->us", "sh", failure(flink))).get().asString()
                .contains(channel.database + ".tokens", "tables.exclude", "UUID");
        assertThat(Sites.count(channel.us, channel.database, "items")).as("nothing after the table's row was applied")
                .isEqualTo(1);
        assertThat(ChannelCheck.run(config)).as("a restart is refused until the table is left out")
                .filteredOn(r -> r.site().equals("sh") && r.check().equals("types")).singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(ChannelCheck.Status.FAIL);
                    assertThat(r.detail()).contains(channel.database + ".tokens.u (UUID)");
                    assertThat(r.fix()).contains("tables.exclude: ['" + channel.database + "\\.tokens']");
                });
    }
}
