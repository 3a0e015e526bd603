package dev.ferry.dialect.schema;

/**
 * How MySQL names become target names. Names are always quoted; this decides what is inside the quotes.
 * Per channel ({@code target-identifiers:} in the channel file).
 */
public enum IdentifierCase {
    /** Keep the MySQL spelling (the default for PostgreSQL). */
    PRESERVE,
    /** Upper-case every name, as unquoted Oracle names are (the default for Oracle). */
    UPPER,
    /** Lower-case every name, as unquoted PostgreSQL names are. */
    LOWER
}
