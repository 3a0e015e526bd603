package dev.ferry.conflict;

import dev.ferry.common.TableId;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The conflict rules of one direction: a rule per table pattern (first match wins) and a default.
 * {@code sourceSite} is where this direction's changes come from; {@code homeSite}, the channel's
 * first site, breaks newer-wins ties. With more than two sites, a site a policy names decides through the channel's
 * {@link SiteTree}: on each link the end nearer to it wins.
 */
public final class ConflictRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One {@code tables:} entry: a regular expression on {@code db.table} and its rule. */
    public record TableMatch(Pattern pattern, TableConflictRule rule) implements Serializable {}

    private final TableConflictRule defaultRule;
    private final List<TableMatch> tables;
    private final String sourceSite;
    private final String homeSite;
    /** The channel also has the direction back: both sites decide each conflict, and must agree. */
    private final boolean twoWay;
    /** Two-way with a known target: the channel's links, by which a named site decides between source and target. */
    private final SiteTree links;
    private final String targetSite;

    public ConflictRules(TableConflictRule defaultRule, List<TableMatch> tables, String sourceSite, String homeSite) {
        this.defaultRule = Objects.requireNonNull(defaultRule);
        this.tables = List.copyOf(tables);
        this.sourceSite = Objects.requireNonNull(sourceSite);
        this.homeSite = Objects.requireNonNull(homeSite);
        this.twoWay = false;
        this.links = null;
        this.targetSite = null;
    }

    private ConflictRules(ConflictRules rules, SiteTree links, String targetSite) {
        this.defaultRule = rules.defaultRule;
        this.tables = rules.tables;
        this.sourceSite = rules.sourceSite;
        this.homeSite = rules.homeSite;
        this.twoWay = true;
        this.links = links;
        this.targetSite = targetSite;
    }

    /**
     * The same rules for a direction whose channel has the direction back. Both sites then decide each conflict
     * (each as the target of the other's change), so every policy must pick the same version at both: for
     * {@code source-wins} that is the other site's version, which the home site takes and the other site keeps.
     */
    public ConflictRules inTwoWayChannel() {
        return new ConflictRules(this, null, null);
    }

    /**
     * {@link #inTwoWayChannel()} for a channel of any number of sites: a policy that names a site picks, between this
     * direction's source and {@code targetSite}, the one nearer to it in {@code links}. With two sites that is the
     * same as {@link #inTwoWayChannel()}.
     */
    public ConflictRules inTwoWayChannel(SiteTree links, String targetSite) {
        return new ConflictRules(this, Objects.requireNonNull(links), Objects.requireNonNull(targetSite));
    }

    /** The channel default when a channel file says nothing: the home site wins, every column compared. */
    public static ConflictRules homeWins(String sourceSite, String homeSite) {
        return new ConflictRules(new TableConflictRule(ConflictPolicy.priority(homeSite), true), List.of(),
                sourceSite, homeSite);
    }

    public TableConflictRule ruleFor(TableId table) {
        String name = table.database() + "." + table.table();
        for (TableMatch m : tables) {
            if (m.pattern().matcher(name).matches()) {
                return m.rule();
            }
        }
        return defaultRule;
    }

    public String sourceSite() {
        return sourceSite;
    }

    public String homeSite() {
        return homeSite;
    }

    /** Whether the channel also has the direction back (see {@link #inTwoWayChannel}). */
    public boolean twoWay() {
        return twoWay;
    }

    /**
     * Whether a change that finds its row missing, with no write at the target concurrent with it, simply puts the
     * row back. In a two-way channel each direction reads its target's own writes (TargetHistory), so such a row
     * was not deleted by the target behind the source's back: Ferry removed it here, as the loser of a unique-key
     * collision or to make room for a winner, and its source, which kept it, has changed it since. Deciding by policy
     * would keep the sites apart. {@code target-wins} and {@code manual} never remove rows; there the policy decides.
     */
    public boolean refillsRowsItRemoved(ConflictPolicy policy) {
        return twoWay && policy.kind() != ConflictPolicy.Kind.TARGET_WINS && policy.kind() != ConflictPolicy.Kind.MANUAL;
    }

    /**
     * Whether the incoming change wins over the target row.
     *
     * @param versionOrder for newer-wins: the incoming version compared with the target's (negative,
     *     zero or positive; a missing value is older than any value), ignored by the other policies
     */
    public boolean incomingWins(ConflictPolicy policy, int versionOrder) {
        return switch (policy.kind()) {
            case PRIORITY -> sourceNearer(policy.site());
            case NEWER_WINS -> versionOrder != 0 ? versionOrder > 0 : sourceNearer(homeSite);
            case SOURCE_WINS -> !twoWay || !sourceNearer(homeSite);
            case TARGET_WINS, MANUAL -> false;
        };
    }

    /** Whether the source is nearer to {@code site} than the target: with two sites, whether it is that site. */
    private boolean sourceNearer(String site) {
        return links == null ? sourceSite.equals(site) : links.nearer(sourceSite, targetSite, site);
    }
}
