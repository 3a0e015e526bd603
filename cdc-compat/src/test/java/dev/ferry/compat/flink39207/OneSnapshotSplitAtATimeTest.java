package dev.ferry.compat.flink39207;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import io.debezium.connector.mysql.MySqlPartition;
import io.debezium.jdbc.JdbcConnection;
import io.debezium.relational.TableId;
import io.debezium.relational.history.TableChanges.TableChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.cdc.connectors.mysql.debezium.DebeziumUtils;
import org.apache.flink.cdc.connectors.mysql.schema.MySqlSchema;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfigFactory;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSourceReaderContext;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSnapshotSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.connectors.mysql.source.utils.hooks.SnapshotPhaseHooks;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

/**
 * FLINK-39207 against a real MariaDB: a split reader given three snapshot splits at once (as after a restore), while
 * the binlog moves during every chunk read (so every split needs a backfill). Flink CDC 3.5.0's own reader finishes
 * the first split and hangs on the second; {@link OneSnapshotSplitAtATime} finishes all three.
 */
class OneSnapshotSplitAtATimeTest {
    private static final int ROWS = 300;

    @Test
    void readsEverySplitWhenGivenSeveralAtOnce() throws Exception {
        Fixture f = new Fixture();
        MySqlSplitReader reader = new OneSnapshotSplitAtATime(f.config, 0, new MySqlSourceReaderContext(null), f.hooks);
        try {
            reader.handleSplitsChanges(new SplitsAddition<>(f.splits));
            assertThat(((OneSnapshotSplitAtATime) reader).heldBack()).as("splits kept back").isEqualTo(2);
            assertThat(readAll(reader, f.splits.size(), f.finished).get(60, TimeUnit.SECONDS)).isEqualTo(ROWS);
        } finally {
            reader.close();
        }
    }

    /**
     * The control: the upstream reader never finishes the second split. Once Flink CDC is upgraded past 3.5.0 this
     * fails, and the workaround can go.
     */
    @Test
    void flinkCdc350HangsOnTheSecondSplit() throws Exception {
        Fixture f = new Fixture();
        MySqlSplitReader reader = new MySqlSplitReader(f.config, 0, new MySqlSourceReaderContext(null), f.hooks);
        try {
            reader.handleSplitsChanges(new SplitsAddition<>(f.splits));
            CompletableFuture<Integer> read = readAll(reader, f.splits.size(), f.finished);
            try {
                Integer rows = read.get(20, TimeUnit.SECONDS);
                throw new AssertionError("Flink CDC read all " + rows + " rows: FLINK-39207 is fixed, remove"
                        + " dev.ferry.compat.flink39207");
            } catch (TimeoutException expected) {
                assertThat(f.finished).as("splits finished").containsExactly(f.splits.get(0).splitId());
            }
        } finally {
            reader.close(); // the fetch thread stays stuck in the upstream loop; it is a daemon
        }
    }

    /** Fetches on a daemon thread until {@code splits} splits finished; completes with the data rows read. */
    private static CompletableFuture<Integer> readAll(MySqlSplitReader reader, int splits, Set<String> finished) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                int rows = 0;
                while (finished.size() < splits) {
                    RecordsWithSplitIds<?> records = reader.fetch();
                    while (records.nextSplit() != null) {
                        Object r;
                        while ((r = records.nextRecordFromSplit()) != null) {
                            rows += dataRows(r);
                        }
                    }
                    finished.addAll(records.finishedSplits());
                }
                done.complete(rows);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "fetch");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static int dataRows(Object sourceRecords) {
        int n = 0;
        for (var record : ((org.apache.flink.cdc.connectors.mysql.source.split.SourceRecords) sourceRecords)
                .getSourceRecordList()) {
            if (record.value() instanceof org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct s && s.schema().field("op") != null) {
                n++;
            }
        }
        return n;
    }

    /** A table of {@value #ROWS} rows cut in three splits; an update before every high watermark. */
    private static final class Fixture {
        final MySqlSourceConfig config;
        final SnapshotPhaseHooks hooks = new SnapshotPhaseHooks();
        final List<MySqlSplit> splits = new ArrayList<>();
        final Set<String> finished = ConcurrentHashMap.newKeySet();

        Fixture() throws Exception {
            TestDatabase server = TestServers.site(ServerKind.MARIADB, "sh");
            String db = server.createDatabase("flink39207");
            server.execute("CREATE TABLE `" + db + "`.t (id BIGINT PRIMARY KEY, v INT NOT NULL)");
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < ROWS; i++) {
                rows.append(i == 0 ? "" : ", ").append('(').append(i).append(", 0)");
            }
            server.execute("INSERT INTO `" + db + "`.t VALUES " + rows);
            config = new MySqlSourceConfigFactory().hostname(server.host()).port(server.port())
                    .username(server.adminUser()).password(server.adminPassword())
                    .databaseList(db).tableList(db + ".t").serverId("77").serverTimeZone("UTC")
                    .startupOptions(StartupOptions.initial()).createConfig(0);
            // the binlog moves while each chunk is read: every split needs a backfill
            String update = "UPDATE `" + db + "`.t SET v = v + 1 WHERE id = 0";
            hooks.setPreHighWatermarkAction((connection, split) -> {
                connection.execute(update);
                connection.commit();
            });
            TableId table = new TableId(db, null, "t");
            Map<TableId, TableChange> schema;
            try (JdbcConnection jdbc = DebeziumUtils.openJdbcConnection(config);
                    MySqlSchema mySqlSchema = new MySqlSchema(config, DebeziumUtils.isTableIdCaseSensitive(jdbc))) {
                schema = Map.of(table, mySqlSchema.getTableSchema(
                        new MySqlPartition(config.getMySqlConnectorConfig().getLogicalName()), jdbc, table));
            }
            RowType key = (RowType) DataTypes.ROW(DataTypes.FIELD("id", DataTypes.BIGINT())).getLogicalType();
            Object[][] bounds = {null, {100L}, {200L}, null};
            for (int i = 0; i < 3; i++) {
                splits.add(new MySqlSnapshotSplit(table, i, key, bounds[i], bounds[i + 1], null, schema));
            }
        }
    }
}
