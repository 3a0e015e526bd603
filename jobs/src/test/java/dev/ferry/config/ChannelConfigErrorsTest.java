package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.errors;
import static dev.ferry.config.ConfigFixtures.twoWay;
import static dev.ferry.config.ConfigFixtures.withShSite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfigException.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every validation rule, with the key path and the fix in the message. */
class ChannelConfigErrorsTest {

    private static final String SITES_AND_TABLES = """
            sites:
              sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
              us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
            tables:
              include: ['shop\\..*']
            """;

    private static String shSite(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append("    ").append(line).append('\n');
        }
        return withShSite(sb.toString());
    }

    private static final String URL = "url: \"jdbc:mysql://127.0.0.1:3306\"";
    private static final String USER = "user: ferry";
    private static final String PASSWORD = "password: \"${env:SH_PASSWORD}\"";

    // ------------------------------------------------------------------ format & collection

    @Test
    void everyProblemIsOneLineWithFileAndPathAndFix() {
        ChannelConfigException e = errors("""
                channel: demo
                sites:
                  sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, pasword: "${env:SH_PASSWORD}" }
                  us: { url: "http://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
                directions:
                  - { from: sh, to: eu }
                tables:
                  include: ['shop\\..*', 'shop\\.(x']
                checkpoint-interval: 10ms
                """);
        List<String> lines = e.getMessage().lines().toList();
        assertThat(lines).hasSize(e.problems().size()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("demo.yaml: ").contains(" Fix: "));
        assertThat(e.getMessage())
                .contains("demo.yaml: sites.sh.pasword: unknown key (line 3); did you mean 'password'? Fix: rename 'pasword' to 'password'.")
                .contains("demo.yaml: sites.sh.password: required key is missing")
                .contains("demo.yaml: sites.us.url: the URL must start with 'jdbc:mysql://' or 'jdbc:mariadb://'")
                .contains("demo.yaml: directions[0].to: site 'eu' is not defined in 'sites' (defined: sh, us).")
                .contains("demo.yaml: tables.include[1]: invalid regular expression 'shop\\.(x': Unclosed group")
                .contains("demo.yaml: checkpoint-interval: must be at least 100ms");
        assertThat(e.source()).isEqualTo("demo.yaml");
        assertThat(e.problems()).extracting(Problem::path).contains("sites.sh.pasword", "directions[0].to");
    }

    // ------------------------------------------------------------------ YAML level

    @Test
    void emptyFile() {
        assertThat(errors("").getMessage()).startsWith("demo.yaml: (file): the file is empty. Fix: ");
        assertThat(errors("# only a comment\n").getMessage()).contains("the file is empty");
    }

    @Test
    void rootMustBeAMap() {
        assertThat(errors("- a\n- b\n").getMessage())
                .startsWith("demo.yaml: (root): expected a map, got a list. Fix: write the channel file as a map");
    }

    @Test
    void yamlSyntaxErrorNamesLine() {
        assertThat(errors("channel: demo\nsites: [\n").getMessage())
                .startsWith("demo.yaml: line 3, column 1: invalid YAML: ")
                .contains("Fix: fix the YAML syntax");
    }

    @Test
    void duplicateKeysAreRejected() {
        String yaml = withShSite("    " + URL + "\n    " + USER + "\n    user: other\n    " + PASSWORD + "\n");
        assertThat(errors(yaml).getMessage())
                .isEqualTo("demo.yaml: sites.sh.user: the key 'user' appears more than once (line 6). "
                        + "Fix: keep only one 'user' entry.");
    }

    // ------------------------------------------------------------------ unknown keys

    @Test
    void unknownKeysAtEveryLevelNameTheFullPath() {
        ChannelConfigException e = errors("""
                channel: demo
                chanel: demo
                sites:
                  sh:
                    url: "jdbc:mysql://127.0.0.1:3306"
                    usr: ferry
                    user: ferry
                    password: "${env:SH_PASSWORD}"
                    serverId: 5
                    tls: { mode: required, trustStore: /x, color: blue }
                  us: { url: "jdbc:mysql://127.0.0.1:3307", user: ferry, password: "${env:US_PASSWORD}" }
                directions:
                  - { from: sh, to: us, startpu: latest }
                tables:
                  include: ['shop\\..*']
                  exlcude: ['x']
                apply: { batchsize: 10 }
                state_dir: /tmp/x
                frobnicate: 1
                """);
        assertThat(e.getMessage()).contains(
                "demo.yaml: chanel: unknown key (line 2); did you mean 'channel'? Fix: rename 'chanel' to 'channel'.",
                "demo.yaml: sites.sh.usr: unknown key (line 6); did you mean 'user'? Fix: rename 'usr' to 'user'.",
                "demo.yaml: sites.sh.serverId: unknown key (line 9); did you mean 'server-id'? Fix: rename 'serverId' to 'server-id'.",
                "demo.yaml: sites.sh.tls.trustStore: unknown key (line 10); did you mean 'trust-store'?",
                "demo.yaml: sites.sh.tls.color: unknown key (line 10). Fix: remove it; valid keys in 'sites.sh.tls' are: "
                        + "mode, trust-store, trust-store-password, trust-store-password-file.",
                "demo.yaml: directions[0].startpu: unknown key (line 13); did you mean 'startup'?",
                "demo.yaml: tables.exlcude: unknown key (line 16); did you mean 'exclude'?",
                "demo.yaml: apply.batchsize: unknown key (line 17); did you mean 'batch-size'?",
                "demo.yaml: state_dir: unknown key (line 18); did you mean 'state-dir'?",
                "demo.yaml: frobnicate: unknown key (line 19). Fix: remove it; valid keys at the top level are: channel, sites, "
                        + "directions, tables, state-dir, checkpoint-interval, apply, conflicts.");
        assertThat(e.problems()).hasSize(10);
    }

    // ------------------------------------------------------------------ missing keys & types

    @Test
    void missingTopLevelKeys() {
        ChannelConfigException e = errors("state-dir: /tmp/x\n");
        assertThat(e.problems()).extracting(Problem::path).containsExactly("channel", "sites", "directions", "tables");
        assertThat(e.getMessage())
                .contains("demo.yaml: channel: required key is missing. Fix: add 'channel: demo'.")
                .contains("demo.yaml: sites: required key is missing. Fix: add 'sites: ")
                .contains("demo.yaml: directions: required key is missing. Fix: add 'directions: ")
                .contains("demo.yaml: tables: required key is missing. Fix: add 'tables: ");
    }

    @Test
    void missingSiteAndDirectionKeys() {
        ChannelConfigException e = errors("""
                channel: demo
                sites:
                  sh: { url: "jdbc:mysql://127.0.0.1:3306" }
                  us: { user: ferry, password-file: /nonexistent/us.pw }
                directions:
                  - { to: us }
                tables: { exclude: [] }
                """);
        assertThat(e.getMessage())
                .contains("demo.yaml: sites.sh.user: required key is missing. Fix: add 'user: ferry'.")
                .contains("demo.yaml: sites.sh.password: required key is missing (set 'password' or 'password-file'). "
                        + "Fix: add 'password: \"${env:VARIABLE}\"' or 'password-file: /path/to/file'.")
                .contains("demo.yaml: sites.us.url: required key is missing. Fix: add 'url: ")
                .contains("demo.yaml: directions[0].from: required key is missing. Fix: add 'from: sh'.")
                .contains("demo.yaml: tables.include: required key is missing. Fix: add 'include: ");
    }

    @Test
    void wrongTypesNameThePath() {
        ChannelConfigException e = errors("""
                channel: 42
                sites:
                  - sh
                directions: { from: sh, to: us }
                tables:
                  include: 'shop\\..*'
                apply: [parallel]
                """);
        assertThat(e.getMessage())
                .contains("demo.yaml: channel: expected text, got an integer. Fix: quote the value")
                .contains("demo.yaml: sites: expected a map, got a list. Fix: write 'sites' as a map from site name")
                .contains("demo.yaml: directions: expected a list, got a map. Fix: write a list with one entry per direction")
                .contains("demo.yaml: tables.include: expected a list of regular expressions, got text. Fix: write a list")
                .contains("demo.yaml: apply: expected a map, got a list.");
    }

    /** Parallel apply splits source transactions; two-way, the sites ended apart under the checker (docs/two-way.md). */
    @Test
    void parallelApplyIsRefusedInATwoWayChannel() {
        ChannelConfigException e = errors(twoWay("apply: { mode: parallel, parallelism: 2 }\n"));
        assertThat(e.getMessage()).contains("demo.yaml: apply.mode: 'parallel' applies a source transaction in pieces,"
                + " which a two-way channel cannot do safely (directions sh->us and back)")
                .contains("Fix: leave 'mode' out ('transactional' is the default) in a two-way channel");
        assertThat(e.problems()).hasSize(1);
    }

    @Test
    void wrongTypesInsideSitesAndDirections() {
        ChannelConfigException e = errors("""
                channel: demo
                sites:
                  sh: "jdbc:mysql://127.0.0.1"
                  us: { url: [a], user: { name: x }, password: "${env:US_PASSWORD}", tls: verify-ca }
                directions:
                  - sh->us
                  - { from: [sh], to: us }
                tables: { include: ['.*', 5] }
                """);
        assertThat(e.getMessage())
                .contains("demo.yaml: sites.sh: expected a map, got text.")
                .contains("demo.yaml: sites.us.url: expected text, got a list.")
                .contains("demo.yaml: sites.us.user: expected text, got a map.")
                .contains("demo.yaml: sites.us.tls: expected a map, got text.")
                .contains("demo.yaml: directions[0]: expected a map, got text.")
                .contains("demo.yaml: directions[1].from: expected text, got a list.")
                .contains("demo.yaml: tables.include[1]: expected a regular expression (text), got an integer.");
    }

    @Test
    void booleanLookingValuesMustBeQuoted() {
        String yaml = shSite(URL, "user: yes", PASSWORD);
        assertThat(errors(yaml).getMessage())
                .contains("sites.sh.user: expected text, got a boolean. Fix: quote the value");
    }

    @Test
    void emptyValues() {
        ChannelConfigException e = errors(shSite(URL, "user:", PASSWORD, "time-zone: ''"));
        assertThat(e.getMessage())
                .contains("demo.yaml: sites.sh.user: has no value.")
                .contains("demo.yaml: sites.sh.time-zone: is empty.");
    }

    // ------------------------------------------------------------------ channel, sites

    @Test
    void channelName() {
        assertThat(errors(twoWay("").replace("channel: demo", "channel: 'my channel'")).getMessage())
                .isEqualTo("demo.yaml: channel: invalid channel name 'my channel': use 1 to 32 letters, digits, "
                        + "'_' or '-'. Fix: rename the channel, e.g. 'channel: shop-sync'.");
        assertThat(errors(twoWay("").replace("channel: demo", "channel: " + "x".repeat(33))).getMessage())
                .contains("channel: invalid channel name");
        assertThat(ConfigFixtures.parse(twoWay("").replace("channel: demo", "channel: " + "x".repeat(32))).channel())
                .hasSize(32);
    }

    @Test
    void sitesMustNotBeEmpty() {
        ChannelConfigException e = errors("channel: demo\nsites: {}\ndirections: [{ from: sh, to: us }]\n"
                + "tables: { include: ['.*'] }\n");
        assertThat(e.getMessage())
                .contains("demo.yaml: sites: no sites are defined. Fix: add at least one site")
                .contains("demo.yaml: directions[0].from: site 'sh' is not defined in 'sites' (defined: none).");
    }

    @Test
    void siteName() {
        String yaml = twoWay("").replace("  us:\n", "  'u s':\n");
        assertThat(errors(yaml).getMessage())
                .contains("demo.yaml: sites.u s: invalid site name 'u s'")
                .contains("demo.yaml: directions[0].to: site 'us' is not defined in 'sites' (defined: sh, u s).");
    }

    @Test
    void urlMustBeMysqlMariaDbPostgreSqlOrOracle() {
        assertThat(errors(shSite("url: \"jdbc:sqlserver://h:1433\"", USER, PASSWORD)).getMessage())
                .isEqualTo("demo.yaml: sites.sh.url: the URL must start with 'jdbc:mysql://' or 'jdbc:mariadb://' (a"
                        + " source or target), or 'jdbc:postgresql://' or 'jdbc:oracle:thin:@//' (a target only). "
                        + "Fix: write it like 'jdbc:mysql://db.example.com:3306'.");
    }

    @Test
    void urlMustNotEmbedAPassword() {
        ChannelConfigException e = errors(shSite("url: \"jdbc:mysql://h:3306/db?user=ferry&password=hunter2\"", USER, PASSWORD));
        assertThat(e.getMessage())
                .isEqualTo("demo.yaml: sites.sh.url: the URL contains a password (query property 'password'); secrets "
                        + "must not be written in the URL. Fix: remove 'password=...' from the URL and use 'password' "
                        + "or 'password-file' instead.")
                .doesNotContain("hunter2");
        assertThat(errors(shSite("url: \"jdbc:mysql://h/db?Password1=hunter2\"", USER, PASSWORD)).getMessage())
                .contains("query property 'Password1'").doesNotContain("hunter2");
        assertThat(errors(shSite("url: \"jdbc:mysql://ferry:hunter2@h:3306\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: the URL contains a password ('user:password@')")
                .contains("Fix: remove the credentials from the URL and use 'user' and 'password' or 'password-file'")
                .doesNotContain("hunter2");
    }

    @Test
    void urlHostAndPort() {
        assertThat(errors(shSite("url: \"jdbc:mysql://h:99999\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: invalid port '99999' in the URL. Fix: use a port between 1 and 65535");
        assertThat(errors(shSite("url: \"jdbc:mysql://h:abc/db\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: invalid port 'abc'");
        assertThat(errors(shSite("url: \"jdbc:mysql:///db\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: the URL has no host");
        assertThat(errors(shSite("url: \"jdbc:mysql://h1:3306,h2:3306/db\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: the URL names several hosts");
        assertThat(errors(shSite("url: \"jdbc:mysql://[::1:3306\"", USER, PASSWORD)).getMessage())
                .contains("sites.sh.url: cannot read the host from the URL");
    }

    @Test
    void timeZoneIsValidated() {
        assertThat(errors(shSite(URL, USER, PASSWORD, "time-zone: Mars/Olympus")).getMessage())
                .contains("demo.yaml: sites.sh.time-zone: invalid time zone 'Mars/Olympus'")
                .contains("Fix: use a UTC offset like '+08:00' or a region ID like 'Asia/Shanghai'.");
        assertThat(errors(shSite(URL, USER, PASSWORD, "time-zone: '+25:00'")).getMessage())
                .contains("sites.sh.time-zone: invalid time zone '+25:00'");
    }

    @Test
    void serverIdIsValidated() {
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: abc")).getMessage())
                .contains("demo.yaml: sites.sh.server-id: invalid server id 'abc'. Fix: write a single id");
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: 5404-5400")).getMessage())
                .contains("sites.sh.server-id: the range 5404-5400 ends before it starts. Fix: write the smaller id first");
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: 0")).getMessage())
                .contains("sites.sh.server-id: server ids must be between 1 and 4294967295 (got 0)");
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: 1-4294967296")).getMessage())
                .contains("sites.sh.server-id: server ids must be between 1 and 4294967295");
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: 99999999999999999999999")).getMessage())
                .contains("sites.sh.server-id: server id 99999999999999999999999 is out of range");
        assertThat(errors(shSite(URL, USER, PASSWORD, "server-id: [1, 2]")).getMessage())
                .contains("sites.sh.server-id: expected a server id or a range, got a list");
    }

    @Test
    void tlsIsValidated() {
        assertThat(errors(shSite(URL, USER, PASSWORD, "tls: { mode: verify_ca }")).getMessage())
                .isEqualTo("demo.yaml: sites.sh.tls.mode: unknown value 'verify_ca'; did you mean 'verify-ca'? "
                        + "Fix: use one of: disabled, preferred, required, verify-ca, verify-identity (default: preferred).");
        assertThat(errors(shSite(URL, USER, PASSWORD, "tls: { mode: required, trust-store-password: \"${env:SH_PASSWORD}\" }"))
                .getMessage())
                .contains("sites.sh.tls.trust-store-password: a trust store password is set but 'trust-store' is not. "
                        + "Fix: add 'trust-store: /path/to/truststore' or remove 'trust-store-password'.");
        assertThat(errors(shSite(URL, USER, PASSWORD, "tls: { mode: disabled, trust-store: /x.p12 }")).getMessage())
                .contains("sites.sh.tls.trust-store: 'trust-store' is set but 'mode' is 'disabled'. "
                        + "Fix: remove 'trust-store', or set 'mode' to required, verify-ca or verify-identity.");
        assertThat(errors(shSite(URL, USER, PASSWORD, "tls: { trust-store: /x.p12, trust-store-password: hunter2 }"))
                .getMessage())
                .contains("sites.sh.tls.trust-store-password: literal trust store passwords are not allowed")
                .doesNotContain("hunter2");
    }

    // ------------------------------------------------------------------ directions

    @Test
    void directionsNamingMissingSites() {
        ChannelConfigException e = errors("channel: demo\n" + SITES_AND_TABLES + """
                directions:
                  - { from: sh, to: eu }
                  - { from: uss, to: sh }
                """);
        assertThat(e.getMessage()).contains(
                "demo.yaml: directions[0].to: site 'eu' is not defined in 'sites' (defined: sh, us). "
                        + "Fix: use one of the defined sites, or add 'eu' under 'sites'.",
                "demo.yaml: directions[1].from: site 'uss' is not defined in 'sites' (defined: sh, us). "
                        + "Fix: use one of the defined sites (did you mean 'us'?), or add 'uss' under 'sites'.");
    }

    @Test
    void directionsMustBeNonEmptyAndDistinct() {
        assertThat(errors("channel: demo\n" + SITES_AND_TABLES + "directions: []\n").getMessage())
                .isEqualTo("demo.yaml: directions: the list is empty; at least one direction is required. "
                        + "Fix: add e.g. '- { from: sh, to: us }'.");
        ChannelConfigException e = errors("channel: demo\n" + SITES_AND_TABLES + """
                directions:
                  - { from: sh, to: sh }
                  - { from: sh, to: us }
                  - { from: sh, to: us, startup: latest }
                  - { from: us, to: sh, name: sh->us }
                  - { from: us, to: sh, startup: sometimes }
                  - { from: us, to: sh, name: 'a b' }
                """);
        assertThat(e.getMessage()).contains(
                "demo.yaml: directions[0].to: 'from' and 'to' are both 'sh'; a direction must connect two different "
                        + "sites. Fix: set 'to' to another site.",
                "demo.yaml: directions[2]: duplicate direction from 'sh' to 'us' (already defined at directions[1]). "
                        + "Fix: remove one of them.",
                "demo.yaml: directions[3].name: direction name 'sh->us' is already used by directions[1]. "
                        + "Fix: give each direction a unique 'name'.",
                "demo.yaml: directions[4].startup: unknown value 'sometimes'. Fix: use one of: initial, latest "
                        + "(default: latest).",
                "demo.yaml: directions[5].name: invalid direction name 'a b'");
    }

    @Test
    void onlyTheFirstDirectionsSourceMayTakeAnInitialSnapshot() {
        ChannelConfigException e = errors("channel: demo\n" + SITES_AND_TABLES + """
                directions:
                  - { from: sh, to: us }
                  - { from: us, to: sh, startup: initial }
                """);
        assertThat(e.getMessage()).isEqualTo("demo.yaml: directions[1].startup: only directions from one site may take"
                + " an initial snapshot, and that is 'sh' (the source of the first direction). A snapshot from 'us' as"
                + " well would copy rows that are not stamped, so they could overwrite newer changes that arrived from"
                + " 'sh' in the meantime. Fix: use 'startup: latest' here (the default for directions not from 'sh'),"
                + " or list a direction from 'us' first.");
    }

    // ------------------------------------------------------------------ tables

    @Test
    void badRegexesNamePathAndIndex() {
        ChannelConfigException e = errors(twoWay("").replace("include: ['shop\\..*']",
                "include: ['shop\\..*', '[a-']\n  exclude: ['ok', '*bad']"));
        assertThat(e.getMessage())
                .contains("demo.yaml: tables.include[1]: invalid regular expression '[a-': ")
                .contains("demo.yaml: tables.exclude[1]: invalid regular expression '*bad': Dangling meta character '*'"
                        + " near index 0. Fix: fix the regular expression");
        assertThat(errors(twoWay("").replace("include: ['shop\\..*']", "include: []")).getMessage())
                .contains("demo.yaml: tables.include: the list is empty; at least one regular expression is required.");
    }

    // ------------------------------------------------------------------ checkpoint-interval, state-dir, apply

    @Test
    void checkpointInterval() {
        assertThat(errors(twoWay("checkpoint-interval: 1000\n")).getMessage())
                .isEqualTo("demo.yaml: checkpoint-interval: '1000' has no unit. Fix: add a unit, e.g. '1000ms' or '1000s'.");
        assertThat(errors(twoWay("checkpoint-interval: 1.5s\n")).getMessage())
                .isEqualTo("demo.yaml: checkpoint-interval: invalid duration '1.5s'. Fix: write a whole number followed "
                        + "by ms, s, m or h, e.g. '500ms', '1s' or '2m'.");
        assertThat(errors(twoWay("checkpoint-interval: 99ms\n")).getMessage())
                .isEqualTo("demo.yaml: checkpoint-interval: must be at least 100ms (got '99ms'). "
                        + "Fix: use 100ms or more (the default is 1s).");
        assertThat(errors(twoWay("checkpoint-interval: 99999999999999999999h\n")).getMessage())
                .contains("checkpoint-interval: duration '99999999999999999999h' is too large");
    }

    @Test
    void stateDir() {
        assertThat(errors(twoWay("state-dir: s3://bucket/ferry\n")).getMessage())
                .contains("demo.yaml: state-dir: 's3://' locations are not supported. Fix: use a local directory");
        assertThat(errors(twoWay("state-dir: ~/ferry\n")).getMessage())
                .contains("demo.yaml: state-dir: '~' is not expanded to the home directory. Fix: write the full path.");
        assertThat(errors(twoWay("state-dir: [a]\n")).getMessage())
                .contains("demo.yaml: state-dir: expected text, got a list.");
    }

    @Test
    void apply() {
        ChannelConfigException e = errors(twoWay("apply: { mode: paralel, parallelism: 0, batch-size: '100' }\n"));
        assertThat(e.getMessage()).contains(
                "demo.yaml: apply.mode: unknown value 'paralel'; did you mean 'parallel'? Fix: use one of: "
                        + "transactional, parallel (default: transactional).",
                "demo.yaml: apply.parallelism: must be an integer between 1 and 2147483647 (got 0). "
                        + "Fix: write a whole number of at least 1 without quotes, e.g. 'parallelism: 4'.",
                "demo.yaml: apply.batch-size: expected an integer, got text.");
        assertThat(errors(twoWay("apply: { batch-size: 3000000000 }\n")).getMessage())
                .contains("apply.batch-size: must be an integer between 1 and 2147483647 (got 3000000000)");
    }

    // ------------------------------------------------------------------ conflicts

    @Test
    void conflictsUnknownKeysAndTypes() {
        ChannelConfigException e = errors(twoWay("""
                conflicts:
                  defualt: { priority: sh }
                  tables:
                    - { match: 'a', policy: manual, colour: red }
                    - 'shop\\.x'
                  extra: 1
                """));
        assertThat(e.getMessage()).contains(
                "demo.yaml: conflicts.defualt: unknown key (line 17); did you mean 'default'? Fix: rename 'defualt' to 'default'.",
                "demo.yaml: conflicts.extra: unknown key (line 21). Fix: remove it; valid keys in 'conflicts' are: default, tables.",
                "demo.yaml: conflicts.tables[0].colour: unknown key (line 19). Fix: remove it; valid keys in 'conflicts.tables[0]'"
                        + " are: match, priority, newer-wins, policy, compare.",
                "demo.yaml: conflicts.tables[1]: expected a map, got text.");
        assertThat(e.problems()).hasSize(4);
        assertThat(errors(twoWay("conflicts: { default: { priority: sh, newerwins: x } }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.default.newerwins: unknown key (line 16); did you mean 'newer-wins'? "
                        + "Fix: rename 'newerwins' to 'newer-wins'.");
        assertThat(errors(twoWay("conflicts: [priority]\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts: expected a map, got a list. "
                        + "Fix: write it as a map, e.g. 'conflicts: { default: { priority: sh } }'.");
        assertThat(errors(twoWay("conflicts: { default: sh }\n")).getMessage())
                .startsWith("demo.yaml: conflicts.default: expected a map, got text.");
        assertThat(errors(twoWay("conflicts: { tables: { match: x } }\n")).getMessage())
                .startsWith("demo.yaml: conflicts.tables: expected a list, got a map.");
    }

    @Test
    void conflictRuleNeedsExactlyOnePolicy() {
        ChannelConfigException e = errors(twoWay("""
                conflicts:
                  default: { compare: all }
                  tables:
                    - { match: 'a', priority: sh, policy: manual }
                    - { match: 'b', priority: sh, newer-wins: ts, policy: manual }
                """));
        assertThat(e.getMessage()).contains(
                "demo.yaml: conflicts.default: no conflict policy is set. Fix: add exactly one of 'priority: sh', "
                        + "'newer-wins: <column>' or 'policy: source-wins|target-wins|manual'.",
                "demo.yaml: conflicts.tables[0]: more than one policy is set (priority, policy); a rule takes exactly "
                        + "one. Fix: keep only one of priority, policy.",
                "demo.yaml: conflicts.tables[1]: more than one policy is set (priority, newer-wins, policy)");
        assertThat(e.problems()).hasSize(3);
    }

    @Test
    void conflictPriorityMustNameASite() {
        assertThat(errors(twoWay("conflicts: { tables: [{ match: 'a', priority: uss }] }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.tables[0].priority: site 'uss' is not defined in 'sites' "
                        + "(defined: sh, us). Fix: use one of the defined sites (did you mean 'us'?), or add 'uss' under 'sites'.");
        assertThat(errors(twoWay("conflicts: { default: { priority: } }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.default.priority: has no value. Fix: write e.g. 'priority: sh'.");
    }

    @Test
    void conflictPolicyValues() {
        assertThat(errors(twoWay("conflicts: { default: { policy: target_wins } }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.default.policy: unknown value 'target_wins'; did you mean 'target-wins'? "
                        + "Fix: use one of: source-wins, target-wins, manual, or write 'priority: <site>' or "
                        + "'newer-wins: <column>' instead of 'policy'.");
        assertThat(errors(twoWay("conflicts: { default: { policy: newest } }\n")).getMessage())
                .startsWith("demo.yaml: conflicts.default.policy: unknown value 'newest'. Fix: use one of: ");
        assertThat(errors(twoWay("conflicts: { tables: [{ match: 'a' }, { match: 'b', policy: priority }] }\n"))
                .getMessage())
                .contains("demo.yaml: conflicts.tables[0]: no conflict policy is set.")
                .contains("demo.yaml: conflicts.tables[1].policy: 'priority' is not a value of 'policy': it needs the "
                        + "site that wins. Fix: write 'priority: sh' instead of 'policy: priority'.");
        assertThat(errors(twoWay("conflicts: { default: { policy: newer-wins } }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.default.policy: 'newer-wins' is not a value of 'policy': it needs the "
                        + "column to compare. Fix: write 'newer-wins: <column>' instead of 'policy: newer-wins'.");
        assertThat(errors(twoWay("conflicts: { default: { policy: [manual] } }\n")).getMessage())
                .startsWith("demo.yaml: conflicts.default.policy: expected text, got a list.");
    }

    @Test
    void conflictCompare() {
        ChannelConfigException e = errors(twoWay("""
                conflicts:
                  default: { newer-wins: ts, compare: versions }
                  tables:
                    - { match: 'a', newer-wins: ts, compare: version }
                    - { match: 'b', priority: us, compare: version }
                """));
        assertThat(e.getMessage())
                .isEqualTo("demo.yaml: conflicts.default.compare: unknown value 'versions'; did you mean 'version'? "
                        + "Fix: use one of: all, version (default: all).\n"
                        + "demo.yaml: conflicts.tables[1].compare: 'compare: version' compares only the key and the "
                        + "'newer-wins' column, but this rule has no 'newer-wins'. Fix: set 'newer-wins: <column>', or "
                        + "remove 'compare' to compare all columns.");
        assertThat(errors(twoWay("conflicts: { default: { policy: manual, compare: version } }\n")).problems())
                .extracting(Problem::path).containsExactly("conflicts.default.compare");
    }

    @Test
    void conflictNewerWinsNeedsAColumn() {
        assertThat(errors(twoWay("conflicts: { default: { newer-wins: '  ' } }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.default.newer-wins: is empty. Fix: write e.g. 'newer-wins: updated_at'.");
        assertThat(errors(twoWay("conflicts: { tables: [{ match: 'a', newer-wins: }] }\n")).getMessage())
                .isEqualTo("demo.yaml: conflicts.tables[0].newer-wins: has no value. Fix: write e.g. 'newer-wins: updated_at'.");
        assertThat(errors(twoWay("conflicts: { default: { newer-wins: 5 } }\n")).getMessage())
                .startsWith("demo.yaml: conflicts.default.newer-wins: expected text, got an integer. Fix: quote the value");
    }

    @Test
    void conflictMatchMustBeAValidRegex() {
        ChannelConfigException e = errors(twoWay("""
                conflicts:
                  tables:
                    - { policy: manual }
                    - { match: 'shop\\.(x', policy: manual }
                    - { match: '', policy: manual }
                """));
        assertThat(e.getMessage()).isEqualTo(
                "demo.yaml: conflicts.tables[0].match: required key is missing. Fix: add 'match: shop\\.orders'.\n"
                        + "demo.yaml: conflicts.tables[1].match: invalid regular expression 'shop\\.(x': Unclosed group"
                        + " near index 8. Fix: fix the regular expression (Java syntax; escape dots as '\\.' and use"
                        + " single quotes in YAML).\n"
                        + "demo.yaml: conflicts.tables[2].match: is empty. Fix: write e.g. 'match: shop\\.orders'.");
    }
}
