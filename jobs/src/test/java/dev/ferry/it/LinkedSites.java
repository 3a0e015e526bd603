package dev.ferry.it;

import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * A channel whose sites are linked both ways: two sites give sh->us and us->sh; with more, the first site is the hub,
 * linked both ways with each other site, and relays between them (a mesh, where every site replicates to every
 * other, is refused: docs/two-way.md). Passwords come from an environment variable.
 */
final class LinkedSites {
    final String name;
    final String database;
    final Map<String, TestDatabase> sites;
    final Path stateDir;
    private final boolean snapshotFromFirstSite;
    /** Extra top-level YAML, such as a {@code conflicts:} section. */
    String extraYaml = "";
    /** If set, each site's password comes from {@code <passwordDir>/<site>.pw} (password-file) instead of the environment. */
    Path passwordDir;
    /** Per site, the URL Ferry is given instead of the server's own, e.g. one through a {@code LinkProxy}. */
    final Map<String, String> urls = new LinkedHashMap<>();

    /**
     * @param snapshotFromFirstSite directions from the first site start with {@code initial} (the
     *     others always with {@code latest}); if false every direction starts with {@code latest}
     */
    LinkedSites(String name, String database, Map<String, TestDatabase> sites, Path stateDir,
            boolean snapshotFromFirstSite) {
        this.name = name;
        this.database = database;
        this.sites = new LinkedHashMap<>(sites);
        this.stateDir = stateDir;
        this.snapshotFromFirstSite = snapshotFromFirstSite;
    }

    /** Sites sh and us, with a new database {@code prefix_<n>} at both; {@code snapshotFromSh}: see the constructor. */
    static LinkedSites twoSites(String name, String prefix, TestDatabase sh, TestDatabase us, Path stateDir,
            boolean snapshotFromSh) {
        String database = sh.createDatabase(prefix);
        us.execute("CREATE DATABASE " + Sites.q(database));
        Map<String, TestDatabase> sites = new LinkedHashMap<>();
        sites.put("sh", sh);
        sites.put("us", us);
        return new LinkedSites(name, database, sites, stateDir, snapshotFromSh);
    }

    TestDatabase site(String site) {
        return sites.get(site);
    }

    /** The hub's direction to each other site and back, in site order. */
    List<String> directions() {
        List<String> directions = new ArrayList<>();
        String hub = sites.keySet().iterator().next();
        for (String site : sites.keySet()) {
            if (!site.equals(hub)) {
                directions.add(hub + "->" + site);
                directions.add(site + "->" + hub);
            }
        }
        return directions;
    }

    /** The sites whose changes {@code direction} carries: its source, and from the hub, every site but the target. */
    List<String> origins(String direction) {
        String[] ends = direction.split("->");
        String hub = sites.keySet().iterator().next();
        return ends[0].equals(hub) ? sites.keySet().stream().filter(s -> !s.equals(ends[1])).toList() : List.of(ends[0]);
    }

    String yaml() {
        StringBuilder y = new StringBuilder("channel: " + name + "\nsites:\n");
        sites.forEach((site, server) -> y.append("  ").append(site).append(": { url: \"").append(urls.getOrDefault(site, server.jdbcUrl()))
                .append("\", user: ").append(server.adminUser()).append(", ").append(passwordDir == null
                        ? "password: \"${env:" + Channel.PASSWORD_VARIABLE + "}\""
                        : "password-file: \"" + passwordDir.resolve(site + ".pw") + "\"").append(" }\n"));
        y.append("directions:\n");
        String first = sites.keySet().iterator().next();
        for (String d : directions()) {
            String[] ends = d.split("->");
            String startup = snapshotFromFirstSite && ends[0].equals(first) ? "initial" : "latest";
            y.append("  - { from: ").append(ends[0]).append(", to: ").append(ends[1]).append(", startup: ")
                    .append(startup).append(" }\n");
        }
        y.append("tables:\n  include: ['").append(database).append("\\..*']\n");
        y.append("state-dir: ").append(stateDir).append("\ncheckpoint-interval: 500ms\n").append(extraYaml);
        return y.toString();
    }

    ChannelConfig config() {
        return parse(yaml());
    }

    /** A file of this channel that lists only {@code direction}, as a second file of a channel split in two would. */
    ChannelConfig configOnly(String direction) {
        return configWith(direction);
    }

    /** A file of this channel that lists only {@code kept} of its directions. */
    ChannelConfig configWith(String... kept) {
        String yaml = yaml();
        for (String d : directions()) {
            if (!List.of(kept).contains(d)) {
                String[] ends = d.split("->");
                String line = "  - { from: " + ends[0] + ", to: " + ends[1] + ", startup: ";
                int at = yaml.indexOf(line);
                yaml = yaml.substring(0, at) + yaml.substring(yaml.indexOf('\n', at) + 1);
            }
        }
        return parse(yaml);
    }

    private ChannelConfig parse(String yaml) {
        String password = sites.values().iterator().next().adminPassword();
        return ChannelConfig.parse(yaml, name + ".yaml", Map.of(Channel.PASSWORD_VARIABLE, password)::get);
    }

    /**
     * Waits until every direction's binlog reader runs: each site writes probe rows (negative keys)
     * into {@code table}, a new one every two seconds, until its latest has reached every other site.
     * (With 'latest' a row written before the reader started never arrives; and DDL issued before
     * it started can break it: "Data row is smaller than a column index".) The probes are then deleted everywhere.
     *
     * @return per direction, the row changes applied so far (the baseline for exact counts later)
     */
    Map<String, Long> awaitReaders(String table, String valuesFormat) {
        return awaitReaders(table, valuesFormat, TwoWayITBase.TIMEOUT);
    }

    /** {@link #awaitReaders(String, String)}, each probe given {@code timeout}, e.g. to catch up after a load. */
    Map<String, Long> awaitReaders(String table, String valuesFormat, java.time.Duration timeout) {
        String qualified = Sites.q(database) + "." + Sites.q(table);
        long siteBase = 0;
        for (TestDatabase from : sites.values()) {
            long[] probe = {siteBase, 0}; // last probe key, when it was written
            siteBase -= 1_000_000;
            Sites.await(() -> {
                if (probe[1] == 0 || System.nanoTime() - probe[1] > 2_000_000_000L) {
                    probe[0]--;
                    probe[1] = System.nanoTime();
                    TwoWayITBase.exec(from, database, "INSERT INTO " + Sites.q(table) + " " + String.format(valuesFormat, probe[0]));
                }
                return sites.values().stream().allMatch(to -> !to.query("SELECT 1 FROM " + qualified
                        + " WHERE id = ?", probe[0]).isEmpty());
            }, timeout, "a probe row from " + from.name() + " to reach every site");
        }
        TestDatabase first = sites.values().iterator().next();
        TwoWayITBase.exec(first, database, "DELETE FROM " + Sites.q(table) + " WHERE id < 0");
        for (TestDatabase to : sites.values()) {
            Sites.await(() -> to.query("SELECT 1 FROM " + qualified + " WHERE id < 0").isEmpty(), TwoWayITBase.TIMEOUT,
                    "the probes to be deleted at " + to.name());
        }
        Map<String, Long> applied = new LinkedHashMap<>();
        for (String direction : directions()) {
            applied.put(direction, TwoWayITBase.appliedRows(site(direction.split("->")[1]), name, direction));
        }
        return applied;
    }

}
