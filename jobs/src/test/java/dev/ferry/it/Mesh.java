package dev.ferry.it;

import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.DatabaseServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel in which every site replicates to every other one: two sites give sh->us and us->sh,
 * three give all six directions. Passwords come from an environment variable.
 */
final class Mesh {
    final String name;
    final String database;
    final Map<String, DatabaseServer> sites;
    final Path stateDir;
    private final boolean snapshotFromFirstSite;

    /**
     * @param snapshotFromFirstSite directions from the first site start with {@code initial} (the
     *     others always with {@code latest}); if false every direction starts with {@code latest}
     */
    Mesh(String name, String database, Map<String, DatabaseServer> sites, Path stateDir,
            boolean snapshotFromFirstSite) {
        this.name = name;
        this.database = database;
        this.sites = new LinkedHashMap<>(sites);
        this.stateDir = stateDir;
        this.snapshotFromFirstSite = snapshotFromFirstSite;
    }

    DatabaseServer site(String site) {
        return sites.get(site);
    }

    List<String> directions() {
        List<String> directions = new ArrayList<>();
        for (String from : sites.keySet()) {
            for (String to : sites.keySet()) {
                if (!from.equals(to)) {
                    directions.add(from + "->" + to);
                }
            }
        }
        return directions;
    }

    String yaml() {
        StringBuilder y = new StringBuilder("channel: " + name + "\nsites:\n");
        sites.forEach((site, server) -> y.append("  ").append(site).append(": { url: \"").append(server.jdbcUrl())
                .append("\", user: ").append(server.adminUser()).append(", password: \"${env:")
                .append(Channel.PASSWORD_VARIABLE).append("}\" }\n"));
        y.append("directions:\n");
        String first = sites.keySet().iterator().next();
        for (String d : directions()) {
            String[] ends = d.split("->");
            String startup = snapshotFromFirstSite && ends[0].equals(first) ? "initial" : "latest";
            y.append("  - { from: ").append(ends[0]).append(", to: ").append(ends[1]).append(", startup: ")
                    .append(startup).append(" }\n");
        }
        y.append("tables:\n  include: ['").append(database).append("\\..*']\n");
        y.append("state-dir: ").append(stateDir).append("\ncheckpoint-interval: 500ms\n");
        return y.toString();
    }

    ChannelConfig config() {
        String password = sites.values().iterator().next().adminPassword();
        return ChannelConfig.parse(yaml(), name + ".yaml", Map.of(Channel.PASSWORD_VARIABLE, password)::get);
    }
}
