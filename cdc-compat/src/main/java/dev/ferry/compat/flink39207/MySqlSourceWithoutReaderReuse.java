package dev.ferry.compat.flink39207;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.mysql.source.metrics.MySqlSourceReaderMetrics;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlRecordEmitter;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSourceReader;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSourceReaderContext;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.connectors.mysql.source.utils.hooks.SnapshotPhaseHooks;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link MySqlSource} whose readers read snapshot splits through {@link OneSnapshotSplitAtATime} (FLINK-39207).
 * Everything else is the upstream source's own: the enumerator, the serializers and so the checkpoint format, which
 * stays compatible both ways with the plain source's.
 */
public final class MySqlSourceWithoutReaderReuse<T>
        implements Source<T, MySqlSplit, PendingSplitsState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final MySqlSource<T> upstream;
    private final DebeziumDeserializationSchema<T> deserializer;

    /** {@code deserializer} must be the one {@code upstream} was built with. */
    public MySqlSourceWithoutReaderReuse(MySqlSource<T> upstream, DebeziumDeserializationSchema<T> deserializer) {
        this.upstream = upstream;
        this.deserializer = deserializer;
    }

    @Override
    public Boundedness getBoundedness() {
        return upstream.getBoundedness();
    }

    /** The reader upstream builds, with the one split reader changed. */
    @Override
    public SourceReader<T, MySqlSplit> createReader(SourceReaderContext context) {
        int subtask = context.getIndexOfSubtask();
        MySqlSourceConfig config = upstream.getConfigFactory().createConfig(subtask);
        MySqlSourceReaderMetrics metrics = new MySqlSourceReaderMetrics(context.metricGroup());
        metrics.registerMetrics();
        MySqlSourceReaderContext readerContext = new MySqlSourceReaderContext(context);
        return new MySqlSourceReader<>(new FutureCompletingBlockingQueue<>(),
                () -> new OneSnapshotSplitAtATime(config, subtask, readerContext, SnapshotPhaseHooks.empty()),
                new MySqlRecordEmitter<>(deserializer, metrics, config.isIncludeSchemaChanges()),
                context.getConfiguration(), readerContext, config);
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> createEnumerator(
            SplitEnumeratorContext<MySqlSplit> context) {
        return upstream.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<MySqlSplit, PendingSplitsState> restoreEnumerator(
            SplitEnumeratorContext<MySqlSplit> context, PendingSplitsState checkpoint) {
        return upstream.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<MySqlSplit> getSplitSerializer() {
        return upstream.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsState> getEnumeratorCheckpointSerializer() {
        return upstream.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return upstream.getProducedType();
    }
}
