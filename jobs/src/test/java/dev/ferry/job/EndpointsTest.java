package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.ferry.compat.flink36520.ShowBinaryLogStatusInterceptor;
import dev.ferry.config.Secret;
import dev.ferry.config.SiteConfig;
import dev.ferry.config.TlsConfig;
import dev.ferry.operators.Endpoint;
import org.junit.jupiter.api.Test;

/** The driver properties a site's connections get, by kind of database and TLS block. */
class EndpointsTest {

    private static SiteConfig site(String url, int port, TlsConfig tls) {
        return new SiteConfig("s", url, "db", port, "ferry", Secret.of("pw"), null, null, tls, null);
    }

    @Test
    void aMySqlFamilySiteGetsConnectorJsTlsAndReadsTinyIntAsANumber() {
        TlsConfig tls = new TlsConfig(TlsConfig.Mode.VERIFY_CA, "/etc/ca.p12", Secret.of("store"));
        for (String url : new String[] {"jdbc:mysql://db:3306", "jdbc:mariadb://db:3306"}) {
            assertThat(Endpoints.jdbcProperties(site(url, 3306, tls))).containsOnly(entry("sslMode", "VERIFY_CA"),
                    entry("trustCertificateKeyStoreUrl", "file:/etc/ca.p12"),
                    entry("trustCertificateKeyStorePassword", "store"), entry("tinyInt1isBit", "false"),
                    entry("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME));
        }
        assertThat(Endpoints.jdbcProperties(site("jdbc:mysql://db:3306", 3306, TlsConfig.DEFAULT))).containsOnly(
                entry("sslMode", "PREFERRED"), entry("allowPublicKeyRetrieval", "true"), entry("tinyInt1isBit", "false"),
                entry("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME));
    }

    @Test
    void aPostgreSqlTargetGetsPgJdbcsSslMode() {
        Endpoint e = Endpoints.of(site("jdbc:postgresql://db/dw", 5432,
                new TlsConfig(TlsConfig.Mode.VERIFY_IDENTITY, "/etc/ca.p12", null)));
        assertThat(e.jdbcProperties()).containsOnly(entry("sslmode", "verify-full"));
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://db/dw");
        assertThat(e.applyConnectionOptions().getDriverName()).isEqualTo("org.postgresql.Driver");
        assertThat(e.applyConnectionOptions().getProperties()).contains(entry("sslmode", "verify-full"),
                entry("stringtype", "unspecified"), entry("autosave", "always"), entry("reWriteBatchedInserts", "true"),
                entry("connectTimeout", "10"), entry("socketTimeout", "600"));
    }

    @Test
    void anOracleTargetLeavesTlsToItsUrl() {
        Endpoint e = Endpoints.of(site("jdbc:oracle:thin:@//db:1521/FREEPDB1", 1521, TlsConfig.DEFAULT));
        assertThat(e.jdbcProperties()).isEmpty();
        assertThat(e.applyConnectionOptions().getDriverName()).isEqualTo("oracle.jdbc.OracleDriver");
        assertThat(e.applyConnectionOptions().getProperties()).contains(
                entry("oracle.net.CONNECT_TIMEOUT", "10000"), entry("oracle.jdbc.ReadTimeout", "600000"));
    }

    @Test
    void aMySqlSitesApplyConnectionKeepsItsOwnSettingsOverTheDefaults() {
        Endpoint e = Endpoints.of(site("jdbc:mysql://db:3306", 3306, new TlsConfig(TlsConfig.Mode.REQUIRED, null, null)));
        assertThat(e.applyConnectionOptions().getDriverName()).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(e.applyConnectionOptions().getProperties()).contains(entry("sslMode", "REQUIRED"),
                entry("tinyInt1isBit", "false"), entry("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME),
                entry("rewriteBatchedStatements", "true"), entry("characterEncoding", "UTF-8"),
                entry("connectTimeout", "10000"), entry("socketTimeout", "600000"));
    }
}
