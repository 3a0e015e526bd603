package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.config.DirectionsSection.RawDirection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The MySQL replica server ids of a channel's binlog readers: a site's {@code server-id} (one id or a range),
 * split between the directions reading that site, or ids derived from the channel and direction names. See
 * {@link SiteConfig} for the rules.
 */
final class ServerIds {
    static final long MAX = 4_294_967_295L;
    static final long DERIVED_MIN = 5400;
    static final long DERIVED_MAX = 65000;

    private static final Pattern SERVER_ID = Pattern.compile("(\\d+)(?:\\s*-\\s*(\\d+))?");

    private ServerIds() {}

    /** {@code {start, end}} of a {@code server-id} value, or {@code null} (with a problem recorded). */
    static long[] range(JsonNode v, String path, ConfigReader r) {
        String fix = "write a single id ('server-id: 5400') or a range ('server-id: \"5400-5404\"'), between 1 and "
                + MAX;
        long start;
        long end;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                r.problem(path, "server id " + v.asText() + " is out of range", fix);
                return null;
            }
            start = end = v.longValue();
        } else if (v.isTextual()) {
            Matcher m = SERVER_ID.matcher(v.textValue().trim());
            if (!m.matches()) {
                r.problem(path, "invalid server id '" + v.textValue() + "'", fix);
                return null;
            }
            try {
                start = Long.parseLong(m.group(1));
                end = m.group(2) == null ? start : Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                r.problem(path, "server id '" + v.textValue() + "' is out of range", fix);
                return null;
            }
        } else {
            r.problem(path, "expected a server id or a range, got " + ConfigReader.describe(v), fix);
            return null;
        }
        if (start < 1 || end > MAX || start > MAX) {
            r.problem(path, "server ids must be between 1 and " + MAX + " (got " + start
                    + (end == start ? "" : "-" + end) + ")", fix);
            return null;
        }
        if (start > end) {
            r.problem(path, "the range " + start + "-" + end + " ends before it starts",
                    "write the smaller id first, e.g. '" + end + "-" + start + "'");
            return null;
        }
        return new long[] {start, end};
    }

    /** Gives every direction its server id range: first the sites' ranges, then derived ids around them. */
    static List<DirectionConfig> assign(String channel, Sites sites, List<RawDirection> directions, ConfigReader r) {
        if (channel == null) {
            return List.of();
        }
        Map<RawDirection, long[]> assigned = new HashMap<>();
        List<long[]> used = new ArrayList<>();
        Map<String, List<RawDirection>> bySource = directions.stream()
                .collect(Collectors.groupingBy(RawDirection::from, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, long[]> e : sites.serverIds.entrySet()) {
            List<RawDirection> readers = bySource.getOrDefault(e.getKey(), List.of());
            if (readers.isEmpty()) {
                continue;
            }
            long[] range = e.getValue();
            long width = range[1] - range[0] + 1;
            int k = readers.size();
            if (width < k) {
                r.problem("sites." + e.getKey() + ".server-id", k + " directions read from site '" + e.getKey() + "' ("
                                + readers.stream().map(RawDirection::name).collect(Collectors.joining(", "))
                                + ") but the range " + range[0] + "-" + range[1] + " has only " + width
                                + " id(s); each direction needs its own server id",
                        "use a range with at least " + k + " ids, e.g. '" + range[0] + "-" + (range[0] + k - 1)
                                + "', or remove 'server-id' to let Ferry derive the ids");
                continue;
            }
            long per = width / k;
            for (int i = 0; i < k; i++) {
                long start = range[0] + i * per;
                long[] part = {start, start + per - 1};
                assigned.put(readers.get(i), part);
                used.add(part);
            }
        }
        long span = DERIVED_MAX - DERIVED_MIN + 1;
        for (RawDirection d : directions) {
            if (assigned.containsKey(d) || sites.serverIds.containsKey(d.from())) {
                continue;
            }
            long id = derived(channel, d.from(), d.to());
            long tries = 0;
            while (overlaps(used, id)) {
                id = nextDerived(id);
                if (++tries >= span) {
                    r.problem("sites." + d.from() + ".server-id", "no free server id left in "
                                    + DERIVED_MIN + ".." + DERIVED_MAX + " for direction " + d.name(),
                            "set 'server-id' explicitly");
                    break;
                }
            }
            long[] single = {id, id};
            assigned.put(d, single);
            used.add(single);
        }
        List<DirectionConfig> result = new ArrayList<>();
        for (RawDirection d : directions) {
            long[] range = assigned.get(d);
            if (range != null && d.name() != null) {
                result.add(new DirectionConfig(d.name(), d.from(), d.to(), d.startup(), range[0] + "-" + range[1]));
            }
        }
        return result;
    }

    private static boolean overlaps(List<long[]> used, long id) {
        for (long[] range : used) {
            if (id >= range[0] && id <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server id derived for a direction without an explicit {@code server-id}: a SHA-256 hash of the
     * channel name and {@code from->to}, mapped into {@value #DERIVED_MIN}..{@value #DERIVED_MAX}. (On a clash
     * with another direction of the channel the next free id is used.)
     */
    static long derived(String channel, String from, String to) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((channel + "\n" + from + "->" + to).getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(hash).getLong();
            return DERIVED_MIN + Math.floorMod(v, DERIVED_MAX - DERIVED_MIN + 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    /** The derived id to try after {@code id} is taken, wrapping around at the end of the range. */
    static long nextDerived(long id) {
        return id == DERIVED_MAX ? DERIVED_MIN : id + 1;
    }
}
