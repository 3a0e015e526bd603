package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.errors;
import static dev.ferry.config.ConfigFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerIdTest {

    private static final String THREE_SITES = """
            channel: %s
            sites:
              sh: { url: "jdbc:mysql://h1", user: ferry, password: "${env:SH_PASSWORD}"%s }
              us: { url: "jdbc:mysql://h2", user: ferry, password: "${env:US_PASSWORD}" }
              eu: { url: "jdbc:mysql://h3", user: ferry, password: "${env:US_PASSWORD}" }
            directions:
              - { from: sh, to: us }
              - { from: us, to: sh }
              - { from: sh, to: eu }
            tables: { include: ['.*'] }
            """;

    @Test
    void derivedIdsAreDeterministicAndDistinctPerDirection() {
        ChannelConfig a = parse(ConfigFixtures.twoWay(""));
        ChannelConfig b = parse(ConfigFixtures.twoWay(""));
        String shUs = a.direction("sh->us").serverIdRange();
        String usSh = a.direction("us->sh").serverIdRange();

        assertThat(shUs).isEqualTo(b.direction("sh->us").serverIdRange());
        assertThat(usSh).isEqualTo(b.direction("us->sh").serverIdRange());
        assertThat(shUs).isNotEqualTo(usSh);
        for (String range : new String[] {shUs, usSh}) {
            assertThat(range).matches("(\\d+)-\\1");
            long id = Long.parseLong(range.substring(0, range.indexOf('-')));
            assertThat(id).isBetween(5400L, 65000L);
        }
        // exactly the documented hash (stable across JVMs and releases)
        assertThat(a.direction("sh->us").serverIdStart()).isEqualTo(ChannelConfigParser.derivedServerId("demo", "sh", "us"));
        assertThat(a.direction("us->sh").serverIdStart()).isEqualTo(ChannelConfigParser.derivedServerId("demo", "us", "sh"));
    }

    @Test
    void derivedIdsDependOnTheChannelAndNotOnOrderOrName() {
        String twoWay = ConfigFixtures.twoWay("");
        ChannelConfig demo = parse(twoWay);
        ChannelConfig other = parse(twoWay.replace("channel: demo", "channel: other"));
        assertThat(other.direction("sh->us").serverIdRange()).isNotEqualTo(demo.direction("sh->us").serverIdRange());

        ChannelConfig reordered = parse(twoWay.replace("  - { from: sh, to: us }\n  - { from: us, to: sh }\n",
                "  - { from: us, to: sh, name: back }\n  - { from: sh, to: us }\n"));
        assertThat(reordered.direction("sh->us").serverIdRange()).isEqualTo(demo.direction("sh->us").serverIdRange());
        assertThat(reordered.direction("back").serverIdRange()).isEqualTo(demo.direction("us->sh").serverIdRange());
    }

    @Test
    void derivedIdsNeverOverlapWithinAChannel() {
        // many channels: each time all directions get distinct ids
        for (int i = 0; i < 200; i++) {
            ChannelConfig config = parse(THREE_SITES.formatted("c" + i, ""));
            assertThat(config.directions()).extracting(DirectionConfig::serverIdRange).doesNotHaveDuplicates();
        }
    }

    @Test
    void explicitRangeIsSplitBetweenDirectionsReadingTheSite() {
        ChannelConfig config = parse(THREE_SITES.formatted("demo", ", server-id: \"5400-5409\""));
        assertThat(config.site("sh").serverId()).isEqualTo("5400-5409");
        assertThat(config.direction("sh->us").serverIdRange()).isEqualTo("5400-5404");
        assertThat(config.direction("sh->eu").serverIdRange()).isEqualTo("5405-5409");
        assertThat(config.direction("us->sh").serverIdStart()).matches(id -> id < 5400 || id > 5409);

        ChannelConfig odd = parse(THREE_SITES.formatted("demo", ", server-id: 7000-7002"));
        assertThat(odd.direction("sh->us").serverIdRange()).isEqualTo("7000-7000");
        assertThat(odd.direction("sh->eu").serverIdRange()).isEqualTo("7001-7001");
    }

    @Test
    void explicitRangeTooNarrowForTheDirectionsReadingTheSite() {
        assertThat(errors(THREE_SITES.formatted("demo", ", server-id: 5400")).getMessage())
                .isEqualTo("demo.yaml: sites.sh.server-id: 2 directions read from site 'sh' (sh->us, sh->eu) but the "
                        + "range 5400-5400 has only 1 id(s); each direction needs its own server id. Fix: use a range "
                        + "with at least 2 ids, e.g. '5400-5401', or remove 'server-id' to let Ferry derive the ids.");
    }

    @Test
    void derivedIdsAvoidExplicitRanges() {
        long derived = ChannelConfigParser.derivedServerId("demo", "us", "sh");
        String yaml = ConfigFixtures.twoWay("").replace("    password: \"${env:SH_PASSWORD}\"\n",
                "    password: \"${env:SH_PASSWORD}\"\n    server-id: " + derived + "\n");
        ChannelConfig config = parse(yaml);
        assertThat(config.direction("sh->us").serverIdRange()).isEqualTo(derived + "-" + derived);
        assertThat(config.direction("us->sh").serverIdStart()).isEqualTo(derived == 65000 ? 5400 : derived + 1);
    }
}
