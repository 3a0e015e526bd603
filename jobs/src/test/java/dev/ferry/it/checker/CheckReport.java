package dev.ferry.it.checker;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checker's findings: figures of the run and every violation, per invariant. */
public final class CheckReport {
    public enum Invariant {
        I1("when the writes stop, all sites converge to identical rows"),
        I2("every committed write is in the final state, superseded by a causally later write, or recorded as lost"),
        I3("no write without a concurrent write at another site is overwritten; no spurious conflict records"),
        I4("when the writes stop, no direction is failing or restarting");

        public final String text;

        Invariant(String text) {
            this.text = text;
        }
    }

    private final List<String> header = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Map<Invariant, List<String>> violations = new EnumMap<>(Invariant.class);
    /** Per invariant: per kind of violation, the violations, in order of first appearance. */
    private final Map<Invariant, Map<String, List<String>>> byKind = new EnumMap<>(Invariant.class);

    public CheckReport() {
        for (Invariant i : Invariant.values()) {
            violations.put(i, new ArrayList<>());
            byKind.put(i, new LinkedHashMap<>());
        }
    }

    public void header(String line) {
        header.add(line);
    }

    public void figure(String name, Object value) {
        figures.put(name, String.valueOf(value));
    }

    public Map<String, String> figures() {
        return figures;
    }

    /** Rows ("table|id") that some violation is about, for the run's files. */
    private final java.util.Set<String> rows = new java.util.LinkedHashSet<>();

    /**
     * @param kind what kind of violation, for the counts (e.g. "version missing at us")
     * @param row the row it is about ("table|id"), or null
     */
    void violation(Invariant invariant, String kind, String row, String what) {
        if (row != null) {
            rows.add(row);
        }
        violations.get(invariant).add(what);
        byKind.get(invariant).computeIfAbsent(kind, k -> new ArrayList<>()).add(what);
    }

    public List<String> violations(Invariant invariant) {
        return violations.get(invariant);
    }

    public java.util.Set<String> rows() {
        return rows;
    }

    public int violationCount() {
        return violations.values().stream().mapToInt(List::size).sum();
    }

    /**
     * The report: header, figures, then per invariant its count by kind and the first {@code shown} violations,
     * taken in turn from each kind so that every kind is shown.
     */
    public String text(int shown) {
        StringBuilder b = new StringBuilder();
        header.forEach(h -> b.append(h).append('\n'));
        figures.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        for (Invariant i : Invariant.values()) {
            List<String> list = violations.get(i);
            b.append(i).append(" (").append(i.text).append("): ");
            if (list.isEmpty()) {
                b.append("ok\n");
                continue;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            byKind.get(i).forEach((k, v) -> counts.put(k, v.size()));
            b.append(list.size()).append(list.size() == 1 ? " violation " : " violations ").append(counts).append('\n');
            List<String> picked = new ArrayList<>();
            for (int round = 0; picked.size() < Math.min(shown, list.size()); round++) {
                for (List<String> ofKind : byKind.get(i).values()) {
                    if (round < ofKind.size() && picked.size() < shown) {
                        picked.add(ofKind.get(round));
                    }
                }
            }
            picked.forEach(v -> b.append("  - ").append(v).append('\n'));
            if (list.size() > shown) {
                b.append("  ... and ").append(list.size() - shown).append(" more\n");
            }
        }
        return b.toString();
    }
}
