package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.MINIMAL;
import static dev.ferry.config.ConfigFixtures.SH_PASSWORD;
import static dev.ferry.config.ConfigFixtures.US_PASSWORD;
import static dev.ferry.config.ConfigFixtures.errors;
import static dev.ferry.config.ConfigFixtures.oneWay;
import static dev.ferry.config.ConfigFixtures.parse;
import static dev.ferry.config.ConfigFixtures.twoWay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.TableId;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.TableConflictRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelConfigTest {
    /** The head of a channel file of three sites, up to its directions. */
    private static final String THREE_SITES = """
            channel: demo
            sites:
              sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
              us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
              eu: { url: "jdbc:mysql://127.0.0.1:3308", user: ferry, password: "${env:US_PASSWORD}" }
            directions:
            """;

    @TempDir
    Path tmp;

    @Test
    void minimalFileGetsDefaults() {
        ChannelConfig config = parse(MINIMAL);

        assertThat(config.channel()).isEqualTo("demo");
        assertThat(config.source()).isEqualTo("demo.yaml");
        assertThat(config.sites()).containsOnlyKeys("sh", "us");
        assertThat(config.sites().keySet()).containsExactly("sh", "us");
        assertThat(config.homeSite().name()).isEqualTo("sh");

        SiteConfig sh = config.site("sh");
        assertThat(sh.url()).isEqualTo("jdbc:mysql://127.0.0.1:3306");
        assertThat(sh.host()).isEqualTo("127.0.0.1");
        assertThat(sh.port()).isEqualTo(3306);
        assertThat(sh.user()).isEqualTo("ferry");
        assertThat(sh.password().reveal()).isEqualTo(SH_PASSWORD);
        assertThat(sh.serverId()).isNull();
        assertThat(sh.timeZone()).isNull();
        assertThat(sh.zoneId()).isNull();
        assertThat(sh.tls()).isEqualTo(TlsConfig.DEFAULT);
        assertThat(sh.tls().mode()).isEqualTo(TlsConfig.Mode.PREFERRED);
        assertThat(config.site("us").port()).isEqualTo(3307);
        assertThat(config.site("us").password().reveal()).isEqualTo(US_PASSWORD);

        assertThat(config.directions()).hasSize(1);
        DirectionConfig d = config.directions().get(0);
        assertThat(d.name()).isEqualTo("sh->us");
        assertThat(d.from()).isEqualTo("sh");
        assertThat(d.to()).isEqualTo("us");
        assertThat(d.startup()).isEqualTo(DirectionConfig.Startup.INITIAL);
        assertThat(d.serverIdRange()).matches("\\d+-\\d+");
        assertThat(d.serverIdStart()).isEqualTo(d.serverIdEnd()).isBetween(5400L, 65000L);

        assertThat(config.tableFilter().includePatterns()).containsExactly("shop\\..*");
        assertThat(config.tableFilter().excludePatterns()).isEmpty();
        assertThat(config.stateDir()).isEqualTo(Path.of("ferry-state", "demo").toAbsolutePath());
        assertThat(config.stateDirUri()).startsWith("file:/").endsWith("ferry-state/demo");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.apply()).isEqualTo(ApplyConfig.DEFAULT);
        assertThat(config.apply().mode()).isEqualTo(ApplyConfig.Mode.TRANSACTIONAL);
        assertThat(config.apply().parallelism()).isEqualTo(4);
        assertThat(config.apply().batchSize()).isEqualTo(1000);
        assertThat(config.conflicts()).isEqualTo(new ConflictConfig(rule(ConflictPolicy.priority("sh"), true), List.of()));
    }

    @Test
    void theExampleFromTheBriefParses() throws IOException {
        Path pw = tmp.resolve("us.pw");
        Files.writeString(pw, US_PASSWORD + "\n");
        String yaml = """
                channel: demo
                sites:
                  sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
                  us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password-file: %s }
                directions:
                  - { from: sh, to: us, startup: initial }   # initial = snapshot, then binlog; latest = binlog from now
                tables:
                  include: ['shop\\..*']
                  exclude: ['shop\\.tmp_.*']
                """.formatted(pw);
        ChannelConfig config = parse(yaml);
        assertThat(config.site("us").password().reveal()).isEqualTo(US_PASSWORD);
        assertThat(config.tableFilter().includes("shop", "orders")).isTrue();
        assertThat(config.tableFilter().includes("shop", "tmp_orders")).isFalse();
    }

    @Test
    void fullExampleParses() throws IOException, URISyntaxException {
        Path example = Path.of(ChannelConfigTest.class.getResource("/config/full-example.yaml").toURI());
        // The example refers to files under /etc/ferry/; point them at a temp dir instead.
        Files.writeString(tmp.resolve("ca.pw"), "ca-Secret-1\n");
        Files.writeString(tmp.resolve("us.pw"), US_PASSWORD + "\r\n");
        String yaml = Files.readString(example).replace("/etc/ferry/", tmp.toString() + "/");
        ChannelConfig config = ChannelConfig.parse(yaml, "full-example.yaml", Map.of("FERRY_SH_PASSWORD", SH_PASSWORD)::get);

        assertThat(config.channel()).isEqualTo("shop-sync");
        assertThat(config.sites().keySet()).containsExactly("sh", "us");

        SiteConfig sh = config.site("sh");
        assertThat(sh.host()).isEqualTo("mysql-sh.example.com");
        assertThat(sh.port()).isEqualTo(3306);
        assertThat(sh.password().reveal()).isEqualTo(SH_PASSWORD);
        assertThat(sh.serverId()).isEqualTo("5400-5403");
        assertThat(sh.timeZone()).isEqualTo("Asia/Shanghai");
        assertThat(sh.tls().mode()).isEqualTo(TlsConfig.Mode.VERIFY_IDENTITY);
        assertThat(sh.tls().mode().connectorJSslMode()).isEqualTo("VERIFY_IDENTITY");
        assertThat(sh.tls().trustStore()).isEqualTo(tmp.resolve("ca.p12").toString());
        assertThat(sh.tls().trustStorePassword().reveal()).isEqualTo("ca-Secret-1");

        SiteConfig us = config.site("us");
        assertThat(us.port()).isEqualTo(3307);
        assertThat(us.password().reveal()).isEqualTo(US_PASSWORD);
        assertThat(us.serverId()).isNull();
        assertThat(us.zoneId().getId()).isEqualTo("-05:00");
        assertThat(us.tls()).isEqualTo(new TlsConfig(TlsConfig.Mode.REQUIRED, null, null));

        assertThat(config.directions()).extracting(DirectionConfig::name).containsExactly("sh->us", "us-to-sh");
        assertThat(config.direction("sh->us").serverIdRange()).isEqualTo("5400-5403");
        assertThat(config.direction("sh->us").startup()).isEqualTo(DirectionConfig.Startup.INITIAL);
        DirectionConfig usToSh = config.direction("us-to-sh");
        assertThat(usToSh.startup()).isEqualTo(DirectionConfig.Startup.LATEST);
        assertThat(usToSh.serverIdStart()).isEqualTo(usToSh.serverIdEnd()).isBetween(5400L, 65000L);
        assertThat(config.direction("us->sh")).isSameAs(usToSh);

        assertThat(config.tableFilter().includePatterns()).containsExactly("shop\\..*", "crm\\.customers");
        assertThat(config.tableFilter().excludePatterns()).containsExactly("shop\\.tmp_.*", "shop\\..*_bak");
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/ferry/shop-sync"));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.apply()).isEqualTo(new ApplyConfig(ApplyConfig.Mode.TRANSACTIONAL, 8, 500));
        assertThat(config.conflicts()).isEqualTo(new ConflictConfig(rule(ConflictPolicy.priority("sh"), true), List.of(
                new ConflictConfig.TableRule("shop\\.orders", rule(ConflictPolicy.newerWins("updated_at"), false)),
                new ConflictConfig.TableRule("shop\\.audit_.*", rule(ConflictPolicy.of(ConflictPolicy.Kind.TARGET_WINS), true)))));
    }

    @Test
    void loadReadsAFile() throws IOException {
        Path file = tmp.resolve("demo.yaml");
        Files.writeString(file, MINIMAL.replace("${env:SH_PASSWORD}", "${file:" + tmp.resolve("sh.pw") + "}")
                .replace("${env:US_PASSWORD}", "${file:" + tmp.resolve("us.pw") + "}"));
        Files.writeString(tmp.resolve("sh.pw"), SH_PASSWORD);
        Files.writeString(tmp.resolve("us.pw"), US_PASSWORD);

        ChannelConfig config = ChannelConfig.load(file);
        assertThat(config.source()).isEqualTo(file.toString());
        assertThat(config.site("sh").password().reveal()).isEqualTo(SH_PASSWORD);
    }

    @Test
    void loadReportsAMissingFile() {
        Path file = tmp.resolve("nope.yaml");
        assertThatThrownBy(() -> ChannelConfig.load(file))
                .isInstanceOf(ChannelConfigException.class)
                .hasMessage(file + ": (file): the file does not exist. Fix: check the path of the channel file.");
        assertThatThrownBy(() -> ChannelConfig.load(tmp))
                .hasMessageContaining("(file): this is a directory");
    }

    @Test
    void loadReportsInvalidUtf8() throws IOException {
        Path file = tmp.resolve("latin1.yaml");
        Files.write(file, "channel: d\u00e9mo\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ChannelConfig.load(file)).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void sitesKeepFileOrder() {
        String yaml = """
                channel: demo
                sites:
                  zz: { url: "jdbc:mysql://z", user: ferry, password: "${env:SH_PASSWORD}" }
                  aa: { url: "jdbc:mysql://a", user: ferry, password: "${env:SH_PASSWORD}" }
                  mm: { url: "jdbc:mariadb://m:3310", user: ferry, password: "${env:SH_PASSWORD}" }
                directions:
                  - { from: mm, to: zz }
                tables: { include: ['.*'] }
                """;
        ChannelConfig config = parse(yaml);
        assertThat(config.sites().keySet()).containsExactly("zz", "aa", "mm");
        assertThat(config.homeSite().name()).isEqualTo("zz");
        assertThat(config.site("mm").isMariaDb()).isTrue();
        assertThat(config.site("mm").port()).isEqualTo(3310);
        assertThat(config.site("zz").port()).isEqualTo(3306);
        assertThatThrownBy(() -> config.sites().put("x", null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.directions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void directionLookupListsValidNames() {
        ChannelConfig config = parse(twoWay(""));
        assertThat(config.direction("us->sh").from()).isEqualTo("us");
        assertThatThrownBy(() -> config.direction("sh->eu"))
                .isInstanceOf(ChannelConfigException.class)
                .hasMessage("demo.yaml: directions: no direction named 'sh->eu' in channel 'demo' "
                        + "(defined: sh->us, us->sh). Fix: use one of the defined direction names.");
        assertThatThrownBy(() -> config.site("eu")).hasMessageContaining("no site named 'eu' (defined: sh, us)");
    }

    @Test
    void optionalTopLevelKeys() {
        ChannelConfig config = parse(oneWay("""
                state-dir: relative/state
                checkpoint-interval: 500ms
                apply: { mode: parallel }
                """));
        assertThat(config.stateDir()).isEqualTo(Path.of("relative/state").toAbsolutePath());
        assertThat(config.stateDir().isAbsolute()).isTrue();
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.apply()).isEqualTo(new ApplyConfig(ApplyConfig.Mode.PARALLEL, 4, 1000));

        assertThat(parse(twoWay("checkpoint-interval: 2m\n")).checkpointInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse(twoWay("checkpoint-interval: 1h\n")).checkpointInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(parse(twoWay("checkpoint-interval: 100ms\n")).checkpointInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(parse(twoWay("state-dir: file:///srv/ferry\n")).stateDir()).isEqualTo(Path.of("/srv/ferry"));
        assertThat(parse(twoWay("apply: { mode: TRANSACTIONAL, batch-size: 1 }\n")).apply())
                .isEqualTo(new ApplyConfig(ApplyConfig.Mode.TRANSACTIONAL, 4, 1));
    }

    @Test
    void directionOptions() {
        String yaml = twoWay("").replace("- { from: us, to: sh }", "- { from: us, to: sh, startup: latest, name: back }");
        ChannelConfig config = parse(yaml);
        assertThat(config.directions()).extracting(DirectionConfig::name).containsExactly("sh->us", "back");
        assertThat(config.direction("back").startup()).isEqualTo(DirectionConfig.Startup.LATEST);
        assertThat(parse(twoWay("")).direction("us->sh").startup())
                .as("the reverse of the seeding direction defaults to latest").isEqualTo(DirectionConfig.Startup.LATEST);
        assertThat(config.direction("sh->us").startup()).isEqualTo(DirectionConfig.Startup.INITIAL);
    }

    @Test
    void siteUrlVariants() {
        assertThat(parse(ConfigFixtures.withShSite("""
                    url: "jdbc:mysql://[::1]:3310/shop?useSSL=true&connectTimeout=1000"
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                """)).site("sh")).satisfies(s -> {
                    assertThat(s.host()).isEqualTo("::1");
                    assertThat(s.port()).isEqualTo(3310);
                    assertThat(s.url()).isEqualTo("jdbc:mysql://[::1]:3310/shop?useSSL=true&connectTimeout=1000");
                });
        assertThat(parse(ConfigFixtures.withShSite("""
                    url: jdbc:mysql://db-1.example.com/shop
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                """)).site("sh")).satisfies(s -> {
                    assertThat(s.host()).isEqualTo("db-1.example.com");
                    assertThat(s.port()).isEqualTo(3306);
                });
    }

    @Test
    void siteOptions() {
        ChannelConfig config = parse(ConfigFixtures.withShSite("""
                    url: "jdbc:mysql://127.0.0.1"
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                    server-id: 6000
                    time-zone: "+08:00"
                    tls: { mode: verify-ca }
                """));
        SiteConfig sh = config.site("sh");
        assertThat(sh.serverId()).isEqualTo("6000-6000");
        assertThat(sh.timeZone()).isEqualTo("+08:00");
        assertThat(sh.zoneId()).isEqualTo(java.time.ZoneOffset.ofHours(8));
        assertThat(sh.tls().mode()).isEqualTo(TlsConfig.Mode.VERIFY_CA);
        assertThat(sh.tls().mode().yamlName()).isEqualTo("verify-ca");
        assertThat(config.direction("sh->us").serverIdRange()).isEqualTo("6000-6000");
    }

    // ------------------------------------------------------------------ conflicts

    private static TableConflictRule rule(ConflictPolicy policy, boolean compareAll) {
        return new TableConflictRule(policy, compareAll);
    }

    private static TableConflictRule ruleFor(ChannelConfig config, String direction, String database, String table) {
        return config.conflictRules(config.direction(direction)).ruleFor(new TableId(database, table));
    }

    @Test
    void conflictsDefaultToTheHomeSitesPriority() {
        ChannelConfig config = parse(twoWay(""));
        ConflictRules rules = config.conflictRules(config.direction("us->sh"));
        assertThat(rules.sourceSite()).isEqualTo("us");
        assertThat(rules.homeSite()).isEqualTo("sh");
        assertThat(rules.ruleFor(new TableId("shop", "orders"))).isEqualTo(rule(ConflictPolicy.priority("sh"), true));
        assertThat(config.conflictRules(config.direction("sh->us")).sourceSite()).isEqualTo("sh");
        assertThat(parse(twoWay("conflicts: { tables: [] }\n")).conflicts()).isEqualTo(config.conflicts());
    }

    @Test
    void conflictDefaultTakesEachPolicyKind() {
        assertThat(parse(twoWay("conflicts: { default: { priority: us } }\n")).conflicts().defaultRule())
                .isEqualTo(rule(ConflictPolicy.priority("us"), true));
        assertThat(parse(twoWay("conflicts: { default: { newer-wins: updated_at } }\n")).conflicts().defaultRule())
                .isEqualTo(rule(ConflictPolicy.newerWins("updated_at"), true));
        assertThat(parse(twoWay("conflicts: { default: { newer-wins: version, compare: version } }\n"))
                .conflicts().defaultRule()).isEqualTo(rule(ConflictPolicy.newerWins("version"), false));
        assertThat(parse(twoWay("conflicts: { default: { priority: us, compare: all } }\n")).conflicts().defaultRule())
                .isEqualTo(rule(ConflictPolicy.priority("us"), true));
        for (ConflictPolicy.Kind kind : List.of(ConflictPolicy.Kind.SOURCE_WINS, ConflictPolicy.Kind.TARGET_WINS,
                ConflictPolicy.Kind.MANUAL)) {
            assertThat(parse(twoWay("conflicts: { default: { policy: " + kind.configName() + " } }\n"))
                    .conflicts().defaultRule()).isEqualTo(rule(ConflictPolicy.of(kind), true));
        }
    }

    @Test
    void conflictTablesFirstMatchWins() {
        ChannelConfig config = parse(twoWay("""
                conflicts:
                  default: { priority: us }
                  tables:
                    - match: 'shop\\.orders'
                      newer-wins: updated_at
                      compare: version
                    - { match: 'shop\\.audit_.*', policy: target-wins }
                    - { match: 'shop\\..*', policy: manual }
                    - { match: 'shop\\.audit_log', policy: source-wins }
                """));
        assertThat(ruleFor(config, "sh->us", "shop", "orders")).isEqualTo(rule(ConflictPolicy.newerWins("updated_at"), false));
        assertThat(ruleFor(config, "sh->us", "shop", "audit_log"))
                .as("the first matching entry wins").isEqualTo(rule(ConflictPolicy.of(ConflictPolicy.Kind.TARGET_WINS), true));
        assertThat(ruleFor(config, "us->sh", "shop", "items")).isEqualTo(rule(ConflictPolicy.of(ConflictPolicy.Kind.MANUAL), true));
        assertThat(ruleFor(config, "sh->us", "shop", "orders_old"))
                .as("a full match on db.table").isEqualTo(rule(ConflictPolicy.of(ConflictPolicy.Kind.MANUAL), true));
        assertThat(ruleFor(config, "sh->us", "crm", "orders")).isEqualTo(rule(ConflictPolicy.priority("us"), true));
        assertThat(config.conflicts().tables()).extracting(ConflictConfig.TableRule::match)
                .containsExactly("shop\\.orders", "shop\\.audit_.*", "shop\\..*", "shop\\.audit_log");

        ChannelConfig copy = roundTrip(config);
        assertThat(copy).isEqualTo(config);
        assertThat(copy.hashCode()).isEqualTo(config.hashCode());
        assertThat(ruleFor(copy, "sh->us", "shop", "audit_x")).isEqualTo(ruleFor(config, "sh->us", "shop", "audit_x"));
        assertThat(config.toString()).contains("conflicts=ConflictConfig[defaultRule=TableConflictRule[policy=priority: us");
        assertThat(config).isNotEqualTo(parse(twoWay("conflicts: { default: { priority: us } }\n")));
    }

    @Test
    void conflictsWithoutDefaultUseTheHomeSite() {
        ChannelConfig config = parse(twoWay("conflicts: { tables: [{ match: 'shop\\.orders', policy: manual }] }\n"));
        assertThat(config.conflicts().defaultRule()).isEqualTo(rule(ConflictPolicy.priority("sh"), true));
        assertThat(ruleFor(config, "us->sh", "shop", "orders")).isEqualTo(rule(ConflictPolicy.of(ConflictPolicy.Kind.MANUAL), true));
    }

    @Test
    void reverseDirectionIsTheOneBackFromTheTarget() {
        ChannelConfig twoWay = parse(twoWay(""));
        assertThat(twoWay.reverseDirection(twoWay.direction("sh->us"))).isEqualTo("us->sh");
        assertThat(twoWay.reverseDirection(twoWay.direction("us->sh"))).isEqualTo("sh->us");

        ChannelConfig named = parse(twoWay("").replace("- { from: us, to: sh }", "- { from: us, to: sh, name: back }"));
        assertThat(named.reverseDirection(named.direction("sh->us"))).as("the reverse direction's own name").isEqualTo("back");

        ChannelConfig oneWay = parse(MINIMAL);
        assertThat(oneWay.reverseDirection(oneWay.direction("sh->us"))).as("no reverse direction").isNull();

        ChannelConfig homeNotSeeding = parse("""
                channel: demo
                sites:
                  us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
                  sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
                directions:
                  - { from: sh, to: us }
                  - { from: us, to: sh }
                tables: { include: ['shop\\..*'] }
                """);
        assertThat(homeNotSeeding.reverseDirection(homeNotSeeding.direction("us->sh"))).isEqualTo("sh->us");
        assertThat(homeNotSeeding.conflictRules(homeNotSeeding.direction("sh->us")).homeSite()).isEqualTo("us");
    }

    @Test
    void threeSitesLinkedThroughAHubRelayAndEveryReaderHasItsOwnServerId() {
        ChannelConfig star = parse(THREE_SITES + """
                  - { from: us, to: sh }
                  - { from: sh, to: us }
                  - { from: us, to: eu }
                  - { from: eu, to: us }
                tables: { include: ['shop\\..*'] }
                """);
        assertThat(star.reverseDirection(star.direction("sh->us"))).isEqualTo("us->sh");
        assertThat(star.reverseDirection(star.direction("eu->us"))).isEqualTo("us->eu");
        // us, the hub, passes on to eu what it applied from sh, and back; the spokes relay nothing
        assertThat(star.relayedThrough("us", star.direction("us->eu"))).containsExactly("sh->us");
        assertThat(star.relayedThrough("us", star.direction("us->sh"))).containsExactly("eu->us");
        assertThat(star.relayedThrough("sh", star.direction("sh->us"))).isEmpty();
        // on the hub's history, as the target of sh->us, what eu->us applied is the hub's own writes
        assertThat(star.relayedThrough("us", star.direction("sh->us"))).containsExactly("eu->us");
        assertThat(star.relayedThrough("eu", star.direction("us->eu"))).isEmpty();
        // every binlog reader of the channel, of a direction or of a target's own writes, has a server id of its own
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (DirectionConfig d : star.directions()) {
            assertThat(ids.add(d.serverIdStart())).as(d.name()).isTrue();
        }
        for (DirectionConfig d : star.directions()) {
            assertThat(ids.add(star.historyServerId(d))).as("history of " + d.name()).isTrue();
            assertThat(star.historyServerId(d)).as("stable").isEqualTo(star.historyServerId(d));
        }
        ConflictRules atSh = star.conflictRules(star.direction("us->sh"));
        assertThat(atSh.sourceSite()).isEqualTo("us");
        assertThat(atSh.homeSite()).isEqualTo("sh");
        // priority of sh, the home site: at the hub sh's change wins, at sh the hub's loses, on the link to eu the hub
        // (nearer to sh) wins
        assertThat(star.conflictRules(star.direction("sh->us")).incomingWins(ConflictPolicy.priority("sh"), 0)).isTrue();
        assertThat(atSh.incomingWins(ConflictPolicy.priority("sh"), 0)).isFalse();
        assertThat(star.conflictRules(star.direction("us->eu")).incomingWins(ConflictPolicy.priority("sh"), 0)).isTrue();
        assertThat(star.conflictRules(star.direction("eu->us")).incomingWins(ConflictPolicy.priority("sh"), 0))
                .isFalse();
    }

    @Test
    void threeSitesEachLinkedWithBothOthersAreRefusedNamingTheFix() {
        assertThatThrownBy(() -> parse(THREE_SITES + """
                  - { from: sh, to: us }
                  - { from: sh, to: eu }
                  - { from: us, to: sh }
                  - { from: us, to: eu }
                  - { from: eu, to: sh }
                  - { from: eu, to: us }
                tables: { include: ['shop\\..*'] }
                """))
                .isInstanceOf(ChannelConfigException.class)
                .hasMessageContaining("directions: the sites linked both ways form a cycle (us<->eu closes it)")
                .hasMessageContaining("pick a hub (e.g. 'sh') and list directions both ways only between it and each"
                        + " other site");
        // one-way directions close no cycle: each site's changes go only where a direction takes them
        ChannelConfig fanOut = parse(THREE_SITES + """
                  - { from: sh, to: us }
                  - { from: sh, to: eu }
                  - { from: us, to: eu }
                tables: { include: ['shop\\..*'] }
                """);
        assertThat(fanOut.relayedThrough("us", fanOut.direction("us->eu"))).isEmpty();
    }

    @Test
    void toStringNeverShowsSecrets() throws IOException {
        Files.writeString(tmp.resolve("ca.pw"), "trust-Secret-9\n");
        ChannelConfig config = parse(ConfigFixtures.withShSite("""
                    url: "jdbc:mysql://127.0.0.1"
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                    tls: { mode: verify-ca, trust-store: /x/ca.p12, trust-store-password-file: %s }
                """.formatted(tmp.resolve("ca.pw"))));

        List<String> texts = List.of(config.toString(), config.site("sh").toString(), config.site("us").toString(),
                config.site("sh").tls().toString(), config.site("sh").password().toString(),
                config.sites().toString(), config.directions().toString());
        for (String text : texts) {
            assertThat(text).doesNotContain(SH_PASSWORD).doesNotContain(US_PASSWORD).doesNotContain("trust-Secret-9");
        }
        assertThat(config.toString()).contains("password=******").contains("channel=demo");
        assertThat(config.site("sh").tls().toString()).contains("trustStorePassword=******");
        assertThat(Secret.of("x").toString()).isEqualTo("******");
        assertThat(config.site("sh").tls().trustStorePassword().reveal()).isEqualTo("trust-Secret-9");
    }

    @Test
    void javaSerializationRoundTrip() throws Exception {
        ChannelConfig config = parse(twoWay("apply: { parallelism: 2, batch-size: 500 }\n"));

        ChannelConfig copy = roundTrip(config);

        assertThat(copy).isEqualTo(config).isNotSameAs(config);
        assertThat(copy.hashCode()).isEqualTo(config.hashCode());
        assertThat(copy.site("sh").password().reveal()).isEqualTo(SH_PASSWORD);
        assertThat(copy.site("us").password().reveal()).isEqualTo(US_PASSWORD);
        assertThat(copy.toString()).isEqualTo(config.toString()).doesNotContain(SH_PASSWORD).contains("******");
        assertThat(copy.sites().keySet()).containsExactly("sh", "us");
        assertThat(copy.directions()).isEqualTo(config.directions());
        assertThat(copy.stateDir()).isEqualTo(config.stateDir());
        // the table filter still works after deserialization (compiled patterns are transient)
        assertThat(copy.tableFilter().includes("shop", "orders")).isTrue();
        assertThat(copy.tableFilter().includes("other", "orders")).isFalse();
        assertThatThrownBy(() -> copy.sites().remove("sh")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void exceptionIsSerializable() throws Exception {
        ChannelConfigException e = errors("channel: 'bad name'\n");
        ChannelConfigException copy = roundTrip(e);
        assertThat(copy.getMessage()).isEqualTo(e.getMessage());
        assertThat(copy.problems()).isEqualTo(e.problems());
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(object);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
