package dev.ferry.job;

import dev.ferry.common.TableId;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.DirectionConfig;
import dev.ferry.config.SiteConfig;
import dev.ferry.config.TableFilter;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.check.GrantRequest;
import dev.ferry.dialect.check.MySqlAccount;
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
        return run(config, true);
    }

    /**
     * The grants of every site, and with {@code createTables} Ferry's tables there. The grants need nothing but a
     * login, so that they can be printed, and run by an admin, before Ferry's user may do anything else.
     */
    public static List<Site> run(ChannelConfig config, boolean createTables) {
        Set<String> databases = replicatedDatabases(config);
        List<Site> out = new ArrayList<>();
        for (SiteConfig site : config.sites().values()) {
            String account = MySqlAccount.assumed(site.user());
            try (Connection c = Endpoints.of(site).connect()) {
                if (site.kind().hasBinlog()) {
                    account = MySqlAccount.current(c);
                }
                if (!createTables) {
                    out.add(new Site(site.name(), true, "logged in as " + account, grants(config, site, databases,
                            account)));
                    continue;
                }
                if (site.kind().hasBinlog()) {
                    Preflight.ensureFerryTables(site, c);
                } else {
                    TargetPreflight.ensureFerryTables(site, c, TargetPreflight.dialect(site, c));
                }
                out.add(new Site(site.name(), true, "Ferry's tables are in place (sql/"
                        + TargetChecks.schemaFile(site) + ")", grants(config, site, databases, account)));
            } catch (FerryException e) {
                out.add(new Site(site.name(), false, e.getMessage(), grants(config, site, databases, account)));
            } catch (SQLException e) {
                out.add(new Site(site.name(), false, Preflight.unreachable(site, e).getMessage(),
                        grants(config, site, databases, account)));
            }
        }
        return out;
    }

    /**
     * The databases of the included tables: those the include expressions name, and those of the tables the
     * channel's sources show now (before its grants, Ferry's user may see none of them).
     */
    static Set<String> replicatedDatabases(ChannelConfig config) {
        Set<String> databases = new TreeSet<>(config.tableFilter().literalDatabases());
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

    /** @param account the MySQL account to grant to, quoted ({@link MySqlAccount}) */
    static List<String> grants(ChannelConfig config, SiteConfig site, Set<String> databases, String account) {
        boolean source = config.directions().stream().anyMatch(d -> d.from().equals(site.name()));
        boolean target = config.directions().stream().anyMatch(d -> d.to().equals(site.name()));
        List<String> openPatterns = config.tableFilter().includePatterns().stream()
                .filter(p -> TableFilter.literalDatabase(p).isEmpty()).toList();
        return Dialects.factory(site.url()).writeGrants().statements(new GrantRequest(site.user(), account, source,
                target, databases, openPatterns));
    }
}
