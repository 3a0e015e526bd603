package dev.ferry.dialect;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * What the sink needs to know about one target database: how to name things, how to write a
 * row, and how to bind Ferry's values. One small class per database, chosen by JDBC URL.
 */
public interface Dialect extends Serializable {

    /** A human name for error messages, such as "MySQL 8.0.20+". */
    String name();

    /** Quotes one identifier, escaping the quote character inside it. */
    String quoteIdentifier(String identifier);

    /** {@code db.table}, each part quoted on its own. */
    default String quoteTable(TableId table) {
        return quoteIdentifier(table.database()) + "." + quoteIdentifier(table.table());
    }

    /** Inserts a whole row, or overwrites the row with the same primary key. Binds every column in order. */
    String upsert(TableId table, RowSchema schema);

    /** Deletes the row with the given primary key. Binds the key columns in key order. */
    String deleteByKey(TableId table, RowSchema schema);

    /** Statements to run once on every new apply connection, before any change. */
    List<String> sessionSetup();

    /** Binds one of Ferry's values (see {@link dev.ferry.common.ChangeEvent}) to a parameter. */
    void bind(PreparedStatement statement, int index, Object value) throws SQLException;
}
