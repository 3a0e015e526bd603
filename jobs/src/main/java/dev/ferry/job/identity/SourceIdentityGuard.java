package dev.ferry.job.identity;

import dev.ferry.common.ChangeEvent;
import dev.ferry.job.FerryException;
import dev.ferry.operators.Endpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps, next to the binlog source's position, the identity of the server it was read from, and refuses to go on
 * against another server: a binlog file and position mean nothing there (a failed-over primary behind the same
 * address, a restored backup). Chained right after the source, it checks before the source reads anything, when
 * the state is restored, and again at every checkpoint (a switch under a running direction fails the checkpoint,
 * so the next restore refuses). State without an identity (an older Ferry's) records the server it finds.
 *
 * <p>With MySQL GTIDs another server is fine if it holds every transaction the position covers
 * ({@link SourceIdentities#compare}): Flink CDC resumes there by GTID set.
 */
public final class SourceIdentityGuard extends ProcessFunction<ChangeEvent, ChangeEvent>
        implements CheckpointedFunction {
    /** Words of every refusal, which {@code FailureMessages} recognises. */
    public static final String REFUSAL = "is not the server this direction read before";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SourceIdentityGuard.class);

    private final String direction;
    private final Endpoint source;
    private transient ListState<String> state;
    private transient SourceIdentity recorded;
    private transient Connection connection;

    public SourceIdentityGuard(String direction, Endpoint source) {
        this.direction = direction;
        this.source = source;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("source-identity", Types.STRING));
        recorded = null;
        for (String s : state.get()) {
            recorded = SourceIdentity.decode(s);
        }
        SourceIdentity current = SourceIdentities.read(connection());
        if (recorded == null) {
            LOG.info("{}: reading {} at {}{}", direction, current.describe(), source,
                    context.isRestored() ? " (the restored state names no server: recorded now)" : "");
        } else {
            check(current, true);
        }
        recorded = current;
    }

    @Override
    public void processElement(ChangeEvent event, Context ctx, Collector<ChangeEvent> out) {
        out.collect(event);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        SourceIdentity current;
        try {
            current = SourceIdentities.read(connection());
            check(current, false);
        } catch (SQLException e) {
            closeConnection();
            throw e;
        }
        recorded = current;
        state.update(List.of(recorded.encode()));
    }

    /** @param restoring whether the source has read nothing yet (a restore), rather than running on */
    private void check(SourceIdentity current, boolean restoring) throws SQLException {
        SourceIdentities.Verdict verdict = SourceIdentities.compare(recorded, current, connection());
        if (verdict.isRefused()) {
            throw new FerryException(refusal(current, verdict.refusal(), restoring));
        }
        if (verdict.byGtid()) {
            LOG.info("{}: {} now reaches {} instead of {}, which holds every transaction read: the binlog source"
                    + " resumes by GTID set", direction, source, current.describe(), recorded.describe());
        }
    }

    private String refusal(SourceIdentity current, String why, boolean restoring) {
        String site = "'" + source.site() + "'";
        String outcome = restoring ? " Nothing was applied from it."
                : " It changed while the direction ran: the checkpoint is refused, so the direction restarts from"
                        + " the last one, and refuses there.";
        String catchUp = recorded.gtidExecuted() != null && current.gtidExecuted() != null
                ? " If it is a replica promoted in its place, let it apply the missing transactions first and run"
                        + " again: it then resumes by GTID set."
                : "";
        return "site " + site + " (" + source.host() + ":" + source.port() + ") " + REFUSAL + ": it read "
                + recorded.describe() + ", the address now reaches " + current.describe() + ", and " + why + "."
                + outcome + catchUp
                + " Fix: point site " + site + " back at the server read before; or, if this server takes its place"
                + " for good, start the direction anew from it: move this direction's state directory aside, run it"
                + " with 'startup: latest', then run 'ferry verify --config <channel file> --repair --from "
                + source.site() + "' (docs/guarantees.md, 'A source server replaced').";
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            // a hung server fails the check (and the checkpoint) in seconds instead of holding it
            connection = source.connectBriefly(java.time.Duration.ofSeconds(10));
        }
        return connection;
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing the connection to {}", source, e);
        }
        connection = null;
    }

    @Override
    public void close() throws Exception {
        closeConnection();
        super.close();
    }
}
