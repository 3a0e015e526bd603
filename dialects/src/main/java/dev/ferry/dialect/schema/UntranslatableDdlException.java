package dev.ferry.dialect.schema;

/**
 * A schema change (or a column type) that has no faithful form in the target dialect. The message names
 * the table, the column or index, the reason and what the operator can do.
 */
public final class UntranslatableDdlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UntranslatableDdlException(String message) {
        super(message);
    }
}
