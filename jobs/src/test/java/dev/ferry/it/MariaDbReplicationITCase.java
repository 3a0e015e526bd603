package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.Preflight;
import dev.ferry.testing.ServerKind;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;

class MariaDbReplicationITCase extends ReplicationFailoverITBase {
    @Override
    ServerKind kind() {
        return ServerKind.MARIADB;
    }

    /**
     * A table created in the channel with MariaDB UUID and INET6 columns while the direction runs: Debezium 1.9.8
     * cannot parse its CREATE TABLE, and Flink CDC 3.5.0 then skipped the table's rows without a word while the other
     * tables flowed (session 15). Now the statement reaches Debezium with those columns as the BINARY they are logged
     * as (cdc-compat), and the table is held, naming the column, while the others flow; a restart is refused until
     * the table is left out.
     */
    @Test
    void aTableWithColumnTypesTheReaderCannotParseIsHeldAndTheOthersFlow(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        ChannelConfig config = startWithItems();
        channel.sh.execute("CREATE TABLE " + db + ".tokens (id INT PRIMARY KEY, u UUID, a INET6)",
                "INSERT INTO " + db + ".tokens VALUES (1, UUID(), '::1')",
                "INSERT INTO " + db + ".items VALUES (2, 'after')",
                "UPDATE " + db + ".tokens SET a = '2001:db8::1'",
                "UPDATE " + db + ".items SET v = 'b' WHERE id = 1");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        Holds.Hold hold = Holds.awaitHeld(channel, "tokens", TIMEOUT);
        assertThat(hold.detail()).contains(channel.database + ".tokens.u", "UUID", "Fix:", "tables.exclude");
        assertThat(Holds.waiting(channel)).as("the hold's place, then the table's two rows").isEqualTo(3);
        assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
        assertThat(ChannelCheck.run(config)).as("a restart is refused until the table is left out")
                .filteredOn(r -> r.site().equals("sh") && r.check().equals("types")).singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(ChannelCheck.Status.FAIL);
                    assertThat(r.detail()).contains(channel.database + ".tokens.u (UUID)");
                    assertThat(r.fix()).contains("tables.exclude: ['" + channel.database + "\\.tokens']");
                });
    }

    /**
     * A table created in the channel with a statement Debezium 1.9.8 cannot parse for another reason (MariaDB's system
     * versioning): its rows used to vanish as above, then (session 17) the whole direction stopped at the table's first
     * row. Now the table is held at its CREATE TABLE, naming the statement and the fix, its rows are counted, and the
     * other tables flow on; a restart is refused until the table is left out.
     */
    @Test
    void aTableCreatedWithAStatementTheReaderCannotParseIsHeldWhileTheOthersFlow(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        ChannelConfig config = startWithItemsStreaming();
        channel.sh.execute("CREATE TABLE " + db + ".notes (id INT PRIMARY KEY, body VARCHAR(100))"
                        + " WITH SYSTEM VERSIONING",
                "INSERT INTO " + db + ".notes VALUES (1, 'kept')",
                "INSERT INTO " + db + ".items VALUES (2, 'after')");
        assertThat(Holds.awaitHeld(channel, "notes", TIMEOUT).detail()).contains(channel.database + ".notes is held",
                "cannot parse", "WITH SYSTEM VERSIONING", "tables.exclude");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        await(() -> Holds.of(channel, "notes").get(0).statement().contains(": 2 change(s) could not be read"),
                TIMEOUT, "the statement and the row to be counted");
        assertThat(channel.us.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
                channel.database)).as("notes not created at the target").containsExactly(List.of("items"));
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
        assertThat(ChannelCheck.run(config)).as("a restart is refused until the table is left out")
                .filteredOn(r -> r.site().equals("sh") && r.check().equals("types")).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains(channel.database + ".notes (SYSTEM VERSIONING)"));
    }

    /**
     * MariaDB's {@code CREATE OR REPLACE TABLE} of a table in the channel: Debezium 1.9.8 parses it but keeps the table
     * it knows as it was, so the target never got the statement and the later rows were read against the old columns
     * (a VARCHAR read from an INT arrived as NULL), without a word. Now the target replaces the table as the source
     * did and the rows arrive exactly; one the reader cannot parse (system versioning) holds the table.
     */
    @Test
    void createOrReplaceTableReplacesTheTableAtTheTargetAndItsRowsArriveExactly(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        startWithItemsStreaming();
        channel.sh.execute("CREATE OR REPLACE TABLE " + db + ".items (id INT PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO " + db + ".items VALUES (2, 42)");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(channel.us.query("SELECT id, v FROM " + db + ".items")).containsExactly(List.of(2, 42));
        assertThat(channel.us.query("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND"
                + " TABLE_NAME = 'items' AND COLUMN_NAME = 'v'", channel.database)).containsExactly(List.of("int"));

        String versioned = "CREATE OR REPLACE TABLE " + db + ".items (id INT PRIMARY KEY, v INT)"
                + " WITH SYSTEM VERSIONING";
        channel.sh.execute(versioned, "INSERT INTO " + db + ".items VALUES (3, 7)");
        assertThat(Holds.awaitHeld(channel, "items", TIMEOUT).detail()).contains("cannot parse", versioned);
        await(() -> Holds.of(channel, "items").get(0).statement().contains(": 2 change(s) could not be read"),
                TIMEOUT, "the statement and the row to be counted");
        assertThat(channel.us.query("SELECT id, v FROM " + db + ".items")).as("nothing of it applied")
                .containsExactly(List.of(2, 42));
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
    }

    /**
     * MariaDB compressed columns ({@code COMPRESSED}): the binlog library inside Flink CDC 3.5.0 fails on their
     * TABLE_MAP column types (140, 141), and the direction restarted in a loop that named nothing, for a table outside
     * the channel too (session 15). Now one outside the channel passes unnoticed, and one created in the channel
     * (Debezium 1.9.8 cannot parse its CREATE TABLE) is held at it, naming the statement; its rows, MariaDB's
     * compressed bytes, are never decoded.
     */
    @Test
    void compressedColumnsOutsideTheChannelPassAndATableWithThemInItIsHeld(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        String db = q(channel.database);
        startWithItemsStreaming();
        String other = q(channel.sh.createDatabase("compressed"));
        channel.sh.execute("CREATE TABLE " + other + ".notes (id INT PRIMARY KEY, note VARCHAR(10) COMPRESSED,"
                        + " body TEXT COMPRESSED)",
                "INSERT INTO " + other + ".notes VALUES (1, 'short', REPEAT('x', 1000))",
                "INSERT INTO " + db + ".items VALUES (2, 'after')");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        assertThat(failure(flink)).as("a table outside the channel does not touch the direction").isEmpty();

        channel.sh.execute("CREATE TABLE " + db + ".notes (id INT PRIMARY KEY, body TEXT COMPRESSED)",
                "INSERT INTO " + db + ".notes VALUES (1, 'kept')",
                "INSERT INTO " + db + ".items VALUES (3, 'later')");
        assertThat(Holds.awaitHeld(channel, "notes", TIMEOUT).detail()).contains(channel.database + ".notes is held",
                "TEXT COMPRESSED");
        awaitSameRows(channel.sh, channel.us, channel.database, "items", TIMEOUT);
        await(() -> Holds.of(channel, "notes").get(0).statement().contains(": 2 change(s) could not be read"),
                TIMEOUT, "the statement and the row to be counted");
        assertThat(failure(flink)).as("the direction never failed").isEmpty();
    }

    /**
     * A direction that resumes does not create the tables its target lacks from their definitions at the source: the
     * binlog it resumes from makes them. The soak caught a table created, filled and dropped at the source while a
     * runner restarted; the restart created it at the target, and it was never dropped there. One that starts afresh
     * creates them, as before.
     */
    @Test
    void aResumingDirectionLeavesTheTablesItsTargetLacksToTheBinlog() {
        channel.sh.execute("CREATE TABLE " + q(channel.database) + ".later (id INT PRIMARY KEY)");
        ChannelConfig config = channel.config("initial", "transactional");
        String exists = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'later'";
        Preflight.check(config, OneDirection.direction(config), true);
        assertThat(channel.us.query(exists, channel.database)).as("not created on a resume").isEmpty();
        Preflight.check(config, OneDirection.direction(config), false);
        assertThat(channel.us.query(exists, channel.database)).as("created on a fresh start").hasSize(1);
    }
}
