package dev.ferry.conflict;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two-way links of a channel (a site pair with a direction each way), which must form a tree: every pair of
 * sites then has one path, and each site on it relays what it applied from one neighbour to the others in its own
 * binlog order, so a change never overtakes one it followed (docs/conflicts.md, "Three or more sites").
 *
 * <p>A conflict is decided on a link, between its two ends, and both ends must pick the same version. A policy that
 * names a site (priority, and the home site that breaks ties) picks the end nearer to it: on a link next to the named
 * site that is the site itself, further out the end on the path towards it.
 */
public final class SiteTree implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Set<String>> neighbours;

    private SiteTree(Map<String, Set<String>> neighbours) {
        this.neighbours = neighbours;
    }

    /**
     * @param links site pairs, each linked both ways
     * @throws IllegalArgumentException naming a link that closes a cycle
     */
    public static SiteTree of(List<List<String>> links) {
        List<String> closing = cycleClosedBy(links);
        if (closing != null) {
            throw new IllegalArgumentException("the link " + closing.get(0) + "<->" + closing.get(1) + " closes a cycle");
        }
        Map<String, Set<String>> neighbours = new LinkedHashMap<>();
        for (List<String> link : links) {
            neighbours.computeIfAbsent(link.get(0), s -> new LinkedHashSet<>()).add(link.get(1));
            neighbours.computeIfAbsent(link.get(1), s -> new LinkedHashSet<>()).add(link.get(0));
        }
        return new SiteTree(neighbours);
    }

    /** The first link (in the order given) that closes a cycle with the links before it, or {@code null}. */
    public static List<String> cycleClosedBy(List<List<String>> links) {
        Map<String, String> parent = new HashMap<>();
        for (List<String> link : links) {
            String a = root(parent, link.get(0));
            String b = root(parent, link.get(1));
            if (a.equals(b)) {
                return link;
            }
            parent.put(a, b);
        }
        return null;
    }

    private static String root(Map<String, String> parent, String site) {
        String s = site;
        while (parent.containsKey(s)) {
            s = parent.get(s);
        }
        return s;
    }

    /** Whether {@code a} is nearer to {@code named} than {@code b} is; a site not linked to it is furthest. */
    public boolean nearer(String a, String b, String named) {
        Map<String, Integer> distance = distancesFrom(named);
        return distance.getOrDefault(a, Integer.MAX_VALUE) < distance.getOrDefault(b, Integer.MAX_VALUE);
    }

    private Map<String, Integer> distancesFrom(String site) {
        Map<String, Integer> distance = new HashMap<>();
        distance.put(site, 0);
        Deque<String> next = new ArrayDeque<>(List.of(site));
        while (!next.isEmpty()) {
            String s = next.poll();
            for (String n : neighbours.getOrDefault(s, Set.of())) {
                if (distance.putIfAbsent(n, distance.get(s) + 1) == null) {
                    next.add(n);
                }
            }
        }
        return distance;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteTree t && neighbours.equals(t.neighbours);
    }

    @Override
    public int hashCode() {
        return neighbours.hashCode();
    }

    @Override
    public String toString() {
        return "SiteTree" + neighbours;
    }
}
