package dev.ferry.operators.conflict;

/** What was found at the target when an incoming change did not fit. Names are as stored in ferry_conflict. */
public enum ConflictType {
    INSERT_EXISTS("insert-exists"),
    INSERT_UNIQUE("insert-unique-key"),
    UPDATE_MISMATCH("update-mismatch"),
    UPDATE_MISSING("update-missing"),
    UPDATE_UNIQUE("update-unique-key"),
    DELETE_MISMATCH("delete-mismatch"),
    DELETE_MISSING("delete-missing");

    private final String label;

    ConflictType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
