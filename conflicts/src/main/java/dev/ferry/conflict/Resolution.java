package dev.ferry.conflict;

/** What Ferry did about a conflict. Names are as stored in ferry_conflict. */
public enum Resolution {
    /** The incoming change was applied over the target row. */
    INCOMING_APPLIED("incoming-applied"),
    /** The target row was kept and the incoming change dropped. */
    TARGET_KEPT("target-kept"),
    /** The target row was kept; an operator decides (policy manual). */
    KEPT_FOR_OPERATOR("kept-for-operator"),
    /**
     * The incoming version lost a unique-key collision to another row, and the target's own version of its row was
     * removed too: the source removes it when the winning row reaches it.
     */
    ROW_REMOVED("row-removed"),
    /** Both sides already agree (a delete of a row that is gone). */
    NOTHING_TO_DO("nothing-to-do");

    private final String label;

    Resolution(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
