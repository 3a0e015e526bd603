package dev.ferry.conflict;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void sourceWinsInAOneWayChannelAlwaysTakesTheIncomingChange() {
        ConflictRules oneWay = new ConflictRules(new TableConflictRule(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS),
                true), List.of(), "sh", "sh");
        assertThat(oneWay.incomingWins(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS), 0)).isTrue();
        assertThat(oneWay.inTwoWayChannel().incomingWins(ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS), 0))
                .as("the home site's change loses at the other site, which the home site also decided").isFalse();
    }

    private static ConflictRules rules(String source, ConflictPolicy policy) {
        return new ConflictRules(new TableConflictRule(policy, true), List.of(), source, "sh").inTwoWayChannel();
    }
}
