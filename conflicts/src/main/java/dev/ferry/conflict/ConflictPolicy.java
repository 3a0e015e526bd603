package dev.ferry.conflict;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a conflict on one table is resolved. {@code site} is set for {@link Kind#PRIORITY},
 * {@code column} for {@link Kind#NEWER_WINS}.
 */
public record ConflictPolicy(Kind kind, String site, String column) implements Serializable {

    /** The policies a channel file can name. */
    public enum Kind {
        /** The named site's version wins. */
        PRIORITY("priority"),
        /** The version with the greater value in a timestamp or version column wins; ties go by priority. */
        NEWER_WINS("newer-wins"),
        /** The incoming change overwrites the target. */
        SOURCE_WINS("source-wins"),
        /** The target row stays; the incoming change is dropped. */
        TARGET_WINS("target-wins"),
        /** The target row stays and the conflict waits in ferry_conflict for an operator. */
        MANUAL("manual");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    public ConflictPolicy {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.PRIORITY) != (site != null) || (kind == Kind.NEWER_WINS) != (column != null)) {
            throw new IllegalArgumentException(kind + " with site=" + site + " column=" + column);
        }
    }

    public static ConflictPolicy priority(String site) {
        return new ConflictPolicy(Kind.PRIORITY, site, null);
    }

    public static ConflictPolicy newerWins(String column) {
        return new ConflictPolicy(Kind.NEWER_WINS, null, column);
    }

    public static ConflictPolicy of(Kind kind) {
        return new ConflictPolicy(kind, null, null);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PRIORITY -> "priority: " + site;
            case NEWER_WINS -> "newer-wins: " + column;
            default -> kind.configName();
        };
    }
}
