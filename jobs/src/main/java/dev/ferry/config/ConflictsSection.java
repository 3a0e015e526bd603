package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.TableConflictRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Reads the {@code conflicts} block into a {@link ConflictConfig}; without it the home site wins. */
final class ConflictsSection {
    /** Values of {@code compare} in a conflict rule. */
    private enum Compare { ALL, VERSION }

    /** The keys that set a rule's policy; a rule has exactly one of them. */
    private static final List<String> POLICY_KEYS = List.of("priority", "newer-wins", "policy");

    private final ConfigReader r;
    private final ShapeBinder binder;

    ConflictsSection(ConfigReader r, ShapeBinder binder) {
        this.r = r;
        this.binder = binder;
    }

    /** {@code node} is the value of {@code conflicts}, {@code null} if absent. */
    ConflictConfig read(JsonNode node, Sites sites) {
        String first = sites.first();
        TableConflictRule defaultRule =
                first == null ? null : new TableConflictRule(ConflictPolicy.priority(first), true);
        if (node == null) {
            return defaultRule == null ? null : new ConflictConfig(defaultRule, List.of());
        }
        String home = first == null ? "sh" : first; // for examples in messages
        ObjectNode c = r.asMap(node, "conflicts",
                "write it as a map, e.g. 'conflicts: { default: { priority: " + home + " } }'");
        if (c == null) {
            return null;
        }
        int before = r.count();
        FileShape.Conflicts shape = binder.bind(c, "conflicts", FileShape.Conflicts.class);
        if (shape.defaultRule() != null) {
            ObjectNode d = r.asMap(shape.defaultRule(), "conflicts.default",
                    "write it as a map, e.g. 'default: { priority: " + home + " }'");
            defaultRule = d == null ? null
                    : rule(binder.bind(d, "conflicts.default", FileShape.DefaultRule.class).asRule(),
                            "conflicts.default", sites, home);
        }
        List<ConflictConfig.TableRule> tables = new ArrayList<>();
        JsonNode list = shape.tables();
        String entryExample = "- { match: 'shop\\.orders', newer-wins: updated_at }";
        if (list != null && !list.isArray()) {
            r.wrongType("conflicts.tables", list, "a list",
                    "write a list with one entry per table pattern, e.g. '" + entryExample + "'");
        }
        for (int i = 0; list != null && list.isArray() && i < list.size(); i++) {
            String path = "conflicts.tables[" + i + "]";
            ObjectNode t = r.asMap(list.get(i), path, "write each entry as a map, e.g. '" + entryExample + "'");
            if (t == null) {
                continue;
            }
            FileShape.Rule entry = binder.bind(t, path, FileShape.Rule.class);
            String match = r.text(entry.match(), path, "match", true, "shop\\.orders");
            boolean matchOk = match != null && r.validRegex(match, path + ".match");
            TableConflictRule rule = rule(entry, path, sites, home);
            if (matchOk && rule != null) {
                tables.add(new ConflictConfig.TableRule(match, rule));
            }
        }
        if (r.count() != before || defaultRule == null) {
            return null;
        }
        return new ConflictConfig(defaultRule, tables);
    }

    /** {@code conflicts.default} or an entry of {@code conflicts.tables}; {@code null} if it has problems. */
    private TableConflictRule rule(FileShape.Rule m, String path, Sites sites, String home) {
        int before = r.count();
        Map<String, JsonNode> set = new LinkedHashMap<>();
        set.put("priority", m.priority());
        set.put("newer-wins", m.newerWins());
        set.put("policy", m.policy());
        set.values().removeIf(Objects::isNull);
        List<String> policies = List.copyOf(set.keySet());
        ConflictPolicy policy = null;
        if (policies.isEmpty()) {
            r.problem(path, "no conflict policy is set", "add exactly one of 'priority: " + home
                    + "', 'newer-wins: <column>' or 'policy: source-wins|target-wins|manual'");
        } else if (policies.size() > 1) {
            r.problem(path, "more than one policy is set (" + String.join(", ", policies) + "); a rule takes exactly one",
                    "keep only one of " + String.join(", ", policies));
        } else {
            policy = policy(set.get(policies.get(0)), path, policies.get(0), sites, home);
        }
        Compare compare = r.enumValue(m.compare(), path, "compare", Compare.values(),
                v -> v.name().toLowerCase(Locale.ROOT), Compare.ALL);
        if (compare == Compare.VERSION && m.newerWins() == null) {
            r.problem(path + ".compare", "'compare: version' compares only the key and the 'newer-wins' column, "
                            + "but this rule has no 'newer-wins'",
                    "set 'newer-wins: <column>', or remove 'compare' to compare all columns");
        }
        if (r.count() != before || policy == null) {
            return null;
        }
        return new TableConflictRule(policy, compare == Compare.ALL);
    }

    private ConflictPolicy policy(JsonNode value, String path, String key, Sites sites, String home) {
        switch (key) {
            case "priority" -> {
                String site = r.text(value, path, key, true, home);
                if (site != null) {
                    sites.checkReference(site, path + "." + key, r);
                }
                return site == null ? null : ConflictPolicy.priority(site);
            }
            case "newer-wins" -> {
                String column = r.text(value, path, key, true, "updated_at");
                return column == null ? null : ConflictPolicy.newerWins(column);
            }
            default -> {
                String name = r.text(value, path, key, true, "target-wins");
                return name == null ? null : namedPolicy(name, path + "." + key, home);
            }
        }
    }

    /** The value of {@code policy:}: a kind that needs no argument (priority and newer-wins have their own key). */
    private ConflictPolicy namedPolicy(String value, String path, String home) {
        for (ConflictPolicy.Kind kind : ConflictPolicy.Kind.values()) {
            if (!kind.configName().equalsIgnoreCase(value)) {
                continue;
            }
            if (POLICY_KEYS.contains(kind.configName())) { // priority, newer-wins
                boolean priority = kind == ConflictPolicy.Kind.PRIORITY;
                r.problem(path, "'" + value + "' is not a value of 'policy': it needs "
                                + (priority ? "the site that wins" : "the column to compare"),
                        "write '" + kind.configName() + ": " + (priority ? home : "<column>")
                                + "' instead of 'policy: " + value + "'");
                return null;
            }
            return ConflictPolicy.of(kind);
        }
        List<String> allowed = Stream.of(ConflictPolicy.Kind.values()).map(ConflictPolicy.Kind::configName)
                .filter(name -> !POLICY_KEYS.contains(name)).toList();
        r.problem(path, "unknown value '" + value + "'" + Suggestions.didYouMean(value, allowed),
                "use one of: " + String.join(", ", allowed)
                        + ", or write 'priority: <site>' or 'newer-wins: <column>' instead of 'policy'");
        return null;
    }
}
