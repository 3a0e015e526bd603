package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code directions} list; their server ids come afterwards from {@link ServerIds}. */
final class DirectionsSection {
    /** A direction without problems, still without its server ids. */
    record RawDirection(String path, String name, String from, String to, DirectionConfig.Startup startup) {}

    private final ConfigReader r;
    private final ShapeBinder binder;

    DirectionsSection(ConfigReader r, ShapeBinder binder) {
        this.r = r;
        this.binder = binder;
    }

    /** {@code node} is the value of {@code directions}, {@code null} if absent. */
    List<RawDirection> read(JsonNode node, Sites sites) {
        List<RawDirection> result = new ArrayList<>();
        List<String> names = new ArrayList<>(sites.names);
        String a = names.isEmpty() ? "sh" : names.get(0);
        String b = names.size() < 2 ? "us" : names.get(1);
        String example = "- { from: " + a + ", to: " + b + " }";
        if (node == null) {
            r.missing("directions", "directions", "[{ from: " + a + ", to: " + b + " }]");
            return result;
        }
        if (!node.isArray()) {
            r.wrongType("directions", node, "a list",
                    "write a list with one entry per direction, e.g. '" + example + "'");
            return result;
        }
        if (node.isEmpty()) {
            r.problem("directions", "the list is empty; at least one direction is required", "add e.g. '" + example + "'");
        }
        Map<String, String> pairs = new HashMap<>();
        Map<String, String> directionNames = new HashMap<>();
        String seedSite = null; // the only site whose directions may take an initial snapshot
        for (int i = 0; i < node.size(); i++) {
            String path = "directions[" + i + "]";
            ObjectNode m = r.asMap(node.get(i), path, "write each direction as a map, e.g. '" + example + "'");
            if (m == null) {
                continue;
            }
            int before = r.count();
            FileShape.Direction d = binder.bind(m, path, FileShape.Direction.class);
            String from = r.text(d.from(), path, "from", true, a);
            String to = r.text(d.to(), path, "to", true, b);
            if (from != null) {
                sites.checkReference(from, path + ".from", r);
                SiteConfig fromSite = sites.valid.get(from);
                if (fromSite != null && !fromSite.kind().hasBinlog()) {
                    r.problem(path + ".from", "site '" + from + "' is a " + fromSite.kind().displayName() + " database;"
                            + " Ferry reads changes from MySQL and MariaDB binlogs only, so " + fromSite.kind()
                            .displayName() + " can only be a target", "remove this direction, or make '" + from
                            + "' its 'to'");
                }
            }
            if (to != null) {
                sites.checkReference(to, path + ".to", r);
            }
            if (from != null && from.equals(to)) {
                r.problem(path + ".to", "'from' and 'to' are both '" + from
                        + "'; a direction must connect two different sites", "set 'to' to another site");
            }
            if (seedSite == null) {
                seedSite = from;
            }
            DirectionConfig.Startup startup = startup(d, path, from, seedSite);
            String name = name(d, path, from, to);
            if (from != null && to != null) {
                String pair = from + "->" + to;
                String previous = pairs.putIfAbsent(pair, path);
                if (previous != null) {
                    r.problem(path, "duplicate direction from '" + from + "' to '" + to + "' (already defined at "
                            + previous + ")", "remove one of them");
                } else if (name != null) {
                    String previousName = directionNames.putIfAbsent(name, path);
                    if (previousName != null) {
                        r.problem(d.name() != null ? path + ".name" : path, "direction name '" + name
                                        + "' is already used by " + previousName,
                                "give each direction a unique 'name'");
                    }
                }
            }
            if (r.count() == before) {
                result.add(new RawDirection(path, name, from, to, startup));
            }
        }
        return result;
    }

    /** {@code startup}: only directions from the seeding site may (and by default do) take a snapshot. */
    private DirectionConfig.Startup startup(FileShape.Direction d, String path, String from, String seedSite) {
        boolean fromSeed = from == null || from.equals(seedSite);
        DirectionConfig.Startup startup = r.enumValue(d.startup(), path, "startup", DirectionConfig.Startup.values(),
                DirectionConfig.Startup::yamlName,
                fromSeed ? DirectionConfig.Startup.INITIAL : DirectionConfig.Startup.LATEST);
        if (!fromSeed && startup == DirectionConfig.Startup.INITIAL) {
            r.problem(path + ".startup", "only directions from one site may take an initial snapshot, and that is '"
                    + seedSite + "' (the source of the first direction). A snapshot from '" + from + "' as well"
                    + " would copy rows that are not stamped, so they could overwrite newer changes that arrived"
                    + " from '" + seedSite + "' in the meantime", "use 'startup: latest' here (the default for"
                    + " directions not from '" + seedSite + "'), or list a direction from '" + from + "' first");
        }
        return startup;
    }

    /** {@code name}, {@code <from>-><to>} if absent; {@code null} if invalid or if a site is missing. */
    private String name(FileShape.Direction d, String path, String from, String to) {
        String name = r.text(d.name(), path, "name", false, "sh-to-us");
        if (name != null && !DirectionConfig.NAME.matcher(name).matches()) {
            r.problem(path + ".name", "invalid direction name '" + name
                            + "': use 1 to 80 letters, digits, '_', '-', '.' or '>'",
                    "rename it, e.g. 'sh-to-us', or remove 'name' to use '<from>-><to>'");
            return null;
        }
        if (name == null && d.name() == null && from != null && to != null) {
            return DirectionConfig.defaultName(from, to);
        }
        return name;
    }
}
