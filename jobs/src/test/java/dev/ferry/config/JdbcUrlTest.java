package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfigException.Problem;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {
    private final ConfigReader r = new ConfigReader();

    @Test
    void hostAndPortWithTheDatabasesDefaultPort() {
        assertThat(JdbcUrl.parse("jdbc:mysql://db.example.com", "u", r)).isEqualTo(new JdbcUrl("db.example.com", 3306));
        assertThat(JdbcUrl.parse("jdbc:mariadb://db:3310/shop?useSSL=true", "u", r)).isEqualTo(new JdbcUrl("db", 3310));
        assertThat(JdbcUrl.parse("jdbc:postgresql://pg/warehouse", "u", r)).isEqualTo(new JdbcUrl("pg", 5432));
        assertThat(JdbcUrl.parse("jdbc:oracle:thin:@//ora/FREEPDB1", "u", r)).isEqualTo(new JdbcUrl("ora", 1521));
        assertThat(JdbcUrl.parse("jdbc:oracle:thin:@ora:1522/FREEPDB1", "u", r)).as("Easy Connect without '//'")
                .isEqualTo(new JdbcUrl("ora", 1522));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void ipv6InBracketsLosesItsBrackets() {
        assertThat(JdbcUrl.parse("jdbc:mysql://[::1]:3307", "u", r)).isEqualTo(new JdbcUrl("::1", 3307));
        assertThat(JdbcUrl.parse("jdbc:mysql://[fe80::1%eth0]", "u", r)).isEqualTo(new JdbcUrl("fe80::1%eth0", 3306));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void everyCredentialInTheUrlIsAProblemAtItsPath() {
        assertThat(JdbcUrl.parse("jdbc:mysql://u:p@db:3306/shop?user=u&password=p", "sites.sh.url", r)).isNull();
        assertThat(r.problems()).extracting(Problem::path).containsExactly("sites.sh.url", "sites.sh.url");
        assertThat(r.problems()).extracting(Problem::problem).containsExactly(
                "the URL contains a password (query property 'password'); secrets must not be written in the URL",
                "the URL contains a password ('user:password@'); secrets must not be written in the URL");
    }

    @Test
    void aTargetOnlyUrlMustNameItsDatabase() {
        assertThat(JdbcUrl.parse("jdbc:oracle:thin:@//ora:1521", "u", r)).isNull();
        assertThat(r.problems()).extracting(Problem::problem).containsExactly("the URL names no database service");
        assertThat(r.problems()).extracting(Problem::fix)
                .containsExactly("write it like 'jdbc:oracle:thin:@//db.example.com:1521/FREEPDB1'");
    }

    @Test
    void aUrlOfAnotherDriverOfAKnownDatabaseIsRefused() {
        assertThat(JdbcUrl.parse("jdbc:oracle:oci:@ora/FREEPDB1", "u", r)).isNull();
        assertThat(r.problems()).extracting(Problem::problem).singleElement().asString()
                .startsWith("the URL must start with 'jdbc:mysql://'");
    }
}
