package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.dialect.schema.IdentifierCase;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code sites} map: each {@link SiteConfig} with its {@link TlsConfig}. */
final class SitesSection {
    private final ConfigReader r;
    private final ShapeBinder binder;
    private final SecretReader secrets;

    SitesSection(ConfigReader r, ShapeBinder binder, SecretReader secrets) {
        this.r = r;
        this.binder = binder;
        this.secrets = secrets;
    }

    /** {@code node} is the value of {@code sites}, {@code null} if absent. */
    Sites read(JsonNode node) {
        Sites sites = new Sites();
        if (node == null) {
            r.missing("sites", "sites",
                    "{ sh: { url: \"jdbc:mysql://host:3306\", user: ferry, password: \"${env:SH_PASSWORD}\" } }");
            return sites;
        }
        ObjectNode m = r.asMap(node, "sites",
                "write 'sites' as a map from site name to settings, e.g. 'sites: { sh: { url: ..., user: ..., password: ... } }'");
        if (m == null) {
            return sites;
        }
        sites.checkable = true;
        if (m.isEmpty()) {
            r.problem("sites", "no sites are defined", "add at least one site, e.g. "
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
        int before = r.count();
        if (!ChannelConfig.NAME.matcher(name).matches()) {
            r.problem(path, "invalid site name '" + name + "': use 1 to 32 letters, digits, '_' or '-'",
                    "rename the site, e.g. 'sh' or 'us-east'");
        }
        ObjectNode m = r.asMap(node, path, "write the site as a map, e.g. '" + name
                + ": { url: \"jdbc:mysql://host:3306\", user: ferry, password: \"${env:PASSWORD}\" }'");
        if (m == null) {
            return null;
        }
        FileShape.Site site = binder.bind(m, path, FileShape.Site.class);
        String owner = "site '" + name + "'";

        String url = r.text(site.url(), path, "url", true, "\"jdbc:mysql://db.example.com:3306\"");
        JdbcUrl hostPort = url == null ? null : JdbcUrl.parse(url, path + ".url", r);
        String user = r.text(site.user(), path, "user", true, "ferry");
        Secret password = secrets.read(site.password(), site.passwordFile(), path, "password", "password-file", true,
                owner, "password");

        String serverId = null;
        JsonNode serverIdNode = site.serverId();
        if (serverIdNode != null) {
            long[] range = ServerIds.range(serverIdNode, path + ".server-id", r);
            if (range != null) {
                sites.serverIds.put(name, range);
                serverId = range[0] + "-" + range[1];
            }
        }

        String timeZone = r.text(site.timeZone(), path, "time-zone", false, "\"+08:00\"");
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                r.problem(path + ".time-zone", "invalid time zone '" + timeZone + "' (" + e.getMessage() + ")",
                        "use a UTC offset like '+08:00' or a region ID like 'Asia/Shanghai'");
            }
        }

        TlsConfig tls = TlsConfig.DEFAULT;
        JsonNode tlsNode = site.tls();
        if (tlsNode != null) {
            tls = tls(tlsNode, path + ".tls", owner);
        }

        IdentifierCase identifiers = null;
        if (site.identifiers() != null) {
            identifiers = r.enumValue(site.identifiers(), path, "identifiers", IdentifierCase.values(),
                    c -> c.name().toLowerCase(Locale.ROOT), (IdentifierCase) null);
            if (identifiers != null && url != null && SiteConfig.Kind.ofUrl(url).hasBinlog()) {
                r.problem(path + ".identifiers", "'identifiers' applies to PostgreSQL and Oracle targets only; MySQL"
                        + " and MariaDB sites keep the source's names", "remove 'identifiers' from this site");
            }
        }

        if (r.count() != before) {
            return null;
        }
        return new SiteConfig(name, url, hostPort.host(), hostPort.port(), user, password, serverId, timeZone, tls,
                identifiers);
    }

    private TlsConfig tls(JsonNode node, String path, String owner) {
        ObjectNode t = r.asMap(node, path, "write it as a map, e.g. 'tls: { mode: verify-ca, trust-store: /etc/ferry/ca.p12 }'");
        if (t == null) {
            return null;
        }
        int before = r.count();
        FileShape.Tls shape = binder.bind(t, path, FileShape.Tls.class);
        TlsConfig.Mode mode = r.enumValue(shape.mode(), path, "mode", TlsConfig.Mode.values(),
                TlsConfig.Mode::yamlName, TlsConfig.Mode.PREFERRED);
        String trustStore = r.text(shape.trustStore(), path, "trust-store", false, "/etc/ferry/truststore.p12");
        Secret trustStorePassword = secrets.read(shape.trustStorePassword(), shape.trustStorePasswordFile(), path,
                "trust-store-password", "trust-store-password-file", false, owner, "trust store password");
        if (shape.trustStore() == null) {
            passwordWithoutStore(shape.trustStorePassword(), path, "trust-store-password");
            passwordWithoutStore(shape.trustStorePasswordFile(), path, "trust-store-password-file");
        }
        if (mode == TlsConfig.Mode.DISABLED && shape.trustStore() != null) {
            r.problem(path + ".trust-store", "'trust-store' is set but 'mode' is 'disabled'",
                    "remove 'trust-store', or set 'mode' to required, verify-ca or verify-identity");
        }
        if (r.count() != before) {
            return null;
        }
        return new TlsConfig(mode, trustStore, trustStorePassword);
    }

    private void passwordWithoutStore(JsonNode value, String path, String key) {
        if (value != null) {
            r.problem(path + "." + key, "a trust store password is set but 'trust-store' is not",
                    "add 'trust-store: /path/to/truststore' or remove '" + key + "'");
        }
    }
}
