package dev.ferry.conflict;

import java.io.Serializable;
import java.util.Objects;

/**
 * The conflict rule of one table: its policy, and whether a change conflicts when any column of
 * the target row differs from the change's before image ({@code compareAll}) or only when the
 * policy's version column differs (the key always matches: rows are found by it).
 */
public record TableConflictRule(ConflictPolicy policy, boolean compareAll) implements Serializable {

    public TableConflictRule {
        Objects.requireNonNull(policy, "policy");
        if (!compareAll && policy.kind() != ConflictPolicy.Kind.NEWER_WINS) {
            throw new IllegalArgumentException("comparing only the version column needs newer-wins, not " + policy);
        }
    }
}
