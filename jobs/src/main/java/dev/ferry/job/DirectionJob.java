package dev.ferry.job;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableId;
import dev.ferry.compat.dbz7594.NegativeTimePatch;
import dev.ferry.compat.flink35524.SharedPoolsPatch;
import dev.ferry.config.ApplyConfig;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.compat.flink39207.MySqlSourceWithoutReaderReuse;
import dev.ferry.config.SiteConfig;
import dev.ferry.job.identity.SourceIdentityGuard;
import dev.ferry.loop.FerryTables;
import dev.ferry.loop.LocalWrites;
import dev.ferry.loop.LoopFilter;
import dev.ferry.operators.ChangeEventTypeInfo;
import dev.ferry.operators.source.ChangeEventDeserializer;
import dev.ferry.operators.source.ReaderWatchdog;
import dev.ferry.operators.heartbeat.SourceHeartbeat;
import dev.ferry.operators.sink.ApplyOperator;
import dev.ferry.operators.sink.RowKeys;
import dev.ferry.operators.sink.SinkSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The dataflow of one direction: binlog source -> source identity -> reader watchdog -> loop filter -> exactly-once
 * apply. In a two-way channel between MySQL-family sites the apply operator has a second input: the target's own
 * writes, read from the target's binlog (a second binlog source, from the latest position at first start, then from
 * the checkpoints) -> reader watchdog -> loop filter -> local writes. They tell which incoming changes are concurrent
 * with a write at the target (docs/conflicts.md). Operator uids are fixed strings: savepoints map state by them, so
 * never change one.
 */
public final class DirectionJob {
    public static final String SOURCE_UID = "ferry-binlog-source";
    public static final String LOOP_FILTER_UID = "ferry-loop-filter";
    public static final String READER_WATCHDOG_UID = "ferry-reader-watchdog";
    /** State from before this operator existed restores: the guard then records the server it finds. */
    public static final String SOURCE_IDENTITY_UID = "ferry-source-identity";
    /** The apply operator; "ferry-sink" named the Sink V2 of Ferry before keyed conflict memory (not restorable). */
    public static final String APPLY_UID = "ferry-apply";
    /** The reader of the target's own writes, and what follows it; see the class comment. */
    public static final String HISTORY_SOURCE_UID = "ferry-target-history-source";
    public static final String HISTORY_WATCHDOG_UID = "ferry-target-history-watchdog";
    public static final String HISTORY_FILTER_UID = "ferry-target-history-filter";
    public static final String LOCAL_WRITES_UID = "ferry-target-local-writes";
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration COMMIT_RETRY_TIMEOUT = Duration.ofSeconds(30);
    /** How long the binlog reader may deliver nothing (heartbeats come every second) before it counts as lost. */
    public static final Duration READER_SILENCE = Duration.ofSeconds(15);

    private DirectionJob() {}

    /** Adds the direction's operators to {@code env} and sets its checkpointing. */
    public static void build(StreamExecutionEnvironment env, ChannelConfig config, DirectionConfig direction) {
        configureCheckpointing(env, config);
        SiteConfig from = config.site(direction.from());
        SiteConfig to = config.site(direction.to());
        String reverse = config.reverseDirection(direction);
        // with more than two sites, what `from` applied from its other neighbours travels on (ChannelConfig)
        Set<String> relayed = config.relayedThrough(direction.from(), direction);
        LoopFilter loopFilter = reverse == null
                ? new LoopFilter(direction.name())
                : new LoopFilter(direction.name(), config.channel(), reverse, relayed);

        DataStream<ChangeEvent> changes = env
                .fromSource(source(config, from, direction.serverIdRange(), direction.startup(), promptQueue()),
                        WatermarkStrategy.noWatermarks(), "binlog of " + from.name())
                .returns(ChangeEventTypeInfo.INSTANCE)
                .uid(SOURCE_UID)
                .setParallelism(1)
                .process(new SourceIdentityGuard(direction.name(), Endpoints.of(from)))
                .returns(ChangeEventTypeInfo.INSTANCE)
                .name("source identity of " + from.name())
                .uid(SOURCE_IDENTITY_UID)
                .setParallelism(1)
                .transform("binlog reader watchdog", ChangeEventTypeInfo.INSTANCE,
                        new ReaderWatchdog(direction.name(), Endpoints.of(from), READER_SILENCE))
                .uid(READER_WATCHDOG_UID)
                .setParallelism(1)
                .process(loopFilter)
                .returns(ChangeEventTypeInfo.INSTANCE)
                .name("loop filter")
                .uid(LOOP_FILTER_UID)
                .setParallelism(1);

        ApplyConfig apply = config.apply();
        boolean transactional = apply.mode() == ApplyConfig.Mode.TRANSACTIONAL;
        SinkSettings settings = new SinkSettings(config.channel(), direction.name(), Endpoints.of(from),
                Endpoints.of(to), transactional, apply.batchSize(), COMMIT_RETRY_TIMEOUT,
                config.conflictRules(direction));
        // The loop through the source: the apply's first subtask writes a heartbeat row into `from` every second
        // and, every other beat, the index definitions of the replicated tables. Both come back through the reader
        // above: a heartbeat ends the source transaction before it (Flink CDC passes on no COMMIT, so transactional
        // mode would otherwise hold the last one back) and gives the lag; an index change carries a standalone
        // CREATE or DROP INDEX to `to` (the heartbeat itself is never written there).
        SourceHeartbeat heartbeat = new SourceHeartbeat(Endpoints.of(from), config.channel(), direction.name(),
                HEARTBEAT_INTERVAL, config.tableFilter(), relayed);
        // transactional: one writer, in source order, so the stream is keyed where it is (parallelism 1 owns every
        // key); parallel: rows of one key go to one writer, in order
        KeyedStream<ChangeEvent, String> rows = transactional
                ? DataStreamUtils.reinterpretAsKeyedStream(changes, new RowKeys())
                : changes.keyBy(new RowKeys());
        int writers = transactional ? 1 : apply.parallelism();
        if (reverse == null || !to.kind().hasBinlog()) {
            rows.transform("apply to " + to.name(), Types.VOID, new ApplyOperator(settings, heartbeat))
                    .uid(APPLY_UID).setParallelism(writers);
            return;
        }
        ApplyOperator applyOperator = ApplyOperator.readingTargetHistory(settings, heartbeat);
        long historyId = config.historyServerId(direction);
        // each apply waits for its read barrier to come back on this reader (see promptQueue)
        DataStream<ChangeEvent> localWrites = env
                .fromSource(source(config, to, historyId + "-" + historyId, DirectionConfig.Startup.LATEST,
                        promptQueue(), ChangeEventDeserializer.forTargetHistory(config.tableFilter())),
                        WatermarkStrategy.noWatermarks(), "binlog of " + to.name() + " (its own writes)")
                .returns(ChangeEventTypeInfo.INSTANCE)
                .uid(HISTORY_SOURCE_UID)
                .setParallelism(1)
                .transform("binlog reader watchdog of " + to.name(), ChangeEventTypeInfo.INSTANCE,
                        new ReaderWatchdog(direction.name() + " (writes of " + to.name() + ")", Endpoints.of(to),
                                READER_SILENCE))
                .uid(HISTORY_WATCHDOG_UID)
                .setParallelism(1)
                .process(LoopFilter.forTargetHistory(config.channel(), direction.name(),
                        config.relayedThrough(direction.to(), direction)))
                .returns(ChangeEventTypeInfo.INSTANCE)
                .name("loop filter of " + to.name())
                .uid(HISTORY_FILTER_UID)
                .setParallelism(1)
                .flatMap(new LocalWrites())
                .returns(ChangeEventTypeInfo.INSTANCE)
                .name("writes of " + to.name())
                .uid(LOCAL_WRITES_UID)
                .setParallelism(1);
        rows.connect(localWrites.keyBy(new RowKeys()))
                .transform("apply to " + to.name(), Types.VOID, applyOperator)
                .uid(APPLY_UID)
                .setParallelism(writers);
    }

    /**
     * Debezium's event queue, when a poll finds it short of a full batch, sleeps {@code poll.interval.ms} (500 ms by
     * default) before it hands over what it has: up to half a second on every change's lag, and on every read barrier
     * of the apply (issue 19 measured a fixed 230 to 320 ms). Polling every 20 ms costs a wake-up, nothing more.
     */
    static Properties promptQueue() {
        Properties prompt = new Properties();
        prompt.setProperty("poll.interval.ms", "20");
        return prompt;
    }

    static void configureCheckpointing(StreamExecutionEnvironment env, ChannelConfig config) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        checkpoints.setExternalizedCheckpointRetention(
                org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        checkpoints.setMinPauseBetweenCheckpoints(Math.min(200, config.checkpointInterval().toMillis() / 2));
        checkpoints.setTolerableCheckpointFailureNumber(3);
    }

    /**
     * The binlog source: Flink CDC's, with its readers given one snapshot split at a time, so that a copy restored
     * from a checkpoint does not hang (FLINK-39207, see cdc-compat).
     */
    static MySqlSourceWithoutReaderReuse<ChangeEvent> source(ChannelConfig config, SiteConfig from,
            String serverIdRange, DirectionConfig.Startup startup) {
        return source(config, from, serverIdRange, startup, new Properties());
    }

    static MySqlSourceWithoutReaderReuse<ChangeEvent> source(ChannelConfig config, SiteConfig from,
            String serverIdRange, DirectionConfig.Startup startup, Properties extraDebezium) {
        return source(config, from, serverIdRange, startup, extraDebezium,
                new ChangeEventDeserializer(config.tableFilter()));
    }

    private static MySqlSourceWithoutReaderReuse<ChangeEvent> source(ChannelConfig config, SiteConfig from,
            String serverIdRange, DirectionConfig.Startup startup, Properties extraDebezium,
            ChangeEventDeserializer deserializer) {
        return new MySqlSourceWithoutReaderReuse<>(upstreamSource(config, from, serverIdRange, startup, deserializer,
                extraDebezium), deserializer);
    }

    private static MySqlSource<ChangeEvent> upstreamSource(ChannelConfig config, SiteConfig from,
            String serverIdRange, DirectionConfig.Startup startup, ChangeEventDeserializer deserializer,
            Properties extraDebezium) {
        // negative TIME values from the binlog are exact only with Ferry's DBZ-7594 decoder
        NegativeTimePatch.verifyLoaded();
        // one source's close must not close the connections of the others in this JVM (FLINK-35524)
        SharedPoolsPatch.verifyLoaded();
        // the exclusions travel inside the include patterns: see SourceTableList
        List<String> tables = new ArrayList<>(SourceTableList.patterns(config.tableFilter()));
        for (TableId ferryTable : List.of(FerryTables.COMMIT, FerryTables.HEARTBEAT, FerryTables.INDEX_SYNC,
                FerryTables.DDL)) {
            tables.add(SourceTableList.exactly(ferryTable.toString()));
        }

        Properties debezium = new Properties();
        debezium.setProperty("decimal.handling.mode", "precise");
        debezium.setProperty("bigint.unsigned.handling.mode", "precise");
        debezium.setProperty("binary.handling.mode", "bytes");
        debezium.setProperty("time.precision.mode", "adaptive_time_microseconds");
        // years 0-99 are stored as such; Debezium's adjuster would turn 0050-03-01 into 2050-03-01
        debezium.setProperty("enable.time.adjuster", "false");
        // BINARY(n) columns carry their length, so that values the binlog shortened are padded back
        debezium.setProperty("datatype.propagate.source.type", ".+\\.BINARY");
        // no reconnect in place: the binlog client's keep-alive takes backpressure for a lost connection, and its
        // reconnect in the middle of a transaction reads rows twice or, with GTIDs, loses rows at the next restore.
        // ReaderWatchdog notices a lost connection instead, and the restart from the checkpoint reconnects.
        debezium.setProperty("connect.keep.alive", "false");
        debezium.putAll(Endpoints.binlogTlsProperties(from));
        debezium.putAll(extraDebezium);

        return MySqlSource.<ChangeEvent>builder()
                .hostname(from.host())
                .port(from.port())
                .username(from.user())
                .password(from.password().reveal())
                .databaseList(".*")
                .tableList(tables.toArray(String[]::new))
                .serverId(serverIdRange)
                .serverTimeZone(from.timeZone() != null ? from.timeZone() : ServerTimeZone.detect(from))
                .startupOptions(startup == DirectionConfig.Startup.LATEST
                        ? StartupOptions.latest() : StartupOptions.initial())
                .jdbcProperties(Endpoints.jdbcProperties(from))
                .debeziumProperties(debezium)
                .includeSchemaChanges(true)
                .deserializer(deserializer)
                .build();
    }
}
