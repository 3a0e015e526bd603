package dev.ferry.operators.sink;

import dev.ferry.common.ChangeEvent;
import dev.ferry.conflict.ConflictPolicy;
import dev.ferry.conflict.ConflictRules;
import dev.ferry.conflict.ConflictType;
import dev.ferry.conflict.Resolution;

/**
 * The conflict decisions themselves, apart from the SQL that finds what a change met and writes the winner
 * ({@link ConflictResolver}): given the target row a change met (or the target's write it is concurrent with), which
 * version stays and what is recorded. It reads no database, so every decision has a unit test without one
 * (ConflictJudgeTest).
 */
final class ConflictJudge {

    /**
     * The target row a change met, as the resolver read it (locked): whether its key is there, whether it holds the
     * change's compared image, how the change's version compares with its version under newer-wins (negative, zero
     * or positive; see ConflictRules#incomingWins), and the row as JSON for the record.
     */
    record MetRow(boolean found, boolean sameAsImage, int versionOrder, String json) {
        /** No row: the incoming version is newer than nothing. */
        static final MetRow ABSENT = new MetRow(false, false, 1, null);
    }

    /** Which changes of a run met a row that is not their image (see ConflictResolver#judgeRun). */
    enum Missed { INSERT, UPDATE, DELETE }

    private final ConflictRules rules;

    ConflictJudge(ConflictRules rules) {
        this.rules = rules;
    }

    /** The table's policy applied to one conflict: whether the incoming change wins, and its record. */
    ConflictRecord judge(ChangeEvent e, ConflictPolicy policy, ConflictType type, MetRow row) {
        if (rules.incomingWins(policy, row.versionOrder())) {
            return new ConflictRecord(e, type, Resolution.INCOMING_APPLIED, policy, row.json());
        }
        Resolution kept = policy.kind() == ConflictPolicy.Kind.MANUAL ? Resolution.KEPT_FOR_OPERATOR
                : Resolution.TARGET_KEPT;
        return new ConflictRecord(e, type, kept, policy, row.json());
    }

    /**
     * A change whose guarded statement did not fit ({@code missed}) and the row it met: null where that is no
     * conflict (the target already holds the incoming row; an insert whose key is free; an update of a row Ferry
     * removed here, which is put back, see ConflictRules#refillsRowsItRemoved), else its record.
     */
    ConflictRecord missed(Missed missed, ChangeEvent e, ConflictPolicy policy, MetRow row) {
        return switch (missed) {
            case INSERT -> !row.found() || row.sameAsImage() ? null : judge(e, policy, ConflictType.INSERT_EXISTS, row);
            case UPDATE -> !row.found() ? (rules.refillsRowsItRemoved(policy) ? null
                    : judge(e, policy, ConflictType.UPDATE_MISSING, row))
                    : row.sameAsImage() ? null : judge(e, policy, ConflictType.UPDATE_MISMATCH, row);
            case DELETE -> !row.found() ? new ConflictRecord(e, ConflictType.DELETE_MISSING, Resolution.NOTHING_TO_DO,
                    policy, null) : judge(e, policy, ConflictType.DELETE_MISMATCH, row);
        };
    }

    /**
     * Whether a lost change's own row version goes at the target: the loser of a unique-key collision where the
     * policy can remove rows (under {@code target-wins} each site keeps its own; see ConflictResolver#removeLoser).
     */
    static boolean removesLoser(ConflictRecord decided) {
        return decided.resolution() == Resolution.TARGET_KEPT
                && decided.policy().kind() != ConflictPolicy.Kind.TARGET_WINS;
    }

    /**
     * A row found gone because the target deleted it ({@code local}): under newer-wins it is ordered by the version
     * that delete removed (a null incoming version is oldest), as the other site orders the two when it meets the
     * delete. Otherwise the row stays as found.
     */
    static MetRow againstDelete(MetRow gone, ChangeEvent e, int versionIndex, TargetHistory.LocalWrite local) {
        if (local == null || !local.delete() || versionIndex < 0 || local.deletedVersion() == null) {
            return gone;
        }
        Object incoming = e.after()[versionIndex];
        int order = incoming == null ? -1 : Integer.signum(compare(incoming, local.deletedVersion()));
        return new MetRow(false, false, order, null);
    }

    /**
     * How a change that puts a unique value into its row orders against the target's concurrent write that took it
     * in another row ({@code take}): by version under newer-wins (a null incoming version is oldest, a take without
     * one is older than any), else 0.
     */
    static MetRow againstTake(ChangeEvent e, int versionIndex, TargetHistory.Take take) {
        int order = 0;
        if (versionIndex >= 0) {
            Object incoming = e.after()[versionIndex];
            order = incoming == null ? -1 : take.version() == null ? 1 : Integer.signum(compare(incoming,
                    take.version()));
        }
        return new MetRow(false, false, order, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof Comparable c && a.getClass() == b.getClass()) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString()); // a version column whose type changed meanwhile
    }
}
