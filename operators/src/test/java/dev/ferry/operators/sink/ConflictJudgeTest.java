package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.BinlogPosition;
import dev.ferry.common.ChangeEvent;
import dev.ferry.common.Op;
import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;
import dev.ferry.conflict.TableConflictRule;
import dev.ferry.operators.sink.ConflictJudge.MetRow;
import dev.ferry.operators.sink.ConflictJudge.Missed;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conflict decisions without a database. In a two-way channel both sites decide each conflict, each as the
 * target of the other's change, so the cases below judge one conflict from both sides and ask that the same version
 * stays at both (docs/conflicts.md).
 */
class ConflictJudgeTest {
    private static final TableId TABLE = new TableId("shop", "items");
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "v", "ver"}, new int[] {0});
    private static final int VER = 2;
    private static final String HOME = "sh";

    /** The judge of the direction into {@code target}, whose changes come from the other site. */
    private static ConflictJudge judgeAt(String target, ConflictPolicy policy) {
        String source = target.equals("sh") ? "us" : "sh";
        return new ConflictJudge(new ConflictRules(new TableConflictRule(policy, true), List.of(), source, HOME)
                .inTwoWayChannel());
    }

    private static ChangeEvent update(Long version) {
        return new ChangeEvent(Op.UPDATE, TABLE, SCHEMA, new Object[] {1L, "old", 1L},
                new Object[] {1L, "incoming", version}, "tx", "f.000001:4:5:6:0", 0);
    }

    private static MetRow differing(int versionOrder) {
        return new MetRow(true, false, versionOrder, "{\"id\":1}");
    }

    /** Whether the version of {@code site} stays where {@code target} judges the other site's change. */
    private static boolean keeps(String site, String target, ConflictRecord decided) {
        boolean incomingWins = decided.resolution() == Resolution.INCOMING_APPLIED;
        return site.equals(target) != incomingWins;
    }

    @Test
    void underPriorityTheNamedSiteKeepsItsVersionAtBothSites() {
        ConflictPolicy policy = ConflictPolicy.priority("us");
        ConflictRecord atSh = judgeAt("sh", policy).judge(update(1L), policy, ConflictType.UPDATE_MISMATCH,
                differing(0));
        ConflictRecord atUs = judgeAt("us", policy).judge(update(1L), policy, ConflictType.UPDATE_MISMATCH,
                differing(0));

        assertThat(atSh.resolution()).isEqualTo(Resolution.INCOMING_APPLIED);
        assertThat(atUs.resolution()).isEqualTo(Resolution.TARGET_KEPT);
        assertThat(keeps("us", "sh", atSh)).isTrue();
        assertThat(keeps("us", "us", atUs)).isTrue();
        assertThat(atSh.type()).isEqualTo(ConflictType.UPDATE_MISMATCH);
        assertThat(atSh.policy()).isEqualTo(policy);
    }

    @Test
    void underNewerWinsTheGreaterVersionStaysAndATieGoesToTheHomeSite() {
        ConflictPolicy policy = ConflictPolicy.newerWins("ver");
        for (int usOrder : new int[] {-1, 0, 1}) { // how us's version compares with sh's
            // at sh the incoming version is us's; at us it is sh's, so the order is reversed
            ConflictRecord atSh = judgeAt("sh", policy).judge(update(1L), policy, ConflictType.UPDATE_CONCURRENT,
                    differing(usOrder));
            ConflictRecord atUs = judgeAt("us", policy).judge(update(1L), policy, ConflictType.UPDATE_CONCURRENT,
                    differing(-usOrder));
            String winner = usOrder > 0 ? "us" : "sh"; // a tie: the home site, sh
            assertThat(keeps(winner, "sh", atSh)).as("at sh, us's version ordered %d", usOrder).isTrue();
            assertThat(keeps(winner, "us", atUs)).as("at us, us's version ordered %d", usOrder).isTrue();
        }
    }

    @Test
    void underSourceWinsInATwoWayChannelBothSitesKeepTheOtherSitesVersion() {
        ConflictPolicy policy = ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS);
        ConflictRecord atSh = judgeAt("sh", policy).judge(update(1L), policy, ConflictType.UPDATE_MISMATCH,
                differing(0));
        ConflictRecord atUs = judgeAt("us", policy).judge(update(1L), policy, ConflictType.UPDATE_MISMATCH,
                differing(0));

        assertThat(keeps("us", "sh", atSh)).isTrue();
        assertThat(keeps("us", "us", atUs)).isTrue();
    }

    @Test
    void oneWaySourceWinsAlwaysAppliesTheIncomingChange() {
        ConflictPolicy policy = ConflictPolicy.of(ConflictPolicy.Kind.SOURCE_WINS);
        ConflictJudge oneWay = new ConflictJudge(new ConflictRules(new TableConflictRule(policy, true), List.of(),
                "sh", "sh"));

        assertThat(oneWay.judge(update(1L), policy, ConflictType.UPDATE_MISMATCH, differing(0)).resolution())
                .isEqualTo(Resolution.INCOMING_APPLIED);
    }

    @Test
    void targetWinsAndManualKeepTheTargetRowAndOnlyAPolicyThatPicksOneVersionRemovesALoser() {
        ConflictPolicy targetWins = ConflictPolicy.of(ConflictPolicy.Kind.TARGET_WINS);
        ConflictPolicy manual = ConflictPolicy.of(ConflictPolicy.Kind.MANUAL);
        ConflictPolicy priority = ConflictPolicy.priority("us");

        ConflictRecord kept = judgeAt("us", targetWins).judge(update(1L), targetWins, ConflictType.INSERT_UNIQUE,
                differing(0));
        ConflictRecord waiting = judgeAt("us", manual).judge(update(1L), manual, ConflictType.INSERT_UNIQUE,
                differing(0));
        ConflictRecord lost = judgeAt("us", priority).judge(update(1L), priority, ConflictType.INSERT_UNIQUE,
                differing(0));

        assertThat(kept.resolution()).isEqualTo(Resolution.TARGET_KEPT);
        assertThat(waiting.resolution()).isEqualTo(Resolution.KEPT_FOR_OPERATOR);
        assertThat(lost.resolution()).isEqualTo(Resolution.TARGET_KEPT);
        // target-wins keeps each site's own version; a priority loser goes, as it goes at the other site
        assertThat(ConflictJudge.removesLoser(kept)).isFalse();
        assertThat(ConflictJudge.removesLoser(waiting)).isFalse();
        assertThat(ConflictJudge.removesLoser(lost)).isTrue();
    }

    @Test
    void aRunOfMissedChangesIsAConflictOnlyWhereTheTargetRowDiffers() {
        ConflictPolicy policy = ConflictPolicy.priority("sh");
        ConflictJudge judge = judgeAt("us", policy);
        MetRow same = new MetRow(true, true, 0, "{}");

        assertThat(judge.missed(Missed.INSERT, update(1L), policy, MetRow.ABSENT)).isNull();
        assertThat(judge.missed(Missed.INSERT, update(1L), policy, same)).isNull();
        assertThat(judge.missed(Missed.INSERT, update(1L), policy, differing(0)).type())
                .isEqualTo(ConflictType.INSERT_EXISTS);
        assertThat(judge.missed(Missed.UPDATE, update(1L), policy, same)).isNull();
        assertThat(judge.missed(Missed.UPDATE, update(1L), policy, differing(0)).type())
                .isEqualTo(ConflictType.UPDATE_MISMATCH);
        ConflictRecord gone = judge.missed(Missed.DELETE, update(1L), policy, MetRow.ABSENT);
        assertThat(gone.type()).isEqualTo(ConflictType.DELETE_MISSING);
        assertThat(gone.resolution()).isEqualTo(Resolution.NOTHING_TO_DO);
        assertThat(judge.missed(Missed.DELETE, update(1L), policy, differing(0)).type())
                .isEqualTo(ConflictType.DELETE_MISMATCH);
    }

    @Test
    void anUpdateOfAMissingRowPutsItBackUnlessThePolicyNeverRemovesRows() {
        // two-way, Ferry removed the row itself (a collision's loser): it comes back, no conflict
        ConflictPolicy priority = ConflictPolicy.priority("sh");
        assertThat(judgeAt("us", priority).missed(Missed.UPDATE, update(1L), priority, MetRow.ABSENT)).isNull();

        ConflictPolicy targetWins = ConflictPolicy.of(ConflictPolicy.Kind.TARGET_WINS);
        ConflictRecord missing = judgeAt("us", targetWins).missed(Missed.UPDATE, update(1L), targetWins,
                MetRow.ABSENT);
        assertThat(missing.type()).isEqualTo(ConflictType.UPDATE_MISSING);
        assertThat(missing.resolution()).isEqualTo(Resolution.TARGET_KEPT);

        ConflictPolicy oneWayPriority = ConflictPolicy.priority("us");
        ConflictJudge oneWay = new ConflictJudge(new ConflictRules(new TableConflictRule(oneWayPriority, true),
                List.of(), "sh", "sh"));
        assertThat(oneWay.missed(Missed.UPDATE, update(1L), oneWayPriority, MetRow.ABSENT).type())
                .isEqualTo(ConflictType.UPDATE_MISSING);
    }

    @Test
    void aRowTheTargetDeletedIsOrderedByTheVersionItsDeleteRemoved() {
        TargetHistory.LocalWrite delete = new TargetHistory.LocalWrite(position(), true, 7L);

        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(5L), VER, delete).versionOrder()).isEqualTo(-1);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(9L), VER, delete).versionOrder()).isEqualTo(1);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(7L), VER, delete).versionOrder()).isEqualTo(0);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(null), VER, delete).versionOrder())
                .as("a null version is the oldest").isEqualTo(-1);
        // nothing to compare with: the row stays as found (absent, so the incoming version is newer)
        TargetHistory.LocalWrite anUpdate = new TargetHistory.LocalWrite(position(), false, null);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(5L), VER, anUpdate)).isSameAs(MetRow.ABSENT);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(5L), -1, delete)).isSameAs(MetRow.ABSENT);
        assertThat(ConflictJudge.againstDelete(MetRow.ABSENT, update(5L), VER, null)).isSameAs(MetRow.ABSENT);
    }

    @Test
    void aChangeMeetsTheWriteThatTookItsUniqueValueByVersion() {
        assertThat(ConflictJudge.againstTake(update(5L), VER, take(7L)).versionOrder()).isEqualTo(-1);
        assertThat(ConflictJudge.againstTake(update(8L), VER, take(7L)).versionOrder()).isEqualTo(1);
        assertThat(ConflictJudge.againstTake(update(5L), VER, take(null)).versionOrder())
                .as("a take without a version is older than any").isEqualTo(1);
        assertThat(ConflictJudge.againstTake(update(null), VER, take(7L)).versionOrder()).isEqualTo(-1);
        assertThat(ConflictJudge.againstTake(update(5L), -1, take(7L)).versionOrder())
                .as("no version column: the policy decides by site").isEqualTo(0);
    }

    @Test
    void versionsWhoseTypeChangedCompareAsText() {
        assertThat(ConflictJudge.compare(10L, 9L)).isPositive();
        assertThat(ConflictJudge.compare("10", 9L)).isNegative(); // "10" < "9" as text: stable at both sites
        assertThat(ConflictJudge.compare(9L, 9L)).isZero();
    }

    private static TargetHistory.Take take(Long version) {
        return new TargetHistory.Take("shop.items [2]", position(), version);
    }

    private static BinlogPosition position() {
        return BinlogPosition.parse("f.000001:4:5:6:0");
    }
}
