package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.job.FerryException;
import dev.ferry.testing.ServerKind;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

class MySqlReplicationITCase extends ReplicationFailoverITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }

    /**
     * MySQL 9's VECTOR columns. The binlog library inside Flink CDC 3.5.0 failed on the table map of any table with
     * one, also outside the channel, and the direction restarted for good: such a table, excluded, is now read past
     * while the others flow (cdc-compat, TableMapTypes). One in the channel, which Debezium 1.9.8 cannot
     * parse, is refused by `ferry check` and at start-up, naming the column and the exclusion.
     */
    @Test
    void aVectorColumnOutsideTheChannelIsReadPastAndOneInsideIsRefused(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        channel.sh.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".embeddings (id INT PRIMARY KEY, e VECTOR(2), note VARCHAR(10))",
                "INSERT INTO " + db + ".items VALUES (1, 'a')",
                "INSERT INTO " + db + ".embeddings VALUES (1, STRING_TO_VECTOR('[1.5, 2]'), 'before')");
        ChannelConfig included = channel.config("initial", "transactional");
        String column = channel.database + ".embeddings.e (VECTOR)";
        assertThat(ChannelCheck.run(included)).filteredOn(r -> r.site().equals("sh") && r.check().equals("types"))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(Status.FAIL);
                    assertThat(r.detail()).contains(column, "cannot be replicated");
                    assertThat(r.fix()).contains("tables.exclude: ['" + channel.database + "\\.embeddings']");
                });
        assertThatThrownBy(() -> start(included, Optional.empty())).isInstanceOf(FerryException.class)
                .hasMessageContaining(column);

        String yaml = channel.yaml("initial", "transactional").replace("  include: ['" + channel.database + "\\..*']",
                "  include: ['" + channel.database + "\\..*']\n  exclude: ['" + channel.database + "\\.embeddings']");
        ChannelConfig excluded = ChannelConfig.parse(yaml, channel.name + ".yaml",
                Map.of(Channel.PASSWORD_VARIABLE, channel.sh.adminPassword())::get);
        assertThat(ChannelCheck.run(excluded)).filteredOn(r -> r.check().equals("types"))
                .extracting(Result::status).containsOnly(Status.OK);
        job = start(excluded, Optional.empty());
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        channel.sh.execute("INSERT INTO " + db + ".embeddings VALUES (2, STRING_TO_VECTOR('[3, 4.25]'), 'after')",
                "INSERT INTO " + db + ".items VALUES (2, 'b')",
                "UPDATE " + db + ".embeddings SET note = 'changed', e = STRING_TO_VECTOR('[5, 6]')",
                "INSERT INTO " + db + ".items VALUES (3, 'c')",
                "DELETE FROM " + db + ".embeddings WHERE id = 1",
                "UPDATE " + db + ".items SET v = 'd' WHERE id = 1");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(Sites.count(channel.us, channel.database, "items")).isEqualTo(3);
        assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
    }
    /**
     * A table created in the channel with a VECTOR column while the direction runs. Debezium 1.9.8 cannot parse its
     * CREATE TABLE, and the direction used to stop at the table's first row ("schema isn't known"). Now the
     * statement reaches Debezium with the column as a marked LONGBLOB (cdc-compat), and the table is held, naming
     * the column, while the other tables flow. An operator who creates the table at the target (a 'manual' decision)
     * gets its rows, read as bytes, exactly.
     */
    @Test
    void aVectorTableCreatedInTheChannelWhileRunningIsHeldAndTheOthersFlow(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        ChannelConfig config = startWithItems();
        String create = "CREATE TABLE " + db + ".embeddings (id INT PRIMARY KEY, e VECTOR(2), note VARCHAR(10))";
        channel.sh.execute(create,
                "INSERT INTO " + db + ".embeddings VALUES (1, STRING_TO_VECTOR('[1.5, 2]'), 'first')",
                "INSERT INTO " + db + ".items VALUES (2, 'b')",
                "UPDATE " + db + ".embeddings SET e = STRING_TO_VECTOR('[-3, 4.25]'), note = 'changed'",
                "INSERT INTO " + db + ".embeddings VALUES (2, STRING_TO_VECTOR('[0, 1e-7]'), 'second')",
                "UPDATE " + db + ".items SET v = 'c' WHERE id = 1");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(Sites.count(channel.us, channel.database, "items")).isEqualTo(2);
        Holds.Hold hold = Holds.awaitHeld(channel, "embeddings", TIMEOUT);
        assertThat(hold.detail()).contains(channel.database + ".embeddings.e", "VECTOR(2)", "Fix:", "tables.exclude",
                "outcome = 'manual'");
        String flinkUrl = flink.getRestAddress().get().toString();
        await(() -> statusOf(config, flinkUrl).output().contains("1 table(s) HELD"), TIMEOUT,
                "the heldTables metric in ferry status");
        assertThat(statusOf(config, flinkUrl).output()).contains(channel.database + ".embeddings HELD", "VECTOR(2)");
        String exists = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'embeddings'";
        assertThat(channel.us.query(exists, channel.database)).as("never created as a LONGBLOB table").isEmpty();
        assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        assertThat(failure(flink)).as("the direction never failed").isEmpty();

        Holds.decide(channel, "embeddings", "manual", create);
        await(() -> !channel.us.query(exists, channel.database).isEmpty(), TIMEOUT, "the operator's CREATE TABLE");
        awaitSameRows(channel.sh, channel.us, channel.database, "embeddings", TIMEOUT);
        String vectors = "SELECT id, VECTOR_TO_STRING(e), note FROM " + db + ".embeddings ORDER BY id";
        assertThat(channel.us.query(vectors)).hasSize(2).isEqualTo(channel.sh.query(vectors));
        assertThat(Holds.waiting(channel)).isZero();
        assertThat(failure(flink)).isEmpty();
    }
}
