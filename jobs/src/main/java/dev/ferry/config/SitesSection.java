package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.dialect.schema.IdentifierCase;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code sites} map: each {@link SiteConfig} with its {@link TlsConfig}. */
final class SitesSection {
    private final ConfigReader r;
    private final SecretReader secrets;

    SitesSection(ConfigReader r, SecretReader secrets) {
        this.r = r;
        this.secrets = secrets;
    }

    Sites read(ObjectNode top) {
        Sites sites = new Sites();
        JsonNode node = top.get("sites");
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
        r.rejectUnknownKeys(m, path, SiteConfig.KEYS);
        String owner = "site '" + name + "'";

        String url = r.text(m, path, "url", true, "\"jdbc:mysql://db.example.com:3306\"");
        JdbcUrl hostPort = url == null ? null : JdbcUrl.parse(url, path + ".url", r);
        String user = r.text(m, path, "user", true, "ferry");
        Secret password = secrets.read(m, path, "password", "password-file", true, owner, "password");

        String serverId = null;
        JsonNode serverIdNode = m.get("server-id");
        if (serverIdNode != null) {
            long[] range = ServerIds.range(serverIdNode, path + ".server-id", r);
            if (range != null) {
                sites.serverIds.put(name, range);
                serverId = range[0] + "-" + range[1];
            }
        }

        String timeZone = r.text(m, path, "time-zone", false, "\"+08:00\"");
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                r.problem(path + ".time-zone", "invalid time zone '" + timeZone + "' (" + e.getMessage() + ")",
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
            identifiers = r.enumValue(m, path, "identifiers", IdentifierCase.values(),
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
        r.rejectUnknownKeys(t, path, TlsConfig.KEYS);
        TlsConfig.Mode mode = r.enumValue(t, path, "mode", TlsConfig.Mode.values(), TlsConfig.Mode::yamlName,
                TlsConfig.Mode.PREFERRED);
        String trustStore = r.text(t, path, "trust-store", false, "/etc/ferry/truststore.p12");
        Secret trustStorePassword = secrets.read(t, path, "trust-store-password", "trust-store-password-file", false,
                owner, "trust store password");
        if (!t.has("trust-store")) {
            for (String key : List.of("trust-store-password", "trust-store-password-file")) {
                if (t.has(key)) {
                    r.problem(path + "." + key, "a trust store password is set but 'trust-store' is not",
                            "add 'trust-store: /path/to/truststore' or remove '" + key + "'");
                }
            }
        }
        if (mode == TlsConfig.Mode.DISABLED && t.has("trust-store")) {
            r.problem(path + ".trust-store", "'trust-store' is set but 'mode' is 'disabled'",
                    "remove 'trust-store', or set 'mode' to required, verify-ca or verify-identity");
        }
        if (r.count() != before) {
            return null;
        }
        return new TlsConfig(mode, trustStore, trustStorePassword);
    }
}
