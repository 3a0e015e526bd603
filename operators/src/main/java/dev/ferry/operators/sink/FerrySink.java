package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.TableScope;
import dev.ferry.operators.heartbeat.HeartbeatWriter;
import dev.ferry.operators.indexes.IndexWatcher;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Ferry's exactly-once sink: a two-phase commit without XA (see DESIGN.md). The writer cuts the
 * stream at checkpoint barriers; the committer applies each cut as one local transaction in the
 * target once the checkpoint is complete, guarded by a commit-marker row.
 */
public final class FerrySink implements Sink<ChangeEvent>, SupportsWriterState<ChangeEvent, FerryWriterState>,
        SupportsCommitter<FerryCommittable> {
    private static final long serialVersionUID = 1L;

    private final SinkSettings settings;
    private final TableScope indexScope;

    /** A sink that does not watch its source's indexes. */
    public FerrySink(SinkSettings settings) {
        this(settings, null);
    }

    /** @param indexScope the tables whose standalone CREATE/DROP INDEX are sent from the source (see IndexWatcher) */
    public FerrySink(SinkSettings settings, TableScope indexScope) {
        this.settings = settings;
        this.indexScope = indexScope;
    }

    @Override
    @Deprecated
    public FerryWriter createWriter(InitContext context) {
        throw new UnsupportedOperationException("Ferry's sink needs Flink 1.19 or later (WriterInitContext)");
    }

    @Override
    public FerryWriter createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public FerryWriter restoreWriter(WriterInitContext context, Collection<FerryWriterState> restored) {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        FerryWriter writer = new FerryWriter(subtask, settings.transactional(), restored, System.currentTimeMillis());
        if (subtask == 0 && settings.heartbeatInterval() != null) {
            IndexWatcher indexes = indexScope == null ? null
                    : new IndexWatcher(indexScope, settings.channel(), settings.direction());
            return writer.withHeartbeat(new HeartbeatWriter(settings.source(), settings.channel(),
                    settings.direction(), settings.heartbeatInterval(), indexes));
        }
        return writer;
    }

    @Override
    public SimpleVersionedSerializer<FerryWriterState> getWriterStateSerializer() {
        return new FerrySerializers.WriterStateSerializer();
    }

    @Override
    public Committer<FerryCommittable> createCommitter(CommitterInitContext context) {
        return new FerryCommitter(settings, context.metricGroup(), System::currentTimeMillis);
    }

    @Override
    public SimpleVersionedSerializer<FerryCommittable> getCommittableSerializer() {
        return new FerrySerializers.CommittableSerializer();
    }

    public SinkSettings settings() {
        return settings;
    }

}
