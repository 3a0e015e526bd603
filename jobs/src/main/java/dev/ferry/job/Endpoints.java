package dev.ferry.job;

import dev.ferry.compat.flink36520.ShowBinaryLogStatusInterceptor;
import dev.ferry.config.SiteConfig;
import dev.ferry.config.TlsConfig;
import dev.ferry.operators.Endpoint;
import java.util.Properties;

/** Site configuration -> the operators' {@link Endpoint}, with the driver settings Ferry relies on. */
public final class Endpoints {
    private Endpoints() {}

    public static Endpoint of(SiteConfig site) {
        if (!site.kind().hasBinlog()) {
            return new Endpoint(site.name(), site.host(), site.port(), site.user(), site.password().reveal(),
                    targetProperties(site), site.url(), site.identifiers());
        }
        return new Endpoint(site.name(), site.host(), site.port(), site.user(), site.password().reveal(),
                jdbcProperties(site));
    }

    /** Driver properties of a PostgreSQL or Oracle target: TLS only (the URL carries the rest). */
    private static Properties targetProperties(SiteConfig site) {
        Properties p = new Properties();
        TlsConfig.Mode mode = site.tls().mode();
        if (site.kind() == SiteConfig.Kind.POSTGRESQL) {
            p.setProperty("sslmode", switch (mode) {
                case DISABLED -> "disable";
                case PREFERRED -> "prefer";
                case REQUIRED -> "require";
                case VERIFY_CA -> "verify-ca";
                case VERIFY_IDENTITY -> "verify-full";
            });
        }
        // Oracle: TLS is chosen by the URL (tcps://...) and the wallet or JVM trust store
        return p;
    }

    static Properties jdbcProperties(SiteConfig site) {
        Properties p = new Properties();
        TlsConfig tls = site.tls();
        p.setProperty("sslMode", tls.mode().connectorJSslMode());
        if (tls.mode() == TlsConfig.Mode.DISABLED || tls.mode() == TlsConfig.Mode.PREFERRED) {
            // caching_sha2_password over a connection without TLS needs the server's RSA key
            p.setProperty("allowPublicKeyRetrieval", "true");
        }
        if (tls.trustStore() != null) {
            p.setProperty("trustCertificateKeyStoreUrl", "file:" + tls.trustStore());
            if (tls.trustStorePassword() != null) {
                p.setProperty("trustCertificateKeyStorePassword", tls.trustStorePassword().reveal());
            }
        }
        // TINYINT(1) is a number, not a boolean: 5 must stay 5
        p.setProperty("tinyInt1isBit", "false");
        // FLINK-36520: MySQL 8.4+ has no SHOW MASTER STATUS
        p.setProperty("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME);
        return p;
    }

    /** Debezium's own TLS settings for the binlog connection (it does not use JDBC for that). */
    static Properties binlogTlsProperties(SiteConfig site) {
        Properties p = new Properties();
        TlsConfig tls = site.tls();
        p.setProperty("database.ssl.mode", tls.mode().yamlName().replace('-', '_'));
        if (tls.trustStore() != null) {
            p.setProperty("database.ssl.truststore", tls.trustStore());
            if (tls.trustStorePassword() != null) {
                p.setProperty("database.ssl.truststore.password", tls.trustStorePassword().reveal());
            }
        }
        return p;
    }
}
