package dev.ferry.conflict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a two-way channel both sites decide each conflict, each as the target of the other's change: every policy
 * Ferry accepts there must pick the same version at both (docs/conflicts.md).
 */
class ConflictRulesTest {
    @Test
    void bothSitesPickTheSameVersionUnderEveryConvergingPolicy() {
        ConflictRules atUs = rules("sh", ConflictPolicy.priority("sh")); // sh's change arriving at us
        ConflictRules atSh = rules("us", ConflictPolicy.priority("sh"));
        for (ConflictPolicy policy : List.of(ConflictPolicy.priority("sh"), ConflictPolicy.priority("us"),
                ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS))) {
            boolean shWinsAtUs = atUs.incomingWins(policy, 0);
            boolean shWinsAtSh = !atSh.incomingWins(policy, 0);
            assertThat(shWinsAtUs).as(policy.toString()).isEqualTo(shWinsAtSh);
        }
        ConflictPolicy newer = ConflictPolicy.newerWins("ts");
        for (int order : new int[] {-1, 0, 1}) {
            // order: sh's version compared with us's, as us sees it; sh sees the opposite
            assertThat(atUs.incomingWins(newer, order)).as("newer-wins, order " + order)
                    .isEqualTo(!atSh.incomingWins(newer, -order));
        }
    }

    /**
     * Three sites linked through a hub: on every link both ends pick the same version under every policy, whichever
     * site the policy names, and a named site's version wins on every link towards it (so everywhere).
     */
    @Test
    void onEveryLinkOfAHubBothEndsPickTheSameVersionAndTheNamedSiteWinsTowardsIt() {
        SiteTree links = SiteTree.of(List.of(List.of("sh", "us"), List.of("sh", "eu")));
        List<ConflictPolicy> policies = List.of(ConflictPolicy.priority("sh"), ConflictPolicy.priority("us"),
                ConflictPolicy.priority("eu"), ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS));
        for (String spoke : List.of("us", "eu")) {
            ConflictRules atSpoke = rules("sh", links, spoke); // the hub's change arriving at the spoke
            ConflictRules atHub = rules(spoke, links, "sh");
            for (ConflictPolicy policy : policies) {
                assertThat(atSpoke.incomingWins(policy, 0)).as(policy + " on sh<->" + spoke)
                        .isEqualTo(!atHub.incomingWins(policy, 0));
            }
            for (int order : new int[] {-1, 0, 1}) {
                assertThat(atSpoke.incomingWins(ConflictPolicy.newerWins("ts"), order)).as("newer-wins " + order)
                        .isEqualTo(!atHub.incomingWins(ConflictPolicy.newerWins("ts"), -order));
            }
            assertThat(atHub.incomingWins(ConflictPolicy.priority(spoke), 0)).as(spoke + " wins at the hub").isTrue();
            assertThat(atSpoke.incomingWins(ConflictPolicy.priority("sh"), 0)).as("sh wins at " + spoke).isTrue();
        }
        // priority of us: at eu the hub's version (us's, relayed) wins, and at the hub eu's loses
        assertThat(rules("sh", links, "eu").incomingWins(ConflictPolicy.priority("us"), 0)).isTrue();
        assertThat(rules("eu", links, "sh").incomingWins(ConflictPolicy.priority("us"), 0)).isFalse();
        // source-wins: the end further from home (sh) wins on each link
        assertThat(rules("us", links, "sh").incomingWins(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS), 0))
                .isTrue();
    }

    @Test
    void linksThatCloseACycleAreRefused() {
        List<List<String>> mesh = List.of(List.of("sh", "us"), List.of("sh", "eu"), List.of("us", "eu"));
        assertThat(SiteTree.cycleClosedBy(mesh)).isEqualTo(List.of("us", "eu"));
        assertThat(SiteTree.cycleClosedBy(mesh.subList(0, 2))).isNull();
        assertThatThrownBy(() -> SiteTree.of(mesh))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us<->eu");
    }

    @Test
    void sourceWinsInAOneWayChannelAlwaysTakesTheIncomingChange() {
        ConflictRules oneWay = new ConflictRules(new TableConflictRule(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS),
                true), List.of(), "sh", "sh");
        assertThat(oneWay.incomingWins(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS), 0)).isTrue();
        assertThat(oneWay.inTwoWayChannel().incomingWins(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS), 0))
                .as("the home site's change loses at the other site, which the home site also decided").isFalse();
    }

    private static ConflictRules rules(String source, SiteTree links, String target) {
        return new ConflictRules(new TableConflictRule(ConflictPolicy.priority("sh"), true), List.of(), source, "sh")
                .inTwoWayChannel(links, target);
    }

    private static ConflictRules rules(String source, ConflictPolicy policy) {
        return new ConflictRules(new TableConflictRule(policy, true), List.of(), source, "sh").inTwoWayChannel();
    }
}
