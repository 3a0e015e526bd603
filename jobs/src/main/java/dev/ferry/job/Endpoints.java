package dev.ferry.job;

import dev.ferry.compat.flink36520.ShowBinaryLogStatusInterceptor;
import dev.ferry.config.SiteConfig;
import dev.ferry.config.TlsConfig;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.TlsMode;
import dev.ferry.operators.Endpoint;
import java.util.Map;
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
        p.putAll(tlsProperties(site));
        return p;
    }

    static Properties jdbcProperties(SiteConfig site) {
        Properties p = new Properties();
        p.putAll(tlsProperties(site));
        // also for the binlog reader's connections, which read values too
        p.putAll(Dialects.factory(site.url()).valueProperties());
        // FLINK-36520: MySQL 8.4+ has no SHOW MASTER STATUS
        p.setProperty("queryInterceptors", ShowBinaryLogStatusInterceptor.CLASS_NAME);
        return p;
    }

    /** The site's {@code tls} block in its driver's properties. */
    private static Map<String, String> tlsProperties(SiteConfig site) {
        TlsConfig tls = site.tls();
        return Dialects.factory(site.url()).tlsProperties(TlsMode.valueOf(tls.mode().name()), tls.trustStore(),
                tls.trustStorePassword() == null ? null : tls.trustStorePassword().reveal());
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
