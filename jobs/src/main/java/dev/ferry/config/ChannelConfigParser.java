package dev.ferry.config;

import dev.ferry.dialect.schema.IdentifierCase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.config.ChannelConfigException.Problem;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.TableConflictRule;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns channel file text into a {@link ChannelConfig}, collecting every problem on the way. */
final class ChannelConfigParser {
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,32}");
    static final Pattern DIRECTION_NAME = Pattern.compile("[a-zA-Z0-9_.>-]{1,80}");
    static final long MAX_SERVER_ID = 4_294_967_295L;
    static final long DERIVED_SERVER_ID_MIN = 5400;
    static final long DERIVED_SERVER_ID_MAX = 65000;

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)\\}");
    private static final Pattern FILE_REF = Pattern.compile("\\$\\{file:([^}]+)\\}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SERVER_ID = Pattern.compile("(\\d+)(?:\\s*-\\s*(\\d+))?");
    private static final Pattern URI_SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

    private static final List<String> URL_PREFIXES =
            // a longer prefix comes after its shorter form: the last match wins
            List.of("jdbc:mysql://", "jdbc:mariadb://", "jdbc:postgresql://", "jdbc:oracle:thin:@", "jdbc:oracle:thin:@//");
    private static final List<String> TOP_KEYS = List.of(
            "channel", "sites", "directions", "tables", "state-dir", "checkpoint-interval", "apply", "conflicts");
    private static final List<String> SITE_KEYS =
            List.of("url", "user", "password", "password-file", "server-id", "time-zone", "tls", "identifiers");
    private static final List<String> TLS_KEYS =
            List.of("mode", "trust-store", "trust-store-password", "trust-store-password-file");
    private static final List<String> DIRECTION_KEYS = List.of("name", "from", "to", "startup");
    private static final List<String> TABLES_KEYS = List.of("include", "exclude");
    private static final List<String> APPLY_KEYS = List.of("mode", "parallelism", "batch-size");
    private static final List<String> CONFLICTS_KEYS = List.of("default", "tables");
    private static final List<String> CONFLICT_POLICY_KEYS = List.of("priority", "newer-wins", "policy");
    private static final List<String> CONFLICT_RULE_KEYS = List.of("priority", "newer-wins", "policy", "compare");
    private static final List<String> CONFLICT_TABLE_KEYS =
            List.of("match", "priority", "newer-wins", "policy", "compare");

    private static final ObjectMapper MAPPER =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final String source;
    private final Function<String, String> env;
    private final List<Problem> problems = new ArrayList<>();

    ChannelConfigParser(String source, Function<String, String> env) {
        this.source = source == null ? "<channel file>" : source;
        this.env = env;
    }

    ChannelConfig parse(String yaml) {
        JsonNode root = readYaml(yaml);
        if (root == null) {
            throw fail();
        }
        ObjectNode top = asMap(root, "(root)",
                "write the channel file as a map with the keys " + String.join(", ", TOP_KEYS));
        if (top == null) {
            throw fail();
        }
        rejectUnknownKeys(top, "", TOP_KEYS);

        String channel = channelName(top);
        Sites sites = sites(top);
        List<RawDirection> rawDirections = directions(top, sites);
        TableFilter tableFilter = tables(top);
        Path stateDir = stateDir(top, channel);
        Duration checkpointInterval = checkpointInterval(top);
        ApplyConfig apply = apply(top);
        ConflictConfig conflicts = conflicts(top, sites);
        List<DirectionConfig> directions = resolveServerIds(channel, sites, rawDirections);

        if (!problems.isEmpty()) {
            throw fail();
        }
        return new ChannelConfig(
                source, channel, sites.valid, directions, tableFilter, stateDir, checkpointInterval, apply,
                conflicts);
    }

    private ChannelConfigException fail() {
        return new ChannelConfigException(source, problems);
    }

    private void problem(String path, String problem, String fix) {
        problems.add(new Problem(path, problem, fix));
    }

    // ------------------------------------------------------------------ YAML

    private JsonNode readYaml(String yaml) {
        try {
            JsonNode root = MAPPER.readTree(yaml == null ? "" : yaml);
            if (root == null || root.isMissingNode() || root.isNull()) {
                problem("(file)", "the file is empty",
                        "write a channel file with at least 'channel', 'sites', 'directions' and 'tables'");
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            yamlProblem(e);
            return null;
        }
    }

    private void yamlProblem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            JsonStreamContext context = parser.getParsingContext();
            String key = context == null ? null : context.getCurrentName();
            String path = context == null ? "(file)" : pathOf(context);
            String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            problem(path, "the key '" + key + "' appears more than once" + line,
                    "keep only one '" + key + "' entry");
            return;
        }
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException yamlError) {
            Mark mark = yamlError.getProblemMark() != null ? yamlError.getProblemMark() : yamlError.getContextMark();
            String where = mark == null ? "(file)" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String context = yamlError.getContext();
            String what = (context == null ? "" : context + ": ") + yamlError.getProblem();
            problem(where, "invalid YAML: " + what.replaceAll("\\s+", " ").trim(),
                    "fix the YAML syntax (check indentation, colons, quotes and brackets)");
            return;
        }
        String where = e.getLocation() == null
                ? "(file)"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String firstLine = message.lines().findFirst().orElse(message);
        problem(where, "invalid YAML: " + firstLine, "fix the YAML syntax (check indentation, colons, quotes and brackets)");
    }

    /** {@code sites.sh.url} / {@code directions[0].to} for a Jackson parsing context. */
    private static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject()) {
                parts.push(c.getCurrentName() == null ? "?" : c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (!part.startsWith("[") && sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part);
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    // ------------------------------------------------------------------ top level

    private String channelName(ObjectNode top) {
        String channel = text(top, "", "channel", true, "demo");
        if (channel != null && !NAME.matcher(channel).matches()) {
            problem("channel", "invalid channel name '" + channel
                            + "': use 1 to 32 letters, digits, '_' or '-'",
                    "rename the channel, e.g. 'channel: shop-sync'");
            return null;
        }
        return channel;
    }

    private Path stateDir(ObjectNode top, String channel) {
        String path = "state-dir";
        if (!top.has(path)) {
            return Path.of("ferry-state", channel == null ? "channel" : channel).toAbsolutePath().normalize();
        }
        String raw = text(top, "", path, false, "/var/lib/ferry/" + (channel == null ? "demo" : channel));
        if (raw == null) {
            return null;
        }
        Matcher scheme = URI_SCHEME.matcher(raw);
        try {
            if (scheme.matches()) {
                if (!scheme.group(1).equalsIgnoreCase("file")) {
                    problem(path, "'" + scheme.group(1) + "://' locations are not supported",
                            "use a local directory or a mounted shared file system path, e.g. '/var/lib/ferry/"
                                    + (channel == null ? "demo" : channel) + "'");
                    return null;
                }
                return Path.of(URI.create(raw)).toAbsolutePath().normalize();
            }
            if (raw.startsWith("~")) {
                problem(path, "'~' is not expanded to the home directory", "write the full path");
                return null;
            }
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            problem(path, "invalid path '" + raw + "' (" + e.getMessage() + ")", "write a valid directory path");
            return null;
        }
    }

    private Duration checkpointInterval(ObjectNode top) {
        String path = "checkpoint-interval";
        JsonNode v = top.get(path);
        if (v == null) {
            return ChannelConfig.DEFAULT_CHECKPOINT_INTERVAL;
        }
        String fix = "write a whole number followed by ms, s, m or h, e.g. '500ms', '1s' or '2m'";
        if (v.isIntegralNumber()) {
            problem(path, "'" + v.asText() + "' has no unit",
                    "add a unit, e.g. '" + v.asText() + "ms' or '" + v.asText() + "s'");
            return null;
        }
        if (!v.isTextual()) {
            problem(path, "expected a duration such as '1s', got " + describe(v), fix);
            return null;
        }
        String text = v.textValue().trim();
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            problem(path, "invalid duration '" + text + "'", fix);
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
            problem(path, "duration '" + text + "' is too large", fix);
            return null;
        }
        if (d.compareTo(ChannelConfig.MIN_CHECKPOINT_INTERVAL) < 0) {
            problem(path, "must be at least 100ms (got '" + text + "')", "use 100ms or more (the default is 1s)");
            return null;
        }
        return d;
    }

    private ApplyConfig apply(ObjectNode top) {
        JsonNode node = top.get("apply");
        if (node == null) {
            return ApplyConfig.DEFAULT;
        }
        ObjectNode a = asMap(node, "apply", "write it as a map, e.g. 'apply: { mode: parallel, parallelism: 4 }'");
        if (a == null) {
            return null;
        }
        rejectUnknownKeys(a, "apply", APPLY_KEYS);
        ApplyConfig.Mode mode = enumValue(a, "apply", "mode", ApplyConfig.Mode.values(),
                ApplyConfig.Mode::yamlName, ApplyConfig.Mode.TRANSACTIONAL);
        Integer parallelism = intValue(a, "apply", "parallelism", ApplyConfig.DEFAULT_PARALLELISM);
        Integer batchSize = intValue(a, "apply", "batch-size", ApplyConfig.DEFAULT_BATCH_SIZE);
        if (mode == null || parallelism == null || batchSize == null) {
            return null;
        }
        return new ApplyConfig(mode, parallelism, batchSize);
    }

    // ------------------------------------------------------------------ sites

    /** Result of parsing {@code sites}. */
    private static final class Sites {
        /** True if {@code sites} is a map, so that direction references can be checked. */
        boolean checkable;
        /** All site names (keys), valid or not, in file order. */
        final Set<String> names = new LinkedHashSet<>();
        /** Sites without problems. */
        final Map<String, SiteConfig> valid = new LinkedHashMap<>();
        /** Successfully parsed {@code server-id} ranges by site. */
        final Map<String, long[]> serverIds = new LinkedHashMap<>();
    }

    private Sites sites(ObjectNode top) {
        Sites sites = new Sites();
        JsonNode node = top.get("sites");
        if (node == null) {
            missing("sites", "sites",
                    "{ sh: { url: \"jdbc:mysql://host:3306\", user: ferry, password: \"${env:SH_PASSWORD}\" } }");
            return sites;
        }
        ObjectNode m = asMap(node, "sites",
                "write 'sites' as a map from site name to settings, e.g. 'sites: { sh: { url: ..., user: ..., password: ... } }'");
        if (m == null) {
            return sites;
        }
        sites.checkable = true;
        if (m.isEmpty()) {
            problem("sites", "no sites are defined", "add at least one site, e.g. "
                    + "'sh: { url: \"jdbc:mysql://host:3306\", user: ferry, password: \"${env:SH_PASSWORD}\" }'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sites.names.add(e.getKey());
            SiteConfig site = site(e.getKey(), e.getValue(), sites);
            if (site != null) {
                sites.valid.put(site.name(), site);
            }
        }
        return sites;
    }

    private SiteConfig site(String name, JsonNode node, Sites sites) {
        String path = "sites." + name;
        int before = problems.size();
        if (!NAME.matcher(name).matches()) {
            problem(path, "invalid site name '" + name + "': use 1 to 32 letters, digits, '_' or '-'",
                    "rename the site, e.g. 'sh' or 'us-east'");
        }
        ObjectNode m = asMap(node, path, "write the site as a map, e.g. '" + name
                + ": { url: \"jdbc:mysql://host:3306\", user: ferry, password: \"${env:PASSWORD}\" }'");
        if (m == null) {
            return null;
        }
        rejectUnknownKeys(m, path, SITE_KEYS);
        String owner = "site '" + name + "'";

        String url = text(m, path, "url", true, "\"jdbc:mysql://db.example.com:3306\"");
        HostPort hostPort = url == null ? null : parseUrl(url, path + ".url");
        String user = text(m, path, "user", true, "ferry");
        Secret password = secret(m, path, "password", "password-file", true, owner, "password");

        String serverId = null;
        JsonNode serverIdNode = m.get("server-id");
        if (serverIdNode != null) {
            long[] range = serverIdRange(serverIdNode, path + ".server-id");
            if (range != null) {
                sites.serverIds.put(name, range);
                serverId = range[0] + "-" + range[1];
            }
        }

        String timeZone = text(m, path, "time-zone", false, "\"+08:00\"");
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                problem(path + ".time-zone", "invalid time zone '" + timeZone + "' (" + e.getMessage() + ")",
                        "use a UTC offset like '+08:00' or a region ID like 'Asia/Shanghai'");
            }
        }

        TlsConfig tls = TlsConfig.DEFAULT;
        JsonNode tlsNode = m.get("tls");
        if (tlsNode != null) {
            tls = tls(tlsNode, path + ".tls", owner);
        }

        IdentifierCase identifiers = null;
        if (m.has("identifiers")) {
            identifiers = enumValue(m, path, "identifiers", IdentifierCase.values(),
                    c -> c.name().toLowerCase(Locale.ROOT), (IdentifierCase) null);
            if (identifiers != null && url != null && SiteConfig.Kind.ofUrl(url).hasBinlog()) {
                problem(path + ".identifiers", "'identifiers' applies to PostgreSQL and Oracle targets only; MySQL"
                        + " and MariaDB sites keep the source's names", "remove 'identifiers' from this site");
            }
        }

        if (problems.size() != before) {
            return null;
        }
        return new SiteConfig(name, url, hostPort.host, hostPort.port, user, password, serverId, timeZone, tls,
                identifiers);
    }

    private record HostPort(String host, int port) {}

    private HostPort parseUrl(String url, String path) {
        String example = "write it like 'jdbc:mysql://db.example.com:3306'";
        String rest = null;
        for (String prefix : URL_PREFIXES) {
            if (url.startsWith(prefix)) {
                rest = url.substring(prefix.length());
            }
        }
        if (rest == null) {
            problem(path, "the URL must start with 'jdbc:mysql://' or 'jdbc:mariadb://' (a source or target), or"
                    + " 'jdbc:postgresql://' or 'jdbc:oracle:thin:@//' (a target only)", example);
            return null;
        }
        SiteConfig.Kind kind = SiteConfig.Kind.ofUrl(url);
        if (kind != SiteConfig.Kind.MYSQL && kind != SiteConfig.Kind.MARIADB) {
            example = kind == SiteConfig.Kind.ORACLE ? "write it like 'jdbc:oracle:thin:@//db.example.com:1521/FREEPDB1'"
                    : "write it like 'jdbc:postgresql://db.example.com:5432/warehouse'";
            int slash = rest.indexOf('/');
            if (slash < 0 || slash == rest.length() - 1) {
                problem(path, "the URL names no database" + (kind == SiteConfig.Kind.ORACLE ? " service" : ""),
                        example);
                return null;
            }
        }
        boolean ok = true;
        int q = rest.indexOf('?');
        String query = q >= 0 ? rest.substring(q + 1) : "";
        String beforeQuery = q >= 0 ? rest.substring(0, q) : rest;
        for (String param : query.split("[&;]")) {
            String key = param.split("=", 2)[0].trim();
            if (key.toLowerCase(Locale.ROOT).contains("password")) {
                problem(path, "the URL contains a password (query property '" + key
                                + "'); secrets must not be written in the URL",
                        "remove '" + key + "=...' from the URL and use 'password' or 'password-file' instead");
                ok = false;
            }
        }
        int slash = beforeQuery.indexOf('/');
        String authority = slash >= 0 ? beforeQuery.substring(0, slash) : beforeQuery;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (authority.substring(0, at).contains(":")) {
                problem(path, "the URL contains a password ('user:password@'); secrets must not be written in the URL",
                        "remove the credentials from the URL and use 'user' and 'password' or 'password-file' instead");
            } else {
                problem(path, "the URL contains a user name ('user@')", "remove it from the URL and use 'user' instead");
            }
            ok = false;
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            problem(path, "the URL has no host", example);
            return null;
        }
        if (authority.contains(",")) {
            problem(path, "the URL names several hosts; a site is exactly one server",
                    "keep a single host (and port) in the URL");
            return null;
        }
        String host;
        String portText = null;
        boolean hostOk;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
            String after = close < 0 ? "" : authority.substring(close + 1);
            hostOk = close >= 0 && IPV6.matcher(host).matches() && (after.isEmpty() || after.startsWith(":"));
            if (after.startsWith(":")) {
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : null;
            hostOk = HOST_NAME.matcher(host).matches();
        }
        if (!hostOk) {
            problem(path, "cannot read the host from the URL (got '" + authority + "')",
                    example + " (IPv6 addresses in brackets: 'jdbc:mysql://[::1]:3306')");
            return null;
        }
        int port = kind.defaultPort();
        if (portText != null) {
            int p = portText.matches("\\d{1,5}") ? Integer.parseInt(portText) : -1;
            if (p < 1 || p > 65535) {
                problem(path, "invalid port '" + portText + "' in the URL", "use a port between 1 and 65535, e.g. 3306");
                return null;
            }
            port = p;
        }
        return ok ? new HostPort(host, port) : null;
    }

    private long[] serverIdRange(JsonNode v, String path) {
        String fix = "write a single id ('server-id: 5400') or a range ('server-id: \"5400-5404\"'), between 1 and "
                + MAX_SERVER_ID;
        long start;
        long end;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                problem(path, "server id " + v.asText() + " is out of range", fix);
                return null;
            }
            start = end = v.longValue();
        } else if (v.isTextual()) {
            Matcher m = SERVER_ID.matcher(v.textValue().trim());
            if (!m.matches()) {
                problem(path, "invalid server id '" + v.textValue() + "'", fix);
                return null;
            }
            try {
                start = Long.parseLong(m.group(1));
                end = m.group(2) == null ? start : Long.parseLong(m.group(2));
            } catch (NumberFormatException e) {
                problem(path, "server id '" + v.textValue() + "' is out of range", fix);
                return null;
            }
        } else {
            problem(path, "expected a server id or a range, got " + describe(v), fix);
            return null;
        }
        if (start < 1 || end > MAX_SERVER_ID || start > MAX_SERVER_ID) {
            problem(path, "server ids must be between 1 and " + MAX_SERVER_ID + " (got " + start
                    + (end == start ? "" : "-" + end) + ")", fix);
            return null;
        }
        if (start > end) {
            problem(path, "the range " + start + "-" + end + " ends before it starts",
                    "write the smaller id first, e.g. '" + end + "-" + start + "'");
            return null;
        }
        return new long[] {start, end};
    }

    private TlsConfig tls(JsonNode node, String path, String owner) {
        ObjectNode t = asMap(node, path, "write it as a map, e.g. 'tls: { mode: verify-ca, trust-store: /etc/ferry/ca.p12 }'");
        if (t == null) {
            return null;
        }
        int before = problems.size();
        rejectUnknownKeys(t, path, TLS_KEYS);
        TlsConfig.Mode mode = enumValue(t, path, "mode", TlsConfig.Mode.values(), TlsConfig.Mode::yamlName,
                TlsConfig.Mode.PREFERRED);
        String trustStore = text(t, path, "trust-store", false, "/etc/ferry/truststore.p12");
        Secret trustStorePassword = secret(t, path, "trust-store-password", "trust-store-password-file", false,
                owner, "trust store password");
        if (!t.has("trust-store")) {
            for (String key : List.of("trust-store-password", "trust-store-password-file")) {
                if (t.has(key)) {
                    problem(path + "." + key, "a trust store password is set but 'trust-store' is not",
                            "add 'trust-store: /path/to/truststore' or remove '" + key + "'");
                }
            }
        }
        if (mode == TlsConfig.Mode.DISABLED && t.has("trust-store")) {
            problem(path + ".trust-store", "'trust-store' is set but 'mode' is 'disabled'",
                    "remove 'trust-store', or set 'mode' to required, verify-ca or verify-identity");
        }
        if (problems.size() != before) {
            return null;
        }
        return new TlsConfig(mode, trustStore, trustStorePassword);
    }

    // ------------------------------------------------------------------ secrets

    /**
     * Resolves a secret given either as {@code key: "${env:NAME}"}, {@code key: "${file:/path}"} or
     * {@code fileKey: /path}. Problem texts never contain the secret.
     */
    private Secret secret(ObjectNode m, String parent, String key, String fileKey, boolean required,
                          String owner, String what) {
        JsonNode inline = m.get(key);
        JsonNode file = m.get(fileKey);
        String keyPath = parent + "." + key;
        String filePath = parent + "." + fileKey;
        String useRefs = "write '" + key + ": \"${env:VARIABLE}\"' and set VARIABLE in the environment, or '"
                + key + ": \"${file:/path}\"', or '" + fileKey + ": /path/to/file'";
        if (inline != null && file != null) {
            problem(keyPath, "both '" + key + "' and '" + fileKey + "' are set", "keep only one of them");
            return null;
        }
        if (inline == null && file == null) {
            if (required) {
                problem(keyPath, "required key is missing (set '" + key + "' or '" + fileKey + "')",
                        "add '" + key + ": \"${env:VARIABLE}\"' or '" + fileKey + ": /path/to/file'");
            }
            return null;
        }
        if (file != null) {
            String path = text(m, parent, fileKey, true, "/etc/ferry/secret");
            return path == null ? null : readSecretFile(path, filePath, owner, what);
        }
        if (inline.isContainerNode() || inline.isNull()) {
            problem(keyPath, "expected text such as \"${env:VARIABLE}\", got " + describe(inline), useRefs);
            return null;
        }
        if (!inline.isTextual()) {
            problem(keyPath, "literal " + what + "s are not allowed in channel files (they end up in job parameters)",
                    useRefs);
            return null;
        }
        String value = inline.textValue().trim();
        Matcher envRef = ENV_REF.matcher(value);
        if (envRef.matches()) {
            String variable = envRef.group(1);
            String resolved = env.apply(variable);
            if (resolved == null) {
                problem(keyPath, owner + ": environment variable '" + variable + "' is not set",
                        "set " + variable + " in the environment of the process that runs Ferry, or use '"
                                + fileKey + "'");
                return null;
            }
            if (resolved.isEmpty()) {
                problem(keyPath, owner + ": environment variable '" + variable + "' is empty",
                        "set " + variable + " to the " + what);
                return null;
            }
            return Secret.of(resolved);
        }
        Matcher fileRef = FILE_REF.matcher(value);
        if (fileRef.matches()) {
            return readSecretFile(fileRef.group(1).trim(), keyPath, owner, what);
        }
        if (value.contains("${")) {
            problem(keyPath, "unsupported placeholder; only \"${env:NAME}\" and \"${file:/path}\" are supported",
                    "write \"${env:NAME}\" (NAME made of letters, digits and '_'), \"${file:/path}\", or use '"
                            + fileKey + "'");
            return null;
        }
        problem(keyPath, "literal " + what + "s are not allowed in channel files (they end up in job parameters)",
                useRefs);
        return null;
    }

    private Secret readSecretFile(String pathText, String path, String owner, String what) {
        String prefix = owner + ": " + what + " file '" + pathText + "'";
        Path file;
        try {
            file = Path.of(pathText);
        } catch (InvalidPathException e) {
            problem(path, prefix + " is not a valid path", "fix the path");
            return null;
        }
        if (!Files.exists(file)) {
            problem(path, prefix + " does not exist",
                    "create the file (containing only the " + what + ") or fix the path");
            return null;
        }
        if (Files.isDirectory(file)) {
            problem(path, prefix + " is a directory", "point to the file that contains the " + what);
            return null;
        }
        String content;
        try {
            byte[] bytes = Files.readAllBytes(file);
            content = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (AccessDeniedException e) {
            problem(path, prefix + " cannot be read (permission denied)",
                    "make the file readable by the user that runs Ferry");
            return null;
        } catch (CharacterCodingException e) {
            problem(path, prefix + " is not UTF-8 text", "save the " + what + " as UTF-8 text");
            return null;
        } catch (IOException e) {
            problem(path, prefix + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the file is readable by the user that runs Ferry");
            return null;
        }
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            problem(path, prefix + " is empty", "write the " + what + " into the file");
            return null;
        }
        return Secret.of(content.substring(0, end));
    }

    // ------------------------------------------------------------------ directions

    private record RawDirection(String path, String name, String from, String to, DirectionConfig.Startup startup) {}

    private List<RawDirection> directions(ObjectNode top, Sites sites) {
        List<RawDirection> result = new ArrayList<>();
        List<String> names = new ArrayList<>(sites.names);
        String a = names.isEmpty() ? "sh" : names.get(0);
        String b = names.size() < 2 ? "us" : names.get(1);
        String example = "- { from: " + a + ", to: " + b + " }";
        JsonNode node = top.get("directions");
        if (node == null) {
            missing("directions", "directions", "[{ from: " + a + ", to: " + b + " }]");
            return result;
        }
        if (!node.isArray()) {
            wrongType("directions", node, "a list",
                    "write a list with one entry per direction, e.g. '" + example + "'");
            return result;
        }
        if (node.isEmpty()) {
            problem("directions", "the list is empty; at least one direction is required", "add e.g. '" + example + "'");
        }
        Map<String, String> pairs = new HashMap<>();
        Map<String, String> directionNames = new HashMap<>();
        String seedSite = null; // the only site whose directions may take an initial snapshot
        for (int i = 0; i < node.size(); i++) {
            String path = "directions[" + i + "]";
            ObjectNode d = asMap(node.get(i), path, "write each direction as a map, e.g. '" + example + "'");
            if (d == null) {
                continue;
            }
            int before = problems.size();
            rejectUnknownKeys(d, path, DIRECTION_KEYS);
            String from = text(d, path, "from", true, a);
            String to = text(d, path, "to", true, b);
            if (from != null) {
                checkSiteReference(from, path + ".from", sites);
                SiteConfig fromSite = sites.valid.get(from);
                if (fromSite != null && !fromSite.kind().hasBinlog()) {
                    problem(path + ".from", "site '" + from + "' is a " + fromSite.kind().displayName() + " database;"
                            + " Ferry reads changes from MySQL and MariaDB binlogs only, so " + fromSite.kind()
                            .displayName() + " can only be a target", "remove this direction, or make '" + from
                            + "' its 'to'");
                }
            }
            if (to != null) {
                checkSiteReference(to, path + ".to", sites);
            }
            if (from != null && from.equals(to)) {
                problem(path + ".to", "'from' and 'to' are both '" + from
                        + "'; a direction must connect two different sites", "set 'to' to another site");
            }
            if (seedSite == null) {
                seedSite = from;
            }
            boolean fromSeed = from == null || from.equals(seedSite);
            DirectionConfig.Startup startup = enumValue(d, path, "startup", DirectionConfig.Startup.values(),
                    DirectionConfig.Startup::yamlName,
                    fromSeed ? DirectionConfig.Startup.INITIAL : DirectionConfig.Startup.LATEST);
            if (!fromSeed && startup == DirectionConfig.Startup.INITIAL) {
                problem(path + ".startup", "only directions from one site may take an initial snapshot, and that is '"
                        + seedSite + "' (the source of the first direction). A snapshot from '" + from + "' as well"
                        + " would copy rows that are not stamped, so they could overwrite newer changes that arrived"
                        + " from '" + seedSite + "' in the meantime", "use 'startup: latest' here (the default for"
                        + " directions not from '" + seedSite + "'), or list a direction from '" + from + "' first");
            }
            String name = text(d, path, "name", false, "sh-to-us");
            if (name != null && !DIRECTION_NAME.matcher(name).matches()) {
                problem(path + ".name", "invalid direction name '" + name
                                + "': use 1 to 80 letters, digits, '_', '-', '.' or '>'",
                        "rename it, e.g. 'sh-to-us', or remove 'name' to use '<from>-><to>'");
                name = null;
            } else if (name == null && !d.has("name") && from != null && to != null) {
                name = DirectionConfig.defaultName(from, to);
            }
            if (from != null && to != null) {
                String pair = from + "->" + to;
                String previous = pairs.putIfAbsent(pair, path);
                if (previous != null) {
                    problem(path, "duplicate direction from '" + from + "' to '" + to + "' (already defined at "
                            + previous + ")", "remove one of them");
                } else if (name != null) {
                    String previousName = directionNames.putIfAbsent(name, path);
                    if (previousName != null) {
                        problem(d.has("name") ? path + ".name" : path, "direction name '" + name
                                        + "' is already used by " + previousName,
                                "give each direction a unique 'name'");
                    }
                }
            }
            if (problems.size() == before) {
                result.add(new RawDirection(path, name, from, to, startup));
            }
        }
        return result;
    }

    private void checkSiteReference(String site, String path, Sites sites) {
        if (!sites.checkable || sites.names.contains(site)) {
            return;
        }
        String defined = sites.names.isEmpty() ? "none" : String.join(", ", sites.names);
        String suggestion = closest(site, List.copyOf(sites.names));
        problem(path, "site '" + site + "' is not defined in 'sites' (defined: " + defined + ")",
                "use one of the defined sites" + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
                        + ", or add '" + site + "' under 'sites'");
    }

    /** Gives every direction its server id range; see {@link SiteConfig} for the rules. */
    private List<DirectionConfig> resolveServerIds(String channel, Sites sites, List<RawDirection> directions) {
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
                problem("sites." + e.getKey() + ".server-id", k + " directions read from site '" + e.getKey() + "' ("
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
                long[] r = {start, start + per - 1};
                assigned.put(readers.get(i), r);
                used.add(r);
            }
        }
        long span = DERIVED_SERVER_ID_MAX - DERIVED_SERVER_ID_MIN + 1;
        for (RawDirection d : directions) {
            if (assigned.containsKey(d) || sites.serverIds.containsKey(d.from())) {
                continue;
            }
            long id = derivedServerId(channel, d.from(), d.to());
            long tries = 0;
            while (overlaps(used, id)) {
                id = id == DERIVED_SERVER_ID_MAX ? DERIVED_SERVER_ID_MIN : id + 1;
                if (++tries >= span) {
                    problem("sites." + d.from() + ".server-id", "no free server id left in "
                                    + DERIVED_SERVER_ID_MIN + ".." + DERIVED_SERVER_ID_MAX + " for direction " + d.name(),
                            "set 'server-id' explicitly");
                    break;
                }
            }
            long[] r = {id, id};
            assigned.put(d, r);
            used.add(r);
        }
        List<DirectionConfig> result = new ArrayList<>();
        for (RawDirection d : directions) {
            long[] r = assigned.get(d);
            if (r != null && d.name() != null) {
                result.add(new DirectionConfig(d.name(), d.from(), d.to(), d.startup(), r[0] + "-" + r[1]));
            }
        }
        return result;
    }

    private static boolean overlaps(List<long[]> used, long id) {
        for (long[] r : used) {
            if (id >= r[0] && id <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server id derived for a direction without an explicit {@code server-id}: a SHA-256 hash of the
     * channel name and {@code from->to}, mapped into {@value #DERIVED_SERVER_ID_MIN}..{@value
     * #DERIVED_SERVER_ID_MAX}. (On a clash with another direction of the channel the next free id is used.)
     */
    static long derivedServerId(String channel, String from, String to) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((channel + "\n" + from + "->" + to).getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(hash).getLong();
            return DERIVED_SERVER_ID_MIN + Math.floorMod(v, DERIVED_SERVER_ID_MAX - DERIVED_SERVER_ID_MIN + 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    // ------------------------------------------------------------------ tables

    private TableFilter tables(ObjectNode top) {
        JsonNode node = top.get("tables");
        if (node == null) {
            missing("tables", "tables", "{ include: ['shop\\..*'] }");
            return null;
        }
        ObjectNode t = asMap(node, "tables", "write it as a map, e.g. 'tables: { include: [\"shop\\\\..*\"] }'");
        if (t == null) {
            return null;
        }
        rejectUnknownKeys(t, "tables", TABLES_KEYS);
        List<String> include = regexList(t, "include", true);
        List<String> exclude = regexList(t, "exclude", false);
        if (include == null || exclude == null) {
            return null;
        }
        return TableFilter.of(include, exclude);
    }

    private List<String> regexList(ObjectNode t, String key, boolean required) {
        String path = "tables." + key;
        String example = key + ": ['shop\\..*']";
        JsonNode node = t.get(key);
        if (node == null) {
            if (required) {
                missing(path, key, "['shop\\..*']");
                return null;
            }
            return List.of();
        }
        if (!node.isArray()) {
            wrongType(path, node, "a list of regular expressions", "write a list, e.g. '" + example + "'");
            return null;
        }
        if (required && node.isEmpty()) {
            problem(path, "the list is empty; at least one regular expression is required", "add e.g. '" + example + "'");
            return null;
        }
        List<String> result = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            String itemPath = path + "[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isTextual() || item.textValue().isEmpty()) {
                problem(itemPath, item.isTextual() ? "the regular expression is empty"
                                : "expected a regular expression (text), got " + describe(item),
                        "write a quoted regular expression matched against 'database.table', e.g. 'shop\\..*'");
                ok = false;
                continue;
            }
            if (validRegex(item.textValue(), itemPath)) {
                result.add(item.textValue());
            } else {
                ok = false;
            }
        }
        return ok ? result : null;
    }

    /** Whether {@code regex} compiles; records a problem at {@code path} if it does not. */
    private boolean validRegex(String regex, String path) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            problem(path, "invalid regular expression '" + regex + "': " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""),
                    "fix the regular expression (Java syntax; escape dots as '\\.' and use single quotes in YAML)");
            return false;
        }
    }

    // ------------------------------------------------------------------ conflicts

    /** Values of {@code compare} in a conflict rule. */
    private enum Compare { ALL, VERSION }

    private ConflictConfig conflicts(ObjectNode top, Sites sites) {
        String first = sites.names.isEmpty() ? null : sites.names.iterator().next();
        TableConflictRule defaultRule =
                first == null ? null : new TableConflictRule(ConflictPolicy.priority(first), true);
        JsonNode node = top.get("conflicts");
        if (node == null) {
            return defaultRule == null ? null : new ConflictConfig(defaultRule, List.of());
        }
        String home = first == null ? "sh" : first; // for examples in messages
        ObjectNode c = asMap(node, "conflicts",
                "write it as a map, e.g. 'conflicts: { default: { priority: " + home + " } }'");
        if (c == null) {
            return null;
        }
        int before = problems.size();
        rejectUnknownKeys(c, "conflicts", CONFLICTS_KEYS);
        if (c.has("default")) {
            ObjectNode d = asMap(c.get("default"), "conflicts.default",
                    "write it as a map, e.g. 'default: { priority: " + home + " }'");
            defaultRule = d == null ? null : conflictRule(d, "conflicts.default", CONFLICT_RULE_KEYS, sites, home);
        }
        List<ConflictConfig.TableRule> tables = new ArrayList<>();
        JsonNode list = c.get("tables");
        String entryExample = "- { match: 'shop\\.orders', newer-wins: updated_at }";
        if (list != null && !list.isArray()) {
            wrongType("conflicts.tables", list, "a list",
                    "write a list with one entry per table pattern, e.g. '" + entryExample + "'");
        }
        for (int i = 0; list != null && list.isArray() && i < list.size(); i++) {
            String path = "conflicts.tables[" + i + "]";
            ObjectNode t = asMap(list.get(i), path, "write each entry as a map, e.g. '" + entryExample + "'");
            if (t == null) {
                continue;
            }
            String match = text(t, path, "match", true, "shop\\.orders");
            boolean matchOk = match != null && validRegex(match, path + ".match");
            TableConflictRule rule = conflictRule(t, path, CONFLICT_TABLE_KEYS, sites, home);
            if (matchOk && rule != null) {
                tables.add(new ConflictConfig.TableRule(match, rule));
            }
        }
        if (problems.size() != before || defaultRule == null) {
            return null;
        }
        return new ConflictConfig(defaultRule, tables);
    }

    /** {@code conflicts.default} or an entry of {@code conflicts.tables}; {@code null} if it has problems. */
    private TableConflictRule conflictRule(ObjectNode m, String path, List<String> keys, Sites sites, String home) {
        int before = problems.size();
        rejectUnknownKeys(m, path, keys);
        List<String> policies = CONFLICT_POLICY_KEYS.stream().filter(m::has).toList();
        ConflictPolicy policy = null;
        if (policies.isEmpty()) {
            problem(path, "no conflict policy is set", "add exactly one of 'priority: " + home
                    + "', 'newer-wins: <column>' or 'policy: source-wins|target-wins|manual'");
        } else if (policies.size() > 1) {
            problem(path, "more than one policy is set (" + String.join(", ", policies) + "); a rule takes exactly one",
                    "keep only one of " + String.join(", ", policies));
        } else {
            policy = conflictPolicy(m, path, policies.get(0), sites, home);
        }
        Compare compare = enumValue(m, path, "compare", Compare.values(),
                v -> v.name().toLowerCase(Locale.ROOT), Compare.ALL);
        if (compare == Compare.VERSION && !m.has("newer-wins")) {
            problem(path + ".compare", "'compare: version' compares only the key and the 'newer-wins' column, "
                            + "but this rule has no 'newer-wins'",
                    "set 'newer-wins: <column>', or remove 'compare' to compare all columns");
        }
        if (problems.size() != before || policy == null) {
            return null;
        }
        return new TableConflictRule(policy, compare == Compare.ALL);
    }

    private ConflictPolicy conflictPolicy(ObjectNode m, String path, String key, Sites sites, String home) {
        switch (key) {
            case "priority" -> {
                String site = text(m, path, key, true, home);
                if (site != null) {
                    checkSiteReference(site, path + "." + key, sites);
                }
                return site == null ? null : ConflictPolicy.priority(site);
            }
            case "newer-wins" -> {
                String column = text(m, path, key, true, "updated_at");
                return column == null ? null : ConflictPolicy.newerWins(column);
            }
            default -> {
                String value = text(m, path, key, true, "target-wins");
                if (value == null) {
                    return null;
                }
                for (ConflictPolicy.Kind kind : ConflictPolicy.Kind.values()) {
                    if (!kind.configName().equalsIgnoreCase(value)) {
                        continue;
                    }
                    if (CONFLICT_POLICY_KEYS.contains(kind.configName())) { // priority, newer-wins
                        boolean priority = kind == ConflictPolicy.Kind.PRIORITY;
                        problem(path + "." + key, "'" + value + "' is not a value of 'policy': it needs "
                                        + (priority ? "the site that wins" : "the column to compare"),
                                "write '" + kind.configName() + ": " + (priority ? home : "<column>")
                                        + "' instead of 'policy: " + value + "'");
                        return null;
                    }
                    return ConflictPolicy.of(kind);
                }
                List<String> allowed = Stream.of(ConflictPolicy.Kind.values()).map(ConflictPolicy.Kind::configName)
                        .filter(name -> !CONFLICT_POLICY_KEYS.contains(name)).toList();
                String suggestion = closest(value, allowed);
                problem(path + "." + key, "unknown value '" + value + "'"
                                + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"),
                        "use one of: " + String.join(", ", allowed)
                                + ", or write 'priority: <site>' or 'newer-wins: <column>' instead of 'policy'");
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ generic helpers

    private ObjectNode asMap(JsonNode node, String path, String fix) {
        if (node.isObject()) {
            return (ObjectNode) node;
        }
        wrongType(path, node, "a map", fix);
        return null;
    }

    private void wrongType(String path, JsonNode node, String expected, String fix) {
        problem(path, "expected " + expected + ", got " + describe(node), fix);
    }

    private void missing(String path, String key, String example) {
        problem(path, "required key is missing", "add '" + key + ": " + example + "'");
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "an empty value";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isTextual()) {
            return "text";
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The text value of an optional or required key; {@code null} if absent or invalid (a problem is
     * recorded if invalid, or if absent and required).
     */
    private String text(ObjectNode m, String parent, String key, boolean required, String example) {
        String path = parent.isEmpty() ? key : parent + "." + key;
        JsonNode v = m.get(key);
        if (v == null) {
            if (required) {
                missing(path, key, example);
            }
            return null;
        }
        String fix = "write e.g. '" + key + ": " + example + "'" + (required ? "" : ", or remove the key");
        if (v.isNull()) {
            problem(path, "has no value", fix);
            return null;
        }
        if (!v.isTextual()) {
            problem(path, "expected text, got " + describe(v),
                    v.isBoolean() || v.isNumber()
                            ? "quote the value, e.g. '" + key + ": \"...\"' (YAML reads unquoted numbers and"
                                    + " yes/no/on/off/true/false as non-text)"
                            : fix);
            return null;
        }
        String s = v.textValue().trim();
        if (s.isEmpty()) {
            problem(path, "is empty", fix);
            return null;
        }
        return s;
    }

    private Integer intValue(ObjectNode m, String parent, String key, int defaultValue) {
        JsonNode v = m.get(key);
        if (v == null) {
            return defaultValue;
        }
        String path = parent + "." + key;
        String fix = "write a whole number of at least 1 without quotes, e.g. '" + key + ": " + defaultValue + "'";
        if (!v.isIntegralNumber()) {
            problem(path, "expected an integer, got " + describe(v), fix);
            return null;
        }
        if (!v.canConvertToInt() || v.intValue() < 1) {
            problem(path, "must be an integer between 1 and " + Integer.MAX_VALUE + " (got " + v.asText() + ")", fix);
            return null;
        }
        return v.intValue();
    }

    private <E extends Enum<E>> E enumValue(ObjectNode m, String parent, String key, E[] values,
                                            Function<E, String> yamlName, E defaultValue) {
        JsonNode v = m.get(key);
        if (v == null) {
            return defaultValue;
        }
        String path = parent + "." + key;
        List<String> names = Stream.of(values).map(yamlName).toList();
        String fix = "use one of: " + String.join(", ", names)
                + (defaultValue == null ? "" : " (default: " + yamlName.apply(defaultValue) + ")");
        if (!v.isTextual()) {
            problem(path, "expected one of " + String.join(", ", names) + ", got " + describe(v), fix);
            return null;
        }
        String s = v.textValue().trim();
        for (E e : values) {
            if (yamlName.apply(e).equalsIgnoreCase(s)) {
                return e;
            }
        }
        String suggestion = closest(s, names);
        problem(path, "unknown value '" + s + "'" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"), fix);
        return null;
    }

    private void rejectUnknownKeys(ObjectNode m, String parent, List<String> known) {
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (known.contains(key)) {
                continue;
            }
            String path = parent.isEmpty() ? key : parent + "." + key;
            String suggestion = closest(key, known);
            if (suggestion != null) {
                problem(path, "unknown key; did you mean '" + suggestion + "'?",
                        "rename '" + key + "' to '" + suggestion + "'");
            } else {
                problem(path, "unknown key",
                        "remove it; valid keys " + (parent.isEmpty() ? "at the top level" : "in '" + parent + "'")
                                + " are: " + String.join(", ", known));
            }
        }
    }

    /** The candidate closest to {@code word} if it is close enough to be a likely typo, else {@code null}. */
    static String closest(String word, List<String> candidates) {
        String w = normalize(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String n = normalize(c);
            if (n.replace("-", "").equals(w.replace("-", ""))) {
                return c;
            }
            int d = distance(w, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int threshold = Math.max(1, Math.min(3, best.length() / 3));
        return bestDistance <= threshold ? best : null;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
