package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.conflict.SiteTree;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns channel file text into a {@link ChannelConfig}, collecting every problem on the way. It binds the top
 * level to its {@link FileShape}, reads the top-level scalars and the {@code apply} block itself and hands each
 * other section to its reader.
 */
final class ChannelConfigParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern URI_SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://.*");

    private final String source;
    private final Function<String, String> env;
    private final ConfigReader r = new ConfigReader();

    ChannelConfigParser(String source, Function<String, String> env) {
        this.source = source == null ? "<channel file>" : source;
        this.env = env;
    }

    ChannelConfig parse(String yaml) {
        JsonNode root = YamlTree.read(yaml, r);
        if (root == null) {
            throw fail();
        }
        ObjectNode top = r.asMap(root, "(root)",
                "write the channel file as a map with the keys " + String.join(", ", ChannelConfig.KEYS));
        if (top == null) {
            throw fail();
        }
        ShapeBinder binder = new ShapeBinder(r, KeyLines.of(yaml));
        FileShape.Channel file = binder.bind(top, "", FileShape.Channel.class);

        // the order of the sections is the order of the problems in the message
        String channel = channelName(file.channel());
        Sites sites = new SitesSection(r, binder, new SecretReader(r, env)).read(file.sites());
        List<DirectionsSection.RawDirection> rawDirections =
                new DirectionsSection(r, binder).read(file.directions(), sites);
        TableFilter tableFilter = new TablesSection(r, binder).read(file.tables());
        Path stateDir = stateDir(file.stateDir(), channel);
        Duration checkpointInterval = checkpointInterval(file.checkpointInterval());
        ApplyConfig apply = apply(file.apply(), binder);
        ConflictConfig conflicts = new ConflictsSection(r, binder).read(file.conflicts(), sites);
        List<DirectionConfig> directions = ServerIds.assign(channel, sites, rawDirections, r);
        parallelOnlyOneWay(apply, rawDirections);
        noTwoWayCycle(rawDirections);

        if (r.count() > 0) {
            throw fail();
        }
        return new ChannelConfig(
                source, channel, sites.valid, directions, tableFilter, stateDir, checkpointInterval, apply,
                conflicts);
    }

    /** Kept for ServerIdTest, which predates {@link ServerIds}. */
    static long derivedServerId(String channel, String from, String to) {
        return ServerIds.derived(channel, from, to);
    }

    private ChannelConfigException fail() {
        return new ChannelConfigException(source, r.problems());
    }

    private String channelName(JsonNode value) {
        String channel = r.text(value, "", "channel", true, "demo");
        if (channel != null && !ChannelConfig.NAME.matcher(channel).matches()) {
            r.problem("channel", "invalid channel name '" + channel
                            + "': use 1 to 32 letters, digits, '_' or '-'",
                    "rename the channel, e.g. 'channel: shop-sync'");
            return null;
        }
        return channel;
    }

    private Path stateDir(JsonNode value, String channel) {
        String path = "state-dir";
        if (value == null) {
            return Path.of("ferry-state", channel == null ? "channel" : channel).toAbsolutePath().normalize();
        }
        String raw = r.text(value, "", path, false, "/var/lib/ferry/" + (channel == null ? "demo" : channel));
        if (raw == null) {
            return null;
        }
        Matcher scheme = URI_SCHEME.matcher(raw);
        try {
            if (scheme.matches()) {
                if (!scheme.group(1).equalsIgnoreCase("file")) {
                    r.problem(path, "'" + scheme.group(1) + "://' locations are not supported",
                            "use a local directory or a mounted shared file system path, e.g. '/var/lib/ferry/"
                                    + (channel == null ? "demo" : channel) + "'");
                    return null;
                }
                return Path.of(URI.create(raw)).toAbsolutePath().normalize();
            }
            if (raw.startsWith("~")) {
                r.problem(path, "'~' is not expanded to the home directory", "write the full path");
                return null;
            }
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            r.problem(path, "invalid path '" + raw + "' (" + e.getMessage() + ")", "write a valid directory path");
            return null;
        }
    }

    private Duration checkpointInterval(JsonNode v) {
        String path = "checkpoint-interval";
        if (v == null) {
            return ChannelConfig.DEFAULT_CHECKPOINT_INTERVAL;
        }
        String fix = "write a whole number followed by ms, s, m or h, e.g. '500ms', '1s' or '2m'";
        if (v.isIntegralNumber()) {
            r.problem(path, "'" + v.asText() + "' has no unit",
                    "add a unit, e.g. '" + v.asText() + "ms' or '" + v.asText() + "s'");
            return null;
        }
        if (!v.isTextual()) {
            r.problem(path, "expected a duration such as '1s', got " + ConfigReader.describe(v), fix);
            return null;
        }
        String text = v.textValue().trim();
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            r.problem(path, "invalid duration '" + text + "'", fix);
            return null;
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            d.toMillis(); // overflow check
        } catch (NumberFormatException | ArithmeticException e) {
            r.problem(path, "duration '" + text + "' is too large", fix);
            return null;
        }
        if (d.compareTo(ChannelConfig.MIN_CHECKPOINT_INTERVAL) < 0) {
            r.problem(path, "must be at least 100ms (got '" + text + "')", "use 100ms or more (the default is 1s)");
            return null;
        }
        return d;
    }

    /**
     * Parallel apply splits a source transaction over writers. Two-way, each site then decides conflicts against half
     * of the other's transaction: the randomized checker ended with the sites apart and writes lost without a record
     * (docs/two-way.md), so a two-way channel must apply whole transactions.
     */
    private void parallelOnlyOneWay(ApplyConfig apply, List<DirectionsSection.RawDirection> directions) {
        if (apply == null || apply.mode() != ApplyConfig.Mode.PARALLEL || directions == null) {
            return;
        }
        directions.stream()
                .filter(d -> directions.stream().anyMatch(b -> b.from() != null && b.from().equals(d.to())
                        && b.to() != null && b.to().equals(d.from())))
                .findFirst()
                .ifPresent(d -> r.problem("apply.mode", "'parallel' applies a source transaction in pieces, which a"
                        + " two-way channel cannot do safely (directions " + d.from() + "->" + d.to() + " and back):"
                        + " each site would decide conflicts against half of the other's transaction, and the sites"
                        + " could end apart", "leave 'mode' out ('transactional' is the default) in a two-way channel"));
    }

    /**
     * Two-way links that close a cycle (three sites each linked to both others) give a change two paths to a site,
     * and a change that followed it a third: the checker's three-site mesh ended with the sites apart and writes lost
     * without a record (docs/conflicts.md, "Three or more sites"). Along a tree every change has one path, and each
     * site relays in its own binlog order.
     */
    private void noTwoWayCycle(List<DirectionsSection.RawDirection> directions) {
        if (directions == null) {
            return;
        }
        List<List<String>> links = ChannelConfig.twoWayLinkList(directions.stream()
                .filter(d -> d.from() != null && d.to() != null).map(d -> List.of(d.from(), d.to())).toList());
        List<String> closing = SiteTree.cycleClosedBy(links);
        if (closing != null) {
            String hub = links.get(0).get(0);
            r.problem("directions", "the sites linked both ways form a cycle (" + closing.get(0) + "<->"
                            + closing.get(1) + " closes it): Ferry keeps the sites identical only when every change has"
                            + " one path, and with a cycle a change can overtake another it followed, so sites would"
                            + " end apart and writes be lost without a record",
                    "link the sites as a tree: pick a hub (e.g. '" + hub + "') and list directions both ways only"
                            + " between it and each other site; it relays the others' changes (docs/two-way.md)");
        }
    }

    private ApplyConfig apply(JsonNode node, ShapeBinder binder) {
        if (node == null) {
            return ApplyConfig.DEFAULT;
        }
        ObjectNode a = r.asMap(node, "apply", "write it as a map, e.g. 'apply: { mode: parallel, parallelism: 4 }'");
        if (a == null) {
            return null;
        }
        FileShape.Apply shape = binder.bind(a, "apply", FileShape.Apply.class);
        ApplyConfig.Mode mode = r.enumValue(shape.mode(), "apply", "mode", ApplyConfig.Mode.values(),
                ApplyConfig.Mode::yamlName, ApplyConfig.Mode.TRANSACTIONAL);
        Integer parallelism = r.intValue(shape.parallelism(), "apply", "parallelism", ApplyConfig.DEFAULT_PARALLELISM);
        Integer batchSize = r.intValue(shape.batchSize(), "apply", "batch-size", ApplyConfig.DEFAULT_BATCH_SIZE);
        if (mode == null || parallelism == null || batchSize == null) {
            return null;
        }
        return new ApplyConfig(mode, parallelism, batchSize);
    }
}
