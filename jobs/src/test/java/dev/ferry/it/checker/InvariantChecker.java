package dev.ferry.it.checker;

import static dev.ferry.it.checker.CheckReport.Invariant.I1;
import static dev.ferry.it.checker.CheckReport.Invariant.I2;
import static dev.ferry.it.checker.CheckReport.Invariant.I3;
import static dev.ferry.it.checker.CheckReport.Invariant.I4;

import dev.ferry.it.checker.History.Txn;
import dev.ferry.it.checker.History.Write;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the client log against the sites' final rows and conflict records.
 *
 * <ul>
 *   <li>I1: all sites hold the same tables, schema and rows.
 *   <li>I2, per site: every committed version is there as its transaction wrote it, or a committed write replaced it
 *       (its {@code prev} is that version: it was made where the version was visible), or a conflict record shows it
 *       lost (a {@code target_row} overwritten with {@code incoming-applied}, an {@code incoming_after} with
 *       {@code target-kept}). A committed delete: the row is absent, or a later insert saw it (in {@code ck_gone}),
 *       or a record shows it lost. No site holds a version no committed transaction wrote.
 *   <li>I3: every conflict record is between versions of two sites made concurrently (neither where the other was
 *       visible, see {@link Causality}); for unique-key conflicts, either version concurrent with a write of the
 *       other site to the same row or unique value. A write no other site's write was concurrent with is never
 *       lost, with or without a record. Tables that only one site writes per row (ck_gone, the temporary tables)
 *       have no conflicts at all.
 *   <li>I4: the health problems the run observed after the writes stopped.
 * </ul>
 */
public final class InvariantChecker {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final History history;
    private final List<String> sites;
    private final Map<String, SiteState> finals;
    private final List<String> healthProblems;
    /** In commit order (per site: in site order). */
    private final List<Txn> txns;
    private final Map<Long, Txn> txnByToken = new HashMap<>();
    private final Map<Long, Write> writeByToken = new HashMap<>();
    private final Map<Write, Txn> txnOf = new IdentityHashMap<>();
    /** Tokens some committed write read and replaced. */
    private final Set<Long> replaced = new HashSet<>();
    /** Per row: the writes that found it absent (their seen deletes). */
    private final Map<String, List<Write>> insertsIntoAbsent = new HashMap<>();
    /** "site|table|id|prevTok" -> the write that replaced that version there (a delete, preferably). */
    private final Map<String, Write> replacers = new HashMap<>();
    /** Version token -> the record that shows it lost. */
    private final Map<Long, ConflictRecord> lostVersions = new HashMap<>();
    /**
     * "site|table|id|prevTok" of deletes lost (kept out as an incoming change, or overwritten where made) -> records,
     * in id order. A key can stand for several deletes (a row inserted and deleted in one transaction has no prevTok),
     * so a delete is matched only by a record made after it (see #madeAfter).
     */
    private final Map<String, List<ConflictRecord>> lostDeletes = new HashMap<>();
    /** "site|table|id" where an absent row (a delete made there) was overwritten -> records, in id order. */
    private final Map<String, List<ConflictRecord>> lostAbsences = new HashMap<>();
    /** "site|table|id" -> when that site's transactions that deleted the row committed, in site order. */
    private final Map<String, List<Instant>> deletedAt = new HashMap<>();
    /** Rows a site removed because their incoming version lost a unique-key collision (row-removed), by site|row. */
    private final Map<String, ConflictRecord> removedRows = new HashMap<>();
    /** Writes that I2 found missing at some site. */
    private final Set<Write> missing = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Causality causality;

    public InvariantChecker(History history, Map<String, SiteState> finals, List<String> healthProblems) {
        this.history = history;
        this.sites = history.sites();
        this.finals = finals;
        this.healthProblems = healthProblems;
        this.txns = history.txns();
        for (Txn t : txns) {
            txnByToken.put(t.id(), t);
            t.issued().forEach(token -> txnByToken.put(token, t));
            for (Write w : t.writes()) {
                txnOf.put(w, t);
                txnByToken.put(w.token(), t);
                writeByToken.put(w.token(), w);
                if (w.prevTok() != null) {
                    replaced.add(w.prevTok());
                } else {
                    insertsIntoAbsent.computeIfAbsent(row(w.table(), w.id()), k -> new ArrayList<>()).add(w);
                }
                if (w.prevTok() != null) {
                    replacers.merge(sites.get(t.site()) + "|" + row(w.table(), w.id()) + "|" + w.prevTok(), w,
                            (a, b) -> a.isDelete() ? a : b);
                }
            }
        }
        causality = new Causality(txns, sites.size(), txnByToken);
        txns.stream().sorted(Comparator.comparingLong(Txn::seq)).forEach(t -> t.writes().stream()
                .filter(Write::isDelete).forEach(w -> deletedAt.computeIfAbsent(sites.get(t.site()) + "|"
                        + row(w.table(), w.id()), k -> new ArrayList<>()).add(t.committedAt())));
        txns.stream().sorted(Comparator.comparingLong(Txn::seq)).forEach(t -> {
            for (Write w : t.writes()) {
                causality.wrote(row(w.table(), w.id()), t);
                if (w.movedFrom() != null) {
                    causality.wrote(row(w.table(), w.movedFrom()), t);
                }
                String u = unique(w.table(), w.after());
                if (u != null) {
                    causality.wrote(u, t);
                }
            }
            // also values a row held only between two statements of it: Ferry applies those statements one by one
            for (String u : t.uniquesHeld()) {
                causality.wrote(unique(CheckerSchema.PRIO, Map.of("u", u)), t);
            }
        });
        for (SiteState s : finals.values()) {
            s.conflicts().forEach(this::noteLoss);
        }
    }

    public CheckReport check() {
        CheckReport report = new CheckReport();
        convergence(report);
        for (String site : sites) {
            nothingLostSilently(report, finals.get(site));
        }
        noSpuriousConflicts(report);
        for (int site = 0; site < sites.size(); site++) {
            nothingUndoneAtItsOwnSite(report, site);
        }
        healthProblems.forEach(p -> report.violation(I4, "direction", null, p));
        figures(report);
        return report;
    }

    // ---------------------------------------------------------------------------------------------------------
    // I1

    private void convergence(CheckReport report) {
        SiteState first = finals.get(sites.get(0));
        for (String site : sites.subList(1, sites.size())) {
            SiteState other = finals.get(site);
            Set<String> onlyFirst = new TreeSet<>(first.schema());
            onlyFirst.removeAll(other.schema());
            Set<String> onlyOther = new TreeSet<>(other.schema());
            onlyOther.removeAll(first.schema());
            if (!onlyFirst.isEmpty() || !onlyOther.isEmpty()) {
                report.violation(I1, "schema", null, "schema differs: only at " + first.site() + ": "
                        + limit(onlyFirst) + "; only at " + site + ": " + limit(onlyOther));
            }
            Set<String> tables = new java.util.LinkedHashSet<>(CheckerSchema.MODELED);
            tables.addAll(new TreeSet<>(first.tables().keySet()));
            tables.addAll(new TreeSet<>(other.tables().keySet()));
            for (String table : tables) {
                Map<String, Map<String, String>> a = first.tables().getOrDefault(table, Map.of());
                Map<String, Map<String, String>> b = other.tables().getOrDefault(table, Map.of());
                Set<String> keys = new TreeSet<>(Comparator.comparing(InvariantChecker::keyOrder));
                keys.addAll(a.keySet());
                keys.addAll(b.keySet());
                for (String key : keys) {
                    if (!Objects.equals(a.get(key), b.get(key))) {
                        report.violation(I1, "rows of " + table, table + "|" + key, table + " " + key + ": "
                                + first.site() + " " + show(a.get(key)) + " | " + site + " " + show(b.get(key)));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // I2

    private void nothingLostSilently(CheckReport report, SiteState state) {
        String at = state.site();
        for (Txn t : txns) {
            for (Write w : t.writes()) {
                String row = row(w.table(), w.id());
                Map<String, String> here = state.row(w.table(), w.id());
                if (w.isDelete()) {
                    if (here != null && !deleteSeenLater(t, w) && recordOfLoss(t, w, true) == null) {
                        missing.add(w);
                        report.violation(I2, "delete undone at " + at, row, describe(w) + " is undone at " + at
                                + " (it holds " + show(here) + "); no later insert saw it and no conflict record"
                                + " shows it lost");
                    }
                } else if (here != null && w.newTok().equals(tok(here))) {
                    if (!matches(w.after(), here)) {
                        report.violation(I2, "version altered at " + at, row, at + " holds " + describe(w)
                                + " altered: written " + show(w.after()) + ", held " + show(here));
                    }
                    for (String site : sites) {
                        Write replacing = replacers.get(site + "|" + row + "|" + w.newTok());
                        if (replacing != null && recordOfLoss(txnOf.get(replacing), replacing, true) == null) {
                            report.violation(I2, "replaced version is back at " + at, row, at + " ends with "
                                    + describe(w) + ", which " + describe(replacing) + " had replaced; no record"
                                    + " shows that write lost");
                        }
                    }
                } else if (!replaced.contains(w.newTok()) && !lostVersions.containsKey(w.newTok())) {
                    missing.add(w);
                    report.violation(I2, "version missing at " + at, row, describe(w) + " is not at " + at
                            + " (it holds " + show(here) + "); no committed write replaced it and no conflict record"
                            + " shows it lost");
                }
            }
        }
        for (String table : CheckerSchema.MODELED) {
            state.tables().getOrDefault(table, Map.of()).forEach((key, row) -> {
                if (!writeByToken.containsKey(tok(row))) {
                    report.violation(I2, "unknown version at " + at, table + "|" + key, at + " holds " + table + " "
                            + key + " as " + show(row) + ", a version no committed transaction wrote");
                }
            });
        }
    }

    /** A delete some insert saw (in ck_gone) before it wrote the row again: that insert superseded it. */
    private boolean deleteSeenLater(Txn t, Write delete) {
        String site = sites.get(t.site());
        for (Write insert : insertsIntoAbsent.getOrDefault(row(delete.table(), delete.id()), List.of())) {
            Long seen = insert.seenDeletes() == null ? null : insert.seenDeletes().get(site);
            if (seen != null && seen >= delete.delTok()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // reading the conflict records

    /** Notes what a record shows lost: the version it overwrote or the incoming change it kept out. */
    private void noteLoss(ConflictRecord r) {
        Long id = r.keyId();
        Long incoming = ConflictRecord.tok(r.incomingAfter());
        Long target = ConflictRecord.tok(r.targetRow());
        Long before = ConflictRecord.tok(r.incomingBefore());
        if (r.rowRemoved()) {
            // the version removed is lost unless it is the incoming change's before image, which its source replaced
            if (target != null && !target.equals(before)) {
                lostVersions.putIfAbsent(target, r);
            }
            if (id != null) {
                removedRows.putIfAbsent(r.site() + "|" + row(r.table(), id), r);
            }
        } else if (r.incomingApplied()) {
            if (target != null && !target.equals(incoming)) {
                lostVersions.putIfAbsent(target, r);
            } else if (r.targetRow() == null && id != null) {
                // an absent row overwritten: the delete made here of the version the incoming change replaced, or
                // (for I2 only, which does not know which) any delete of that row made here. With three sites the
                // absence may also be another site's delete applied here (not the origin's: its change followed its
                // own delete), so the record counts for the deletes of every site but a sole origin; with two sites
                // that is this site alone.
                List<String> origins = origins(r);
                for (String deleter : sites) {
                    if (origins.size() == 1 && deleter.equals(origins.get(0))) {
                        continue;
                    }
                    lostDeletes.computeIfAbsent(deleter + "|" + row(r.table(), id) + "|" + before,
                            k -> new ArrayList<>()).add(r);
                    lostAbsences.computeIfAbsent(deleter + "|" + row(r.table(), id), k -> new ArrayList<>()).add(r);
                }
            }
        } else if (r.targetKept()) {
            if (incoming != null) {
                lostVersions.putIfAbsent(incoming, r);
            } else if (r.incomingBefore() != null && id != null) {
                for (String origin : origins(r)) {
                    lostDeletes.computeIfAbsent(origin + "|" + row(r.table(), id) + "|" + before,
                            k -> new ArrayList<>()).add(r);
                }
            }
        }
    }

    /**
     * The record that shows this write lost, or null. {@code anyAbsence}: a record of an absent row overwritten
     * counts for every delete of that row made at that site, not only for the delete of the version the incoming
     * change replaced.
     */
    private ConflictRecord recordOfLoss(Txn t, Write w, boolean anyAbsence) {
        if (!w.isDelete()) {
            return lostVersions.get(w.newTok());
        }
        String site = sites.get(t.site());
        List<ConflictRecord> candidates = lostDeletes.get(site + "|" + row(w.table(), w.id()) + "|" + w.prevTok());
        ConflictRecord r = w.prevTok() != null ? madeAfter(t, candidates)
                : madeWhileLatest(t, candidates, deletesOf(site, row(w.table(), w.id())));
        if (r == null && anyAbsence) {
            r = madeAfter(t, lostAbsences.get(site + "|" + row(w.table(), w.id())));
        }
        for (Write moved : t.writes()) { // the delete half of a key change is lost with its new row
            if (r == null && moved.table().equals(w.table()) && Objects.equals(moved.movedFrom(), w.id())) {
                r = lostVersions.get(moved.newTok());
            }
        }
        return r;
    }

    /**
     * The times of the deletes of {@code row} that may have made it absent at {@code site}: those made there; with
     * three sites, those made anywhere, since each travels to every site (the three-site run of session 23 matched a
     * row inserted and deleted in one transaction at eu with a record at us of an absence that us's own later delete
     * had made).
     */
    private List<Instant> deletesOf(String site, String row) {
        if (sites.size() == 2) {
            return deletedAt.get(site + "|" + row);
        }
        return sites.stream().flatMap(s -> deletedAt.getOrDefault(s + "|" + row, List.of()).stream()).sorted()
                .toList();
    }

    /**
     * The first record made after {@code t} committed: one made before cannot show its write lost (the soak matched a
     * row's inserted-and-deleted version with a record made minutes earlier). One second of slack: the client takes
     * its commit time after the commit returns, and the record's apply may run in between.
     */
    private static ConflictRecord madeAfter(Txn t, List<ConflictRecord> records) {
        if (records == null) {
            return null;
        }
        Instant from = t.committedAt().minusSeconds(1);
        return records.stream().filter(r -> !r.detectedAt().isBefore(from)).findFirst().orElse(null);
    }

    /**
     * For a delete that removed no earlier version (a row inserted and deleted in one transaction), whose records
     * cannot name it: the first record made after it and before the row's next delete at that site. An absent row
     * that a record shows overwritten was made absent by the latest delete before the record (the soak of session 15
     * matched such a write with a record of the row's later delete, made minutes after it).
     */
    private static ConflictRecord madeWhileLatest(Txn t, List<ConflictRecord> records, List<Instant> deletes) {
        ConflictRecord r = madeAfter(t, records);
        Instant next = deletes == null ? null
                : deletes.stream().filter(d -> d.isAfter(t.committedAt())).findFirst().orElse(null);
        if (r == null || next == null || r.detectedAt().isBefore(next)) {
            return r;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // I3

    private void noSpuriousConflicts(CheckReport report) {
        for (String site : sites) {
            for (ConflictRecord r : finals.get(site).conflicts()) {
                Long id = r.keyId();
                if (CheckerSchema.PROBE.equals(r.table()) && id != null && id < 0) {
                    continue; // a reader probe written before that reader ran (see LinkedSites.awaitReaders)
                }
                if (!CheckerSchema.MODELED.contains(r.table())) {
                    report.violation(I3, "conflict on " + r.table(), null,
                            "conflict on a table whose rows only one site writes: " + r);
                    continue;
                }
                Txn incoming = incomingTxn(r, id);
                Txn target = targetTxn(r, id, incoming);
                if (!justified(r, id, incoming, target)) {
                    report.violation(I3, "spurious " + r.type() + " at " + site, id == null ? null : row(r.table(), id),
                            "spurious conflict, its versions were not made concurrently: " + r + "; incoming from "
                                    + describe(incoming) + "; target from " + describe(target));
                }
            }
        }
        for (Txn t : txns) {
            for (Write w : t.writes()) {
                ConflictRecord lost = recordOfLoss(t, w, false);
                if ((lost != null || missing.contains(w)) && concurrentWriter(t, w) == null) {
                    report.violation(I3,
                            lost != null ? "isolated write overwritten, recorded" : "isolated write lost, unrecorded",
                            row(w.table(), w.id()),
                            describe(w) + ", which no other site's write was concurrent with, was lost: "
                            + (lost != null ? "overwritten by " + lost : "it disappeared (see I2)"));
                }
            }
        }
    }

    /**
     * Whether a record is between versions made concurrently: its incoming and target versions' transactions; when
     * one of them is unknown, or for a unique-key conflict, a concurrent write of another site to the record's row
     * or to the unique value of either version is enough.
     */
    private boolean justified(ConflictRecord r, Long id, Txn incoming, Txn target) {
        if (incoming != null && target != null && causality.concurrent(incoming, target)) {
            return true;
        }
        if (!r.type().contains("unique") && incoming != null && target != null) {
            return false;
        }
        List<String> rows = new ArrayList<>();
        if (id != null) {
            rows.add(row(r.table(), id));
        }
        for (Map<String, String> image : java.util.Arrays.asList(r.incomingAfter(), r.incomingBefore(), r.targetRow())) {
            String u = unique(r.table(), image);
            if (u != null) {
                rows.add(u);
            }
        }
        for (Txn t : java.util.Arrays.asList(incoming, target)) {
            for (String what : rows) {
                if (t != null && causality.concurrentWriter(what, t) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether Ferry removed the row at {@code site} (as the loser of a unique-key collision, or to make room for a
     * winner, recorded): with three sites the removal travels on to the other sites like any change of the site that
     * made it, so a record at any site counts.
     */
    private boolean removedHere(String site, String row) {
        return sites.size() == 2 ? removedRows.containsKey(site + "|" + row)
                : sites.stream().anyMatch(s -> removedRows.containsKey(s + "|" + row));
    }

    /**
     * What a site's own client wrote must not be undone there behind its back. (1) A version it replaced must not
     * show there again: a later transaction reading it means something overwrote the replacing write (and whatever
     * followed) with the older version, e.g. a stale echo; the replacing write was made where the old version was
     * visible, so the old version cannot win a conflict against it. (2) The version it left must not vanish: a later
     * insert that finds the row absent must have seen (in ck_gone) a delete that did not precede that version.
     * Only a recorded loss of the undone write excuses either.
     */
    private void nothingUndoneAtItsOwnSite(CheckReport report, int site) {
        String name = sites.get(site);
        Map<Long, Write> replacedHere = new HashMap<>();
        Map<String, Write> leftHere = new HashMap<>();
        Set<Write> reported = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Txn t : txns) { // in commit order, so per site in site order
            if (t.site() != site) {
                continue;
            }
            for (long read : t.reads()) {
                Write replacing = replacedHere.get(read);
                if (replacing != null && recordOfLoss(txnOf.get(replacing), replacing, true) == null
                        && reported.add(replacing)) {
                    report.violation(I3, "replaced version came back at " + name, row(replacing.table(), replacing.id()),
                            describe(replacing) + " was undone at " + name + ": " + describe(t) + " read "
                                    + Tokens.format(read, sites) + " there again; no record shows the replacing write"
                                    + " lost");
                }
            }
            for (Write w : t.writes()) {
                Write left = leftHere.get(row(w.table(), w.id()));
                if (w.prevTok() == null && left != null && !left.isDelete() && !deletedSince(left, w)
                        && recordOfLoss(txnOf.get(left), left, true) == null
                        && !removedHere(name, row(w.table(), w.id())) && reported.add(left)) {
                    report.violation(I3, "version vanished at " + name, row(w.table(), w.id()), describe(left)
                            + " vanished at " + name + ": " + describe(t) + " found the row absent, with no delete"
                            + " seen since (ck_gone " + w.seenDeletes() + "); no record shows it lost"
                            + replacedElsewhere(site, left));
                }
            }
            for (Write w : t.writes()) {
                leftHere.put(row(w.table(), w.id()), w);
                if (w.prevTok() != null) {
                    replacedHere.put(w.prevTok(), w);
                }
            }
        }
    }

    /** The writes of other sites that replaced this version, which its site may have received wrongly. */
    private String replacedElsewhere(int site, Write version) {
        StringBuilder b = new StringBuilder();
        for (int other = 0; other < sites.size(); other++) {
            Write w = other == site ? null
                    : replacers.get(sites.get(other) + "|" + row(version.table(), version.id()) + "|" + version.newTok());
            if (w != null) {
                b.append("; replaced at ").append(sites.get(other)).append(" by ").append(describe(w));
            }
        }
        return b.toString();
    }

    /** Whether the insert saw a delete of the row that did not happen before {@code version} was written. */
    private boolean deletedSince(Write version, Write insert) {
        Txn written = txnOf.get(version);
        for (long delete : insert.seenDeletes() == null ? List.<Long>of() : insert.seenDeletes().values()) {
            Txn deleter = txnByToken.get(delete);
            if (deleter == null || !causality.before(deleter, written)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transaction of another site, concurrent with this write's, that wrote its row, or the other row of a key
     * change (the row moved from, or for the delete half the row moved to), or its unique value.
     */
    private Txn concurrentWriter(Txn t, Write w) {
        List<String> what = new ArrayList<>();
        what.add(row(w.table(), w.id()));
        if (w.movedFrom() != null) {
            what.add(row(w.table(), w.movedFrom()));
        }
        for (Write other : t.writes()) {
            if (other.table().equals(w.table()) && Objects.equals(other.movedFrom(), w.id())) {
                what.add(row(other.table(), other.id()));
            }
        }
        String u = unique(w.table(), w.after());
        if (u != null) {
            what.add(u);
        }
        for (String x : what) {
            Txn other = causality.concurrentWriter(x, t);
            if (other != null) {
                return other;
            }
        }
        return null;
    }

    /** The transaction that made the incoming change: it issued the after image, or replaced the before image. */
    private Txn incomingTxn(ConflictRecord r, Long id) {
        Long before = ConflictRecord.tok(r.incomingBefore());
        Write replacer = null;
        for (String origin : id == null ? List.<String>of() : origins(r)) {
            replacer = replacer != null ? replacer : replacers.get(origin + "|" + row(r.table(), id) + "|" + before);
        }
        if (r.followUps() > 0 && replacer != null) {
            // its incoming_after is the last follow-up's version; the conflict was the first change's, which
            // replaced the incoming_before at its source (the soak of session 17: kv_newer 3, whose follow-up
            // followed the target's write, while the first change had been concurrent with it)
            return txnOf.get(replacer);
        }
        Long after = ConflictRecord.tok(r.incomingAfter());
        if (after != null) {
            return txnByToken.get(after);
        }
        if (replacer != null) {
            return txnOf.get(replacer);
        }
        Txn issuer = before == null ? null : txnByToken.get(before); // a version its own transaction replaced
        return issuer != null && !writeByToken.containsKey(before) ? issuer : null;
    }

    /**
     * The sites whose changes reach the record's site through its direction: its source, and with three sites, where
     * the first is the hub that relays between the others (LinkedSites), at a spoke every other site.
     */
    private List<String> origins(ConflictRecord r) {
        if (sites.size() == 2 || r.site().equals(sites.get(0))) {
            return List.of(r.from());
        }
        return sites.stream().filter(s -> !s.equals(r.site())).toList();
    }

    /**
     * The transaction that made the target row; for an absent row, the delete made here of the incoming before image,
     * or (three sites) another site's delete of it, applied here. A sole origin's own delete cannot be it: its change
     * followed that delete.
     */
    private Txn targetTxn(ConflictRecord r, Long id, Txn incoming) {
        Long target = ConflictRecord.tok(r.targetRow());
        if (target != null) {
            return txnByToken.get(target);
        }
        if (id == null) {
            return null;
        }
        List<String> order = new ArrayList<>();
        order.add(r.site());
        // not the incoming change's own site (or, unknown, a sole origin's): its change followed its own delete
        List<String> origins = incoming != null ? List.of(sites.get(incoming.site())) : origins(r);
        sites.stream().filter(s -> !s.equals(r.site()) && !(origins.size() == 1 && s.equals(origins.get(0))))
                .forEach(order::add);
        for (String deleter : order) {
            Write w = replacers.get(deleter + "|" + row(r.table(), id) + "|" + ConflictRecord.tok(r.incomingBefore()));
            if (w != null && w.isDelete()) {
                return txnOf.get(w);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------

    private void figures(CheckReport report) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, Integer> ops = new java.util.TreeMap<>();
        int[] perSite = new int[sites.size()];
        for (Txn t : txns) {
            perSite[t.site()]++;
            t.writes().forEach(w -> kinds.merge(w.kind(), 1, Integer::sum));
            t.ops().forEach(o -> ops.merge(o, 1, Integer::sum));
        }
        List<String> counts = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            counts.add(sites.get(i) + " " + perSite[i]);
        }
        report.figure("transactions committed", txns.size() + " (" + String.join(", ", counts) + ")");
        report.figure("row writes committed", kinds.values().stream().mapToInt(Integer::intValue).sum() + " " + kinds);
        report.figure("operations", ops);
        List<String> conflicts = new ArrayList<>();
        int total = 0;
        for (String site : sites) {
            List<ConflictRecord> records = finals.get(site).conflicts();
            total += records.size();
            conflicts.add(site + " " + records.size() + " (follow-ups "
                    + records.stream().mapToInt(ConflictRecord::followUps).sum() + ")");
        }
        report.figure("conflicts recorded", total + ": " + String.join(", ", conflicts));
    }

    private String describe(Txn t) {
        return t == null ? "a transaction not in the log" : sites.get(t.site()) + " tx " + Tokens.format(t.id(), sites)
                + " " + t.ops() + " committed " + TIME.format(t.committedAt()) + "Z";
    }

    private String describe(Write w) {
        Txn t = txnOf.get(w);
        String what = w.isDelete() ? "delete of " + Tokens.format(w.prevTok(), sites)
                : w.kind() + " " + Tokens.format(w.newTok(), sites)
                        + (w.prevTok() == null ? "" : " (replacing " + Tokens.format(w.prevTok(), sites) + ")");
        return w.table() + " " + w.id() + " " + what + " by " + sites.get(t.site()) + " tx " + Tokens.format(t.id(), sites)
                + " " + t.ops() + (t.resolved() ? " (commit outcome resolved)" : "") + " committed "
                + TIME.format(t.committedAt()) + "Z";
    }

    private String show(Map<String, String> row) {
        if (row == null) {
            return "nothing";
        }
        Map<String, String> shown = new LinkedHashMap<>(row);
        shown.computeIfPresent("tok", (k, v) -> Tokens.format(Long.parseLong(v), sites));
        shown.computeIfPresent("prev", (k, v) -> Tokens.format(Long.parseLong(v), sites));
        return shown.toString();
    }

    private static boolean matches(Map<String, String> written, Map<String, String> held) {
        return written.entrySet().stream().allMatch(e -> held.containsKey(e.getKey())
                && Objects.equals(e.getValue(), held.get(e.getKey())));
    }

    private static Long tok(Map<String, String> row) {
        return row == null || row.get("tok") == null ? null : Long.parseLong(row.get("tok"));
    }

    static String row(String table, long id) {
        return table + "|" + id;
    }

    private static String unique(String table, Map<String, String> after) {
        return CheckerSchema.hasUnique(table) && after != null && after.get("u") != null
                ? table + ".u=" + after.get("u") : null;
    }

    /** Numeric keys in numeric order, others after them as text. */
    private static String keyOrder(String key) {
        return key.matches("-?\\d{1,18}")
                ? String.format("%020d", Long.parseLong(key) + 1_000_000_000_000_000L) : "~" + key;
    }

    private static String limit(Set<String> lines) {
        return lines.size() <= 5 ? lines.toString()
                : new ArrayList<>(lines).subList(0, 5) + " and " + (lines.size() - 5) + " more";
    }

    static String time(Instant at) {
        return TIME.format(at);
    }
}
