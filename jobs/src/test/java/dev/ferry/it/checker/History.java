package dev.ferry.it.checker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client log: every transaction whose COMMIT returned OK (or whose unknown outcome was resolved as committed),
 * in commit order per site, with what it read and the row versions it produced; plus the schema changes and
 * faults of the run. Thread-safe: one client thread per site appends to it.
 */
public final class History {
    /**
     * The net effect of one transaction on one row.
     *
     * @param prevTok the token of the version the transaction read (with FOR UPDATE) and replaced; null if the row
     *     was absent
     * @param newTok the token of the version it left; null if it deleted the row
     * @param delTok for a delete: the delete's own token (also written to {@code ck_gone})
     * @param seenDeletes for a row that was absent: per site, the newest delete of this row by that site that was
     *     visible (read from {@code ck_gone} in the same transaction); else null
     * @param after the row as the transaction left it (null for a delete)
     * @param movedFrom for the new row of a primary key change: the key it moved from
     */
    public record Write(String table, long id, Long prevTok, Long newTok, Long delTok, Map<String, Long> seenDeletes,
            Map<String, String> after, Long movedFrom) {
        public boolean isDelete() {
            return newTok == null;
        }

        public String kind() {
            return prevTok == null ? (newTok == null ? "insert-and-delete" : "insert") : newTok == null ? "delete"
                    : "update";
        }

        /** The token that names this write: the new version's, or the delete's. */
        public long token() {
            return newTok != null ? newTok : delTok;
        }
    }

    /**
     * A committed transaction.
     *
     * @param seq its position among the committed transactions of its site, from 1
     * @param reads every token it read: the versions of the rows it locked and the deletes it saw in ck_gone
     * @param issued every token it issued, also for versions that a later statement of it replaced (they can
     *     show in conflict records, as Ferry applies the transaction statement by statement)
     * @param resolved whether its COMMIT had an unknown outcome, resolved as committed afterwards
     * @param uniquesHeld every kv_prio unique value a row version it wrote held, also one a later statement of it
     *     replaced (see ClientTransaction#uniquesHeld)
     */
    public record Txn(long id, int site, long seq, Instant committedAt, List<String> ops, List<Long> reads,
            List<Write> writes, List<Long> issued, boolean resolved, List<String> uniquesHeld) {}

    /** A fault or schema change, for the report. */
    public record Event(Instant at, String kind, String detail) {}

    private final List<String> sites;
    private final List<Txn> txns = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final long[] lastSeq;
    private final AtomicLongArray aborted;
    private final AtomicLongArray unknown;

    public History(List<String> sites) {
        this.sites = List.copyOf(sites);
        this.lastSeq = new long[sites.size()];
        this.aborted = new AtomicLongArray(sites.size());
        this.unknown = new AtomicLongArray(sites.size());
    }

    public List<String> sites() {
        return sites;
    }

    public int siteIndex(String site) {
        int i = sites.indexOf(site);
        if (i < 0) {
            throw new IllegalArgumentException("unknown site " + site);
        }
        return i;
    }

    /** Logs a committed transaction; its sequence number is the next of its site. */
    public synchronized Txn commit(long id, int site, Instant at, List<String> ops, List<Long> reads,
            List<Write> writes, List<Long> issued, boolean resolved, java.util.Collection<String> uniquesHeld) {
        Txn t = new Txn(id, site, ++lastSeq[site], at, List.copyOf(ops), List.copyOf(reads), List.copyOf(writes),
                List.copyOf(issued), resolved, List.copyOf(uniquesHeld));
        txns.add(t);
        return t;
    }

    public void aborted(int site) {
        aborted.incrementAndGet(site);
    }

    /** A COMMIT whose outcome was unknown (connection lost); resolved afterwards either way. */
    public void unknownOutcome(int site) {
        unknown.incrementAndGet(site);
    }

    public synchronized void event(String kind, String detail) {
        events.add(new Event(Instant.now(), kind, detail));
    }

    public synchronized List<Txn> txns() {
        return Collections.unmodifiableList(new ArrayList<>(txns));
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public long aborted(String site) {
        return aborted.get(siteIndex(site));
    }

    public long unknownOutcomes(String site) {
        return unknown.get(siteIndex(site));
    }

    /** Events counted by kind, in first-seen order. */
    public synchronized Map<String, Integer> eventCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        events.forEach(e -> counts.merge(e.kind(), 1, Integer::sum));
        return counts;
    }
}
