package dev.ferry.operators.conflict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decisions between two sites must come out the same at both, or the sites end different (invariant I1). */
class ConflictRulesTest {
    private static final List<String> SITES = List.of("sh", "us", "eu");

    private static boolean incomingWins(ConflictPolicy policy, String from, String to, int versionOrder) {
        ConflictRules rules = new ConflictRules(new TableConflictRule(policy, true), List.of(), from, to, "sh", SITES);
        return rules.incomingWins(policy, versionOrder);
    }

    @Test
    void everyPairOfSitesAgreesOnOneWinnerUnderPriorityAndNewerWinsTies() {
        for (ConflictPolicy policy : List.of(ConflictPolicy.priority("sh"), ConflictPolicy.priority("us"),
                ConflictPolicy.priority("eu"), ConflictPolicy.newerWins("v"))) {
            for (String a : SITES) {
                for (String b : SITES) {
                    if (a.equals(b)) {
                        continue;
                    }
                    // exactly one direction of the pair lets the incoming version win: the same version wins at both
                    assertThat(incomingWins(policy, a, b, 0) ^ incomingWins(policy, b, a, 0))
                            .as("%s between %s and %s", policy, a, b).isTrue();
                }
            }
        }
    }

    @Test
    void priorityNamesTheWinnerAndOtherwiseTheSiteListedFirstWins() {
        assertThat(incomingWins(ConflictPolicy.priority("us"), "us", "sh", 0)).isTrue();
        assertThat(incomingWins(ConflictPolicy.priority("us"), "sh", "us", 0)).isFalse();
        assertThat(incomingWins(ConflictPolicy.priority("us"), "sh", "eu", 0)).as("sh is listed before eu").isTrue();
        assertThat(incomingWins(ConflictPolicy.priority("us"), "eu", "sh", 0)).isFalse();
    }

    @Test
    void newerWinsComparesVersionsFirst() {
        assertThat(incomingWins(ConflictPolicy.newerWins("v"), "eu", "sh", 1)).isTrue();
        assertThat(incomingWins(ConflictPolicy.newerWins("v"), "sh", "eu", -1)).isFalse();
        assertThat(incomingWins(ConflictPolicy.newerWins("v"), "eu", "us", 0)).as("tie: us is listed first").isFalse();
    }
}
