package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.ENV_LOOKUP;
import static dev.ferry.config.ConfigFixtures.errors;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dialect.schema.IdentifierCase;
import org.junit.jupiter.api.Test;

/** PostgreSQL and Oracle sites: one-way targets only. */
class TargetSitesConfigTest {

    private static String channel(String targetSite, String directions) {
        return """
                channel: demo
                sites:
                  sh: { url: "jdbc:mysql://127.0.0.1:3306", user: ferry, password: "${env:SH_PASSWORD}" }
                """ + "  dw: " + targetSite + "\n" + """
                directions:
                """ + directions + "\n" + """
                tables:
                  include: ['shop\\\\..*']
                """;
    }

    private static ChannelConfig parse(String yaml) {
        return ChannelConfig.parse(yaml, "demo.yaml", ENV_LOOKUP);
    }

    @Test
    void aPostgreSqlSiteIsATargetWithItsDefaultPortAndIdentifierCase() {
        ChannelConfig c = parse(channel("{ url: \"jdbc:postgresql://db.example.com/warehouse\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\", identifiers: lower }", "  - { from: sh, to: dw }"));
        SiteConfig dw = c.site("dw");
        assertThat(dw.kind()).isEqualTo(new SiteConfig.Kind("PostgreSQL", false));
        assertThat(dw.port()).isEqualTo(5432);
        assertThat(dw.host()).isEqualTo("db.example.com");
        assertThat(dw.identifiers()).isEqualTo(IdentifierCase.LOWER);
        assertThat(c.site("sh").identifiers()).isNull();
    }

    @Test
    void anOracleSiteIsATargetWithPort1521() {
        ChannelConfig c = parse(channel("{ url: \"jdbc:oracle:thin:@//ora.example.com/FREEPDB1\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\" }", "  - { from: sh, to: dw }"));
        assertThat(c.site("dw").kind()).isEqualTo(new SiteConfig.Kind("Oracle", false));
        assertThat(c.site("dw").port()).isEqualTo(1521);
        assertThat(c.site("dw").identifiers()).as("the dialect's default").isNull();
    }

    @Test
    void aPostgreSqlSiteCannotBeASource() {
        assertThat(errors(channel("{ url: \"jdbc:postgresql://127.0.0.1:5432/warehouse\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\" }", "  - { from: sh, to: dw }\n  - { from: dw, to: sh }"))
                .getMessage())
                .contains("demo.yaml: directions[1].from: site 'dw' is a PostgreSQL database; Ferry reads changes"
                        + " from MySQL and MariaDB binlogs only, so PostgreSQL can only be a target. Fix: remove this"
                        + " direction, or make 'dw' its 'to'.");
    }

    @Test
    void aTargetUrlMustNameItsDatabase() {
        assertThat(errors(channel("{ url: \"jdbc:postgresql://127.0.0.1:5432\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\" }", "  - { from: sh, to: dw }")).getMessage())
                .contains("demo.yaml: sites.dw.url: the URL names no database. Fix: write it like"
                        + " 'jdbc:postgresql://db.example.com:5432/warehouse'.");
    }

    @Test
    void identifiersAreForTargetsOnlyAndTakeThreeValues() {
        String mysqlWithCase = channel("{ url: \"jdbc:mysql://127.0.0.1:3307\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\", identifiers: upper }", "  - { from: sh, to: dw }");
        assertThat(errors(mysqlWithCase).getMessage()).contains("demo.yaml: sites.dw.identifiers: 'identifiers'"
                + " applies to PostgreSQL and Oracle targets only");
        String badValue = channel("{ url: \"jdbc:postgresql://127.0.0.1/w\", user: ferry,"
                + " password: \"${env:US_PASSWORD}\", identifiers: camel }", "  - { from: sh, to: dw }");
        assertThat(errors(badValue).getMessage()).contains("sites.dw.identifiers: unknown value 'camel'")
                .contains("use one of: preserve, upper, lower");
    }
}
