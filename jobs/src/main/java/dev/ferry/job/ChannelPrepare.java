package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.config.SiteConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ferry prepare}: creates Ferry's system tables at every site of a channel (safe to repeat) and says
 * which grants Ferry's user needs there.
 */
public final class ChannelPrepare {
    /** What prepare did at one site, or why it could not, and the grants to give. */
    public record Site(String site, boolean prepared, String detail, List<String> grants) {}

    private ChannelPrepare() {}

    public static List<Site> run(ChannelConfig config) {
        Set<String> databases = replicatedDatabases(config);
        List<Site> out = new ArrayList<>();
        for (SiteConfig site : config.sites().values()) {
            List<String> grants = grants(config, site, databases);
            try (Connection c = Endpoints.of(site).connect()) {
                if (site.kind().hasBinlog()) {
                    Preflight.ensureFerryTables(site, c);
                } else {
                    TargetPreflight.ensureFerryTables(site, c, TargetPreflight.dialect(site, c));
                }
                out.add(new Site(site.name(), true, "Ferry's tables are in place (sql/"
                        + TargetChecks.schemaFile(site) + ")", grants));
            } catch (FerryException e) {
                out.add(new Site(site.name(), false, e.getMessage(), grants));
            } catch (SQLException e) {
                out.add(new Site(site.name(), false, Preflight.unreachable(site, e).getMessage(), grants));
            }
        }
        return out;
    }

    /** The databases of the included tables at the channel's sources, as far as they can be read now. */
    private static Set<String> replicatedDatabases(ChannelConfig config) {
        Set<String> databases = new TreeSet<>();
        for (DirectionConfig d : config.directions()) {
            SiteConfig from = config.site(d.from());
            try (Connection c = Endpoints.of(from).connect()) {
                for (TableId t : SourceChecks.includedTables(config, c).tables()) {
                    databases.add(t.database());
                }
            } catch (SQLException e) {
                // reported by this site's own entry
            }
        }
        return databases;
    }

    static List<String> grants(ChannelConfig config, SiteConfig site, Set<String> databases) {
        boolean source = config.directions().stream().anyMatch(d -> d.from().equals(site.name()));
        boolean target = config.directions().stream().anyMatch(d -> d.to().equals(site.name()));
        String user = site.user();
        List<String> grants = new ArrayList<>();
        switch (site.kind()) {
            case POSTGRESQL -> {
                grants.add("GRANT CREATE ON DATABASE <this database> TO \"" + user + "\";");
                grants.add("GRANT USAGE, CREATE ON SCHEMA ferry TO \"" + user + "\";");
                grants.add("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ferry TO \"" + user + "\";");
            }
            case ORACLE -> grants.add("GRANT CREATE SESSION, CREATE ANY TABLE, ALTER ANY TABLE, DROP ANY TABLE,"
                    + " CREATE ANY INDEX, SELECT ANY TABLE, INSERT ANY TABLE, UPDATE ANY TABLE, DELETE ANY TABLE TO "
                    + user.toUpperCase(java.util.Locale.ROOT) + ";");
            default -> {
                String to = " TO '" + user + "'@'%';";
                if (source) {
                    grants.add("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.*" + to);
                }
                grants.add("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `ferry`.*" + to);
                if (target) {
                    // TRIGGER: MySQL shows a table's triggers only with it, and Ferry must see them (TriggerCheck)
                    for (String db : databases) {
                        grants.add("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `"
                                + db.replace("`", "``") + "`.*" + to);
                    }
                }
            }
        }
        return grants;
    }
}
