package dev.ferry.operators.source;

import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.loop.FerryTables;
import dev.ferry.operators.Endpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.metrics.groups.TaskIOMetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Fails the source task when the binlog reader has delivered nothing for {@code silence} while the source's binlog
 * grew: the reader's connection is gone (a restarted, stopped or unreachable server), and Flink CDC's reader would
 * wait for ever without a word. The task then restarts from its last checkpoint, which reconnects exactly where that
 * checkpoint had read. Ferry writes a heartbeat row into the source every second, so a live reader is never silent
 * for long; a silent one is judged by the binlog's end ({@code SHOW MASTER STATUS}), looked at once the silence is
 * reached and again a little later: a heartbeat writer held up by a lock at the source (no new binlog events)
 * restarts nothing.
 *
 * <p>It replaces the binlog client's own keep-alive, which reconnects in place (see DirectionJob): that client
 * also takes a stream held back by backpressure for a lost connection, and in the middle of a transaction an
 * in-place reconnect reads rows twice, and with GTIDs it leaves the transaction in the recorded GTID set, so the
 * next restore skips it and drops rows of the transactions after it (docs/exactly-once.md). Here, time the task
 * spends backpressured counts as a sign of life.
 *
 * <p>Armed by the first heartbeat row from the binlog, and disarmed by rows of the initial copy (a copy chunk may
 * take longer to read than {@code silence}), so a source where no heartbeat can be written is never watched. Whether
 * it is armed is kept in its state: a reader that dies right after a restore, before any heartbeat reached it, is
 * watched as before the restore (a resumed job's reader that delivered nothing went unnoticed, CliSubmitITCase).
 * Chained to the source (parallelism 1), before the loop filter: it sees every event the reader delivers.
 */
public final class ReaderWatchdog extends AbstractStreamOperator<ChangeEvent>
        implements OneInputStreamOperator<ChangeEvent, ChangeEvent>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    /** Whether the task has been backpressured since the last call. */
    interface BackPressure {
        boolean sinceLastAsked();
    }

    /** The source's binlog end, as "file:position". */
    interface BinlogEnd {
        String read() throws SQLException;
    }

    private final String direction;
    private final String site;
    private final long silenceMs;
    private final Endpoint source;
    private transient BackPressure backPressure;
    private transient BinlogEnd binlogEnd;
    /** The binlog's end when the silence was reached; null while the reader is not silent. */
    private transient String endAtSilence;
    private transient boolean armed;
    private transient ListState<Boolean> armedState;
    private transient long lastSignOfLife;

    /**
     * @param direction the job's direction, for the message
     * @param source the site the reader reads
     * @param silence how long the reader may deliver nothing while the task is not backpressured
     */
    public ReaderWatchdog(String direction, Endpoint source, Duration silence) {
        this.direction = direction;
        this.source = source;
        this.site = source.site();
        this.silenceMs = silence.toMillis();
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /** For tests: how backpressure and the binlog's end are seen (by default task metrics and the source). */
    ReaderWatchdog withProbes(BackPressure pressure, BinlogEnd end) {
        this.backPressure = pressure;
        this.binlogEnd = end;
        return this;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        armedState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("armed", Types.BOOLEAN));
        for (Boolean wasArmed : armedState.get()) {
            armed |= wasArmed;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        armedState.update(List.of(armed));
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (backPressure == null) {
            backPressure = fromMetrics(getContainingTask().getEnvironment().getMetricGroup().getIOMetricGroup());
        }
        if (binlogEnd == null) {
            binlogEnd = () -> binlogEndOf(source);
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        lastSignOfLife = now;
        getProcessingTimeService().registerTimer(now + checkEvery(), this);
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> element) {
        ChangeEvent event = element.getValue();
        if (event.op() == Op.READ) {
            armed = false;
        } else if (event.table().equals(FerryTables.HEARTBEAT)) {
            armed = true;
        }
        lastSignOfLife = getProcessingTimeService().getCurrentProcessingTime();
        endAtSilence = null;
        output.collect(element);
    }

    @Override
    public void onProcessingTime(long time) {
        if (backPressure.sinceLastAsked()) {
            lastSignOfLife = time;
            endAtSilence = null;
        }
        long silent = time - lastSignOfLife;
        if (armed && silent >= silenceMs) {
            String end = readBinlogEnd(silent);
            if (endAtSilence == null) {
                endAtSilence = end;
            } else if (!end.equals(endAtSilence)) {
                throw new ReaderLostException(direction + ": the binlog reader of site '" + site + "' has received"
                        + " nothing for " + silent / 1000 + " s while the binlog there grew (from " + endAtSilence
                        + " to " + end + "): its connection is lost (a restarted server?). The direction restarts"
                        + " from its last checkpoint and reads on from there.");
            }
        }
        getProcessingTimeService().registerTimer(time + checkEvery(), this);
    }

    private String readBinlogEnd(long silent) {
        try {
            return binlogEnd.read();
        } catch (SQLException e) {
            throw new ReaderLostException(direction + ": the binlog reader of site '" + site + "' has received nothing"
                    + " for " + silent / 1000 + " s, and the server does not answer (" + e.getMessage() + "). The"
                    + " direction restarts from its last checkpoint and reads on from there once the server answers.");
        }
    }

    private static String binlogEndOf(Endpoint source) throws SQLException {
        // SHOW MASTER STATUS also on MySQL 8.4+, where the source's JDBC properties rewrite it (FLINK-36520)
        try (Connection c = source.connectBriefly(Duration.ofSeconds(10)); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new SQLException("SHOW MASTER STATUS returned nothing: is the binary log off?");
            }
            return rs.getString(1) + ":" + rs.getLong(2);
        }
    }

    private long checkEvery() {
        return Math.max(100, Math.min(1000, silenceMs / 4));
    }

    /** Backpressure from Flink's task metrics: time measured since the last look, or a measurement running now. */
    private static BackPressure fromMetrics(TaskIOMetricGroup io) {
        long[] seen = {io.getAccumulatedBackPressuredTimeMs()};
        return () -> {
            long now = io.getAccumulatedBackPressuredTimeMs();
            boolean pressed = now > seen[0] || io.getSoftBackPressuredTimePerSecond().isMeasuring()
                    || io.getHardBackPressuredTimePerSecond().isMeasuring();
            seen[0] = now;
            return pressed;
        };
    }

    /** The binlog reader's connection is lost; a restart from the last checkpoint reconnects. */
    public static final class ReaderLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReaderLostException(String message) {
            super(message);
        }
    }
}
