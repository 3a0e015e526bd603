package dev.ferry.conflict;

/**
 * What was found at the target when an incoming change did not fit, or when it was concurrent with a write there
 * (the {@code *-concurrent} types: the row looked as the change expected, but only because the target wrote it
 * back). Names are as stored in ferry_conflict.
 */
public enum ConflictType {
    INSERT_EXISTS("insert-exists"),
    INSERT_UNIQUE("insert-unique-key"),
    UPDATE_MISMATCH("update-mismatch"),
    UPDATE_MISSING("update-missing"),
    UPDATE_UNIQUE("update-unique-key"),
    DELETE_MISMATCH("delete-mismatch"),
    DELETE_MISSING("delete-missing"),
    /** An insert of a row that a concurrent write at the target deleted (or inserted and deleted again). */
    INSERT_CONCURRENT("insert-concurrent"),
    /** An update that finds its before image, which a concurrent write at the target wrote back. */
    UPDATE_CONCURRENT("update-concurrent"),
    /** A delete that finds its before image, which a concurrent write at the target wrote back. */
    DELETE_CONCURRENT("delete-concurrent");

    private final String label;

    ConflictType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
