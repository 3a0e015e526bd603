package dev.ferry.config;

import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.SiteTree;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A channel: everything Ferry needs to replicate a set of tables between MySQL sites, read from one
 * YAML channel file. Instances are immutable, fully validated and {@link Serializable} (Flink ships them
 * to task managers); secrets are held in {@link Secret}s and never printed.
 *
 * <pre>{@code
 * channel: demo
 * sites:
 *   sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
 *   us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password-file: /etc/ferry/us.pw }
 * directions:
 *   - { from: sh, to: us, startup: initial }
 *   - { from: us, to: sh, startup: latest }
 * tables:
 *   include: ['shop\..*']
 *   exclude: ['shop\.tmp_.*']
 * }</pre>
 *
 * <h2>Top-level keys</h2>
 * <ul>
 *   <li>{@code channel} (required) &mdash; the channel name: letters, digits, {@code _} and {@code -},
 *       1 to 32 characters. Used in job names, in the default state directory and to derive server ids.</li>
 *   <li>{@code sites} (required, at least one entry) &mdash; a map from site name to site settings, see
 *       {@link SiteConfig}. Order matters: the first site is the "home" site.</li>
 *   <li>{@code directions} (required, at least one entry) &mdash; a list of replication directions, see
 *       {@link DirectionConfig}.</li>
 *   <li>{@code tables} (required) &mdash; the tables to replicate ({@code include}, {@code exclude}),
 *       see {@link TableFilter}.</li>
 *   <li>{@code state-dir} (optional, default {@code ./ferry-state/<channel>}) &mdash; directory where
 *       checkpoints and savepoints are kept: a local (or mounted shared) file system path, or a
 *       {@code file://} URI. Relative paths are resolved against the working directory when the file
 *       is parsed.</li>
 *   <li>{@code checkpoint-interval} (optional, default {@code 1s}, minimum {@code 100ms}) &mdash; how
 *       often Flink checkpoints; an integer with a unit: {@code ms}, {@code s}, {@code m} or {@code h}
 *       (e.g. {@code 500ms}, {@code 2m}).</li>
 *   <li>{@code apply} (optional block) &mdash; how changes are written to the target, see
 *       {@link ApplyConfig}.</li>
 *   <li>{@code conflicts} (optional block, default: the home site's version wins) &mdash; how conflicting
 *       changes are resolved, see {@link ConflictConfig}.</li>
 * </ul>
 *
 * <p>Unknown keys are rejected at every level (with a suggestion for likely typos), as are wrong value
 * types. All problems in a file are reported together in one {@link ChannelConfigException}.
 */
public final class ChannelConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The top-level keys of a channel file, as {@link FileShape.Channel} binds them. */
    static final List<String> KEYS = FileShape.keysOf(FileShape.Channel.class);
    /** What a channel's or a site's name may be. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,32}");

    /** Default {@code checkpoint-interval}. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Smallest allowed {@code checkpoint-interval}. */
    public static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(100);

    private final String source;
    private final String channel;
    private final Map<String, SiteConfig> sites;
    private final List<DirectionConfig> directions;
    private final TableFilter tableFilter;
    private final String stateDir;
    private final Duration checkpointInterval;
    private final ApplyConfig apply;
    private final ConflictConfig conflicts;

    ChannelConfig(
            String source,
            String channel,
            Map<String, SiteConfig> sites,
            List<DirectionConfig> directions,
            TableFilter tableFilter,
            Path stateDir,
            Duration checkpointInterval,
            ApplyConfig apply,
            ConflictConfig conflicts) {
        this.source = Objects.requireNonNull(source);
        this.channel = Objects.requireNonNull(channel);
        this.sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
        this.directions = List.copyOf(directions);
        this.tableFilter = Objects.requireNonNull(tableFilter);
        this.stateDir = stateDir.toString();
        this.checkpointInterval = Objects.requireNonNull(checkpointInterval);
        this.apply = Objects.requireNonNull(apply);
        this.conflicts = Objects.requireNonNull(conflicts);
    }

    /**
     * Reads and validates a channel file. Environment variables are looked up with
     * {@link System#getenv(String)}.
     *
     * @throws ChannelConfigException listing every problem, if the file cannot be read or is invalid
     */
    public static ChannelConfig load(Path file) {
        String source = file.toString();
        String yaml;
        if (Files.isDirectory(file)) {
            throw fileProblem(source, "this is a directory, not a file", "pass the path of the channel YAML file");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            yaml = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw fileProblem(source, "the file does not exist", "check the path of the channel file");
        } catch (AccessDeniedException e) {
            throw fileProblem(source, "the file cannot be read (permission denied)",
                    "make the file readable by the user running Ferry");
        } catch (CharacterCodingException e) {
            throw fileProblem(source, "the file is not valid UTF-8 text", "save the file as UTF-8");
        } catch (IOException e) {
            throw fileProblem(source, "the file cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the path names a readable file");
        }
        return parse(yaml, source, System::getenv);
    }

    private static ChannelConfigException fileProblem(String source, String problem, String fix) {
        return new ChannelConfigException(source, List.of(new ChannelConfigException.Problem("(file)", problem, fix)));
    }

    /**
     * Parses and validates channel file content, looking up environment variables with
     * {@link System#getenv(String)}.
     *
     * @param yaml the file content
     * @param sourceName the file name used in error messages
     * @throws ChannelConfigException listing every problem
     */
    public static ChannelConfig parse(String yaml, String sourceName) {
        return parse(yaml, sourceName, System::getenv);
    }

    /**
     * Parses and validates channel file content.
     *
     * @param yaml the file content
     * @param sourceName the file name used in error messages
     * @param env looks up environment variables for {@code ${env:NAME}}; returns {@code null} if unset
     * @throws ChannelConfigException listing every problem
     */
    public static ChannelConfig parse(String yaml, String sourceName, Function<String, String> env) {
        return new ChannelConfigParser(sourceName, env).parse(yaml);
    }

    /** The name of the file this configuration was read from (as given to {@link #load} or {@link #parse}). */
    public String source() {
        return source;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The sites by name, in file order (unmodifiable). */
    public Map<String, SiteConfig> sites() {
        return sites;
    }

    /** The first site in the file. */
    public SiteConfig homeSite() {
        return sites.values().iterator().next();
    }

    /**
     * The site with the given name.
     *
     * @throws ChannelConfigException if there is no such site
     */
    public SiteConfig site(String name) {
        SiteConfig site = sites.get(name);
        if (site == null) {
            throw new ChannelConfigException(source, List.of(new ChannelConfigException.Problem(
                    "sites",
                    "no site named '" + name + "' (defined: " + String.join(", ", sites.keySet()) + ")",
                    "use one of the defined site names")));
        }
        return site;
    }

    /** The directions, in file order (unmodifiable). */
    public List<DirectionConfig> directions() {
        return directions;
    }

    /**
     * The direction with the given name (e.g. {@code sh->us}). A direction with a custom {@code name} can
     * also be found by its {@code <from>-><to>} form.
     *
     * @throws ChannelConfigException naming the valid names, if there is no such direction
     */
    public DirectionConfig direction(String name) {
        for (DirectionConfig d : directions) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        for (DirectionConfig d : directions) {
            if (DirectionConfig.defaultName(d.from(), d.to()).equals(name)) {
                return d;
            }
        }
        throw new ChannelConfigException(source, List.of(new ChannelConfigException.Problem(
                "directions",
                "no direction named '" + name + "' in channel '" + channel + "' (defined: "
                        + directions.stream().map(DirectionConfig::name).collect(Collectors.joining(", ")) + ")",
                "use one of the defined direction names")));
    }

    /** Which tables are replicated. */
    public TableFilter tableFilter() {
        return tableFilter;
    }

    /** Where checkpoints and savepoints are kept (absolute). */
    public Path stateDir() {
        return Path.of(stateDir);
    }

    /** {@link #stateDir()} as a {@code file://} URI string, the form Flink's checkpoint storage expects. */
    public String stateDirUri() {
        return stateDir().toUri().toString();
    }

    /** How often Flink checkpoints. */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** How changes are applied to the target. */
    public ApplyConfig apply() {
        return apply;
    }

    /** How conflicts are resolved, as written in the file (or the default). */
    public ConflictConfig conflicts() {
        return conflicts;
    }

    /** The conflict rules of {@code direction}'s sink: its source site, and the home site for ties. */
    public ConflictRules conflictRules(DirectionConfig direction) {
        ConflictRules rules = conflicts.rules(direction.from(), homeSite().name());
        return reverseDirection(direction) == null ? rules : rules.inTwoWayChannel(twoWayLinks(), direction.to());
    }

    /** The site pairs with a direction each way, in file order; the parser has refused a cycle among them. */
    public SiteTree twoWayLinks() {
        return SiteTree.of(twoWayLinkList(directions.stream().map(d -> List.of(d.from(), d.to())).toList()));
    }

    /** Each pair of sites that has a direction both ways among {@code fromTo} (each a from and a to), once. */
    static List<List<String>> twoWayLinkList(List<List<String>> fromTo) {
        List<List<String>> links = new ArrayList<>();
        for (List<String> d : fromTo) {
            boolean back = fromTo.contains(List.of(d.get(1), d.get(0)));
            if (back && !links.contains(List.of(d.get(1), d.get(0))) && !links.contains(d)) {
                links.add(d);
            }
        }
        return links;
    }

    /**
     * The directions whose writes at {@code site} count as {@code site}'s own for {@code outOf}: along a tree of
     * two-way links each site relays what it applied from one neighbour to the others. They are the two-way
     * directions into {@code site} from every site but {@code outOf}'s other end (whose own changes never go back to
     * it); empty with two sites, and for a one-way direction.
     *
     * @param site the site whose binlog is read: {@code outOf}'s source (what it relays), or its target (the history
     *     its conflict decisions read)
     */
    public Set<String> relayedThrough(String site, DirectionConfig outOf) {
        String other = outOf.from().equals(site) ? outOf.to() : outOf.from();
        if (reverseDirection(outOf) == null) {
            return Set.of();
        }
        return directions.stream()
                .filter(d -> d.to().equals(site) && !d.from().equals(other) && reverseDirection(d) != null)
                .map(DirectionConfig::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The name of the direction back from {@code direction}'s target to its source, or {@code null} if the channel
     * has none. Its stamps in {@code direction}'s source tell which of the target's writes each change had seen.
     */
    public String reverseDirection(DirectionConfig direction) {
        return directions.stream()
                .filter(d -> d.from().equals(direction.to()) && d.to().equals(direction.from()))
                .map(DirectionConfig::name)
                .findFirst()
                .orElse(null);
    }

    /**
     * The server id of {@code direction}'s second binlog reader, the one of its target's own writes (see
     * DirectionJob): derived like a direction's, never one a direction of this channel uses.
     */
    public long historyServerId(DirectionConfig direction) {
        java.util.Set<Long> taken = new java.util.HashSet<>();
        for (DirectionConfig d : directions) {
            long id = ServerIds.derived(channel, "history of " + d.to(), d.name());
            for (long tries = 0; tries <= ServerIds.DERIVED_MAX - ServerIds.DERIVED_MIN
                    && (taken.contains(id) || takenByADirection(id)); tries++) {
                id = ServerIds.nextDerived(id);
            }
            if (d.equals(direction)) {
                return id;
            }
            taken.add(id);
        }
        throw new IllegalArgumentException(direction.name() + " is not a direction of channel " + channel);
    }

    private boolean takenByADirection(long id) {
        return directions.stream().anyMatch(d -> id >= d.serverIdStart() && id <= d.serverIdEnd());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelConfig c
                && source.equals(c.source)
                && channel.equals(c.channel)
                && sites.equals(c.sites)
                && List.copyOf(sites.keySet()).equals(List.copyOf(c.sites.keySet()))
                && directions.equals(c.directions)
                && tableFilter.equals(c.tableFilter)
                && stateDir.equals(c.stateDir)
                && checkpointInterval.equals(c.checkpointInterval)
                && apply.equals(c.apply)
                && conflicts.equals(c.conflicts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                source, channel, sites, directions, tableFilter, stateDir, checkpointInterval, apply, conflicts);
    }

    /** A readable summary; secrets are masked. */
    @Override
    public String toString() {
        return "ChannelConfig[source=" + source
                + ", channel=" + channel
                + ", sites=" + sites.values()
                + ", directions=" + directions
                + ", tables=" + tableFilter
                + ", stateDir=" + stateDir
                + ", checkpointInterval=" + checkpointInterval
                + ", apply=" + apply
                + ", conflicts=" + conflicts
                + "]";
    }
}
