package dev.ferry.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the {@code sites} section yielded, for the sections that name sites (directions, conflicts). */
final class Sites {
    /** True if {@code sites} is a map, so that references to sites can be checked. */
    boolean checkable;
    /** All site names (keys), valid or not, in file order. */
    final Set<String> names = new LinkedHashSet<>();
    /** Sites without problems. */
    final Map<String, SiteConfig> valid = new LinkedHashMap<>();
    /** Successfully parsed {@code server-id} ranges by site. */
    final Map<String, long[]> serverIds = new LinkedHashMap<>();

    /** The first site of the file (the home site), or {@code null} if there is none. */
    String first() {
        return names.isEmpty() ? null : names.iterator().next();
    }

    /** Records a problem at {@code path} if {@code site} is not a key of {@code sites}. */
    void checkReference(String site, String path, ConfigReader r) {
        if (!checkable || names.contains(site)) {
            return;
        }
        String defined = names.isEmpty() ? "none" : String.join(", ", names);
        String suggestion = Suggestions.closest(site, List.copyOf(names));
        r.problem(path, "site '" + site + "' is not defined in 'sites' (defined: " + defined + ")",
                "use one of the defined sites" + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                        + ", or add '" + site + "' under 'sites'");
    }
}
