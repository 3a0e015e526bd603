package dev.ferry.compat.flink39207;

import dev.ferry.compat.dbz2663.CompressedTransactionGuard;
import dev.ferry.compat.dbz7594.NegativeTimePatch;
import dev.ferry.compat.flink35524.SharedPoolsPatch;
import dev.ferry.compat.tableschema.TableSchemaGuard;
import dev.ferry.compat.tablemap.TableMapTypes;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSourceReaderContext;
import org.apache.flink.cdc.connectors.mysql.source.reader.MySqlSplitReader;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.cdc.connectors.mysql.source.split.SourceRecords;
import org.apache.flink.cdc.connectors.mysql.source.utils.hooks.SnapshotPhaseHooks;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Workaround for FLINK-39207 (fixed in Flink CDC 3.6.0, not available to us yet; delete this package once it is):
 * Flink CDC 3.5.0's {@code MySqlSplitReader} reuses its {@code SnapshotSplitReader} when it already holds the next
 * snapshot split as one finishes, and a reused reader has stopped the context of its binlog backfill for good. So
 * the second split, if the binlog moved while its chunk was read, starts the backfill, logs {@code Skip 0 rows on
 * streaming start}, and never ends it: the copy hangs, without an error. A reader holds more than one snapshot
 * split after a restore (its restored split plus the one it asks for at start), which is why a crash during the
 * initial copy hung the restarted copy.
 *
 * <p>This subclass hands the upstream reader one snapshot split at a time and keeps the others back until that one
 * finished. Upstream then closes its snapshot reader after every split and opens a fresh one for the next, as it
 * does anyway when splits arrive one by one (the normal case), so no reader is reused. Binlog splits pass at once.
 * No upstream code is copied. Both methods run on the split fetcher's one thread.
 *
 * <p>Being Ferry's split reader, it also runs the {@link CompressedTransactionGuard} (DBZ-2663) after each fetch,
 * the {@link TableSchemaGuard} before and after each, and {@link TableMapTypes} (MySQL 9 VECTOR, MariaDB COMPRESSED
 * columns) before it.
 */
public class OneSnapshotSplitAtATime extends MySqlSplitReader {
    private final Deque<MySqlSplit> heldBack = new ArrayDeque<>();
    /** A split reader is where the binlog client can be reached; the guard itself is another workaround. */
    private final CompressedTransactionGuard compressed = new CompressedTransactionGuard();
    /** Likewise: rows of a captured table whose schema the reader does not know must not be dropped. */
    private final TableSchemaGuard unknownTables = new TableSchemaGuard();
    /** Likewise: the binlog clients this reader makes must read MySQL 9's VECTOR columns. */
    private final TableMapTypes tableMapTypes = new TableMapTypes();
    /** The snapshot split the upstream reader holds, or null. */
    private String inReader;

    public OneSnapshotSplitAtATime(MySqlSourceConfig config, int subtaskId, MySqlSourceReaderContext context,
            SnapshotPhaseHooks hooks) {
        super(config, subtaskId, context, hooks);
        // where the reader runs (a TaskManager), the connector must use Ferry's patched classes; the job's build
        // checked only the class path it was built with
        NegativeTimePatch.verifyLoaded();
        SharedPoolsPatch.verifyLoaded();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<MySqlSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            super.handleSplitsChanges(change); // upstream refuses it
            return;
        }
        List<MySqlSplit> now = new ArrayList<>();
        for (MySqlSplit split : change.splits()) {
            if (split.isSnapshotSplit()) {
                heldBack.add(split);
            } else {
                now.add(split);
            }
        }
        if (inReader == null && !heldBack.isEmpty()) {
            MySqlSplit next = heldBack.poll();
            inReader = next.splitId();
            now.add(next);
        }
        if (!now.isEmpty()) {
            super.handleSplitsChanges(new SplitsAddition<>(now));
        }
    }

    @Override
    public RecordsWithSplitIds<SourceRecords> fetch() throws IOException {
        tableMapTypes.prepare(this);
        // before the fetch too: the client made for a binlog split starts reading on its own thread during the fetch
        unknownTables.watch(this);
        RecordsWithSplitIds<SourceRecords> records = super.fetch();
        compressed.watch(this);
        compressed.throwIfMet();
        unknownTables.watch(this);
        unknownTables.throwIfMet();
        if (inReader != null && records.finishedSplits().contains(inReader)) {
            // upstream found no next split queued and closed its snapshot reader: the next one gets a fresh reader
            inReader = null;
            MySqlSplit next = heldBack.poll();
            if (next != null) {
                inReader = next.splitId();
                super.handleSplitsChanges(new SplitsAddition<>(List.of(next)));
            }
        }
        return records;
    }

    /** Snapshot splits received but not yet handed to the upstream reader. */
    int heldBack() {
        return heldBack.size();
    }
}
