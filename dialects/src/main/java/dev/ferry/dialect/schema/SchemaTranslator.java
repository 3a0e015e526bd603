package dev.ferry.dialect.schema;

import dev.ferry.common.TableId;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;

/**
 * Target DDL generated from structured schema changes, for targets that are not MySQL (a MySQL target
 * replays the source statement). Every method returns the statements to run in order; an empty list means
 * the target already has the change. Methods throw {@link UntranslatableDdlException} for a change with no
 * faithful form.
 */
public interface SchemaTranslator extends Serializable {

    /** The target column type of a source column, in the spelling the dialect's catalog query returns. */
    String columnType(SourceColumn column);

    /**
     * What creates the target schema of a MySQL database if it is missing; empty where Ferry cannot create
     * it (an Oracle schema is a user, which an admin creates).
     */
    default List<String> createSchema(String database) {
        return List.of();
    }

    /** CREATE TABLE with the primary key (a table without one is refused). */
    List<String> createTable(SourceTable table);

    /**
     * The statements that make the target table {@code current} match the source table {@code after}:
     * add, drop or modify columns (type, nullability). A change that both adds and drops columns might be
     * a rename and is refused rather than guessed; so is a primary key change.
     */
    List<String> alterTable(SourceTable after, TargetTable current);

    List<String> dropTable(TableId table);

    List<String> truncateTable(TableId table);

    List<String> renameTable(TableId from, TableId to);

    /**
     * Ferry's index-change text ({@link dev.ferry.common.IndexDelta}: lines {@code DROP `name`} and
     * {@code ADD [UNIQUE] INDEX `name` (`c1`, `c2` DESC)}) as target statements.
     */
    List<String> indexDelta(TableId table, String delta);

    /** Whether a DDL error means its effect is already there (object exists, or is already gone). */
    boolean isAlreadySatisfied(SQLException e);

    /** SQL reading a table's columns, binding (schema, table) in target spelling: name, type, nullable (boolean). */
    String catalogColumnsQuery();

    /** SQL reading a table's primary key columns in key order, binding (schema, table) in target spelling. */
    String catalogPrimaryKeyQuery();
}
