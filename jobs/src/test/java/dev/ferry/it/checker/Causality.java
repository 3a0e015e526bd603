package dev.ferry.it.checker;

import dev.ferry.it.checker.History.Txn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Happens-before between committed transactions, as vector clocks: a transaction follows the previous transaction
 * of its site, and every transaction that wrote a version it read (or a delete it saw in {@code ck_gone}), and,
 * transitively, everything those followed. Two transactions of different sites are concurrent when neither follows
 * the other: neither was made where the other was already visible.
 */
final class Causality {
    private final Map<Txn, long[]> clocks = new IdentityHashMap<>();
    /** Per row (or unique value): per site, the transactions that wrote it, in site order. */
    private final Map<String, List<List<Txn>>> writers = new HashMap<>();
    private final int sites;

    Causality(List<Txn> txns, int sites, Map<Long, Txn> byToken) {
        this.sites = sites;
        List<Txn> order = new ArrayList<>(txns);
        order.sort(Comparator.comparing(Txn::committedAt));
        Map<Txn, Txn> previousAtSite = new IdentityHashMap<>();
        Txn[] last = new Txn[sites];
        txns.stream().sorted(Comparator.comparingLong(Txn::seq)).forEach(t -> {
            previousAtSite.put(t, last[t.site()]);
            last[t.site()] = t;
        });
        boolean changed = true;
        // a fixed point: two passes, unless a read precedes its write in the log (commit times of two threads)
        for (int pass = 0; changed && pass < 100; pass++) {
            changed = false;
            for (Txn t : order) {
                long[] k = new long[sites];
                merge(k, clocks.get(previousAtSite.get(t)));
                for (long read : t.reads()) {
                    Txn writer = byToken.get(read);
                    if (writer != null && writer != t) {
                        merge(k, clocks.get(writer));
                    }
                }
                k[t.site()] = Math.max(k[t.site()], t.seq());
                long[] old = clocks.put(t, k);
                changed |= old == null || !Arrays.equals(old, k);
            }
        }
    }

    private static void merge(long[] into, long[] from) {
        if (from != null) {
            for (int i = 0; i < into.length; i++) {
                into[i] = Math.max(into[i], from[i]);
            }
        }
    }

    /** a happened before b: b was made where a (or something after a at a's site) was visible. */
    boolean before(Txn a, Txn b) {
        return clocks.get(b)[a.site()] >= a.seq();
    }

    boolean concurrent(Txn a, Txn b) {
        return a.site() != b.site() && !before(a, b) && !before(b, a);
    }

    /** Registers a writer of a row or unique value; call in site order (by seq). */
    void wrote(String what, Txn t) {
        List<List<Txn>> bySite = writers.computeIfAbsent(what, k -> {
            List<List<Txn>> l = new ArrayList<>();
            for (int i = 0; i < sites; i++) {
                l.add(new ArrayList<>());
            }
            return l;
        });
        List<Txn> list = bySite.get(t.site());
        if (list.isEmpty() || list.get(list.size() - 1) != t) {
            list.add(t);
        }
    }

    /**
     * Whether another site wrote {@code what} in a transaction concurrent with {@code t}. A site's writers are in
     * site order and their clocks only grow, so the first one that {@code t} did not see is the only candidate.
     */
    Txn concurrentWriter(String what, Txn t) {
        List<List<Txn>> bySite = writers.get(what);
        if (bySite == null) {
            return null;
        }
        long[] k = clocks.get(t);
        for (int s = 0; s < sites; s++) {
            if (s == t.site()) {
                continue;
            }
            List<Txn> list = bySite.get(s);
            int lo = 0;
            int hi = list.size();
            while (lo < hi) { // first writer with seq > k[s]
                int mid = (lo + hi) >>> 1;
                if (list.get(mid).seq() <= k[s]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo < list.size() && !before(t, list.get(lo))) {
                return list.get(lo);
            }
        }
        return null;
    }
}
