package dev.ferry.dialect.schema;

import static dev.ferry.dialect.schema.MySqlTypes.enumLength;
import static dev.ferry.dialect.schema.MySqlTypes.fsp;
import static dev.ferry.dialect.schema.MySqlTypes.isDoubleFloat;
import static dev.ferry.dialect.schema.MySqlTypes.length;
import static dev.ferry.dialect.schema.MySqlTypes.precision;
import static dev.ferry.dialect.schema.MySqlTypes.scale;
import static dev.ferry.dialect.schema.MySqlTypes.setLength;

/**
 * MySQL to PostgreSQL, spelled as {@code format_type} prints it. PostgreSQL has no unsigned or one-byte
 * integers, so an unsigned type takes the next wider one. See the type map in docs/postgres-oracle.md for the
 * reasons.
 */
public final class PostgreSqlTypes {
    private PostgreSqlTypes() {}

    public static final TypeMap MAP = TypeMap.builder("PostgreSQL")
            // TINYINT(1) / BOOLEAN holds any TINYINT value in MySQL, not just 0 and 1
            .map(c -> "smallint", "TINYINT", "BOOLEAN", "YEAR")
            .map("SMALLINT", c -> c.unsigned() ? "integer" : "smallint")
            .map("MEDIUMINT", c -> "integer")
            .map("INT", c -> c.unsigned() ? "bigint" : "integer")
            .map("BIGINT", c -> c.unsigned() ? "numeric(20,0)" : "bigint")
            .map("DECIMAL", c -> "numeric(" + precision(c) + "," + scale(c) + ")")
            .map("FLOAT", c -> isDoubleFloat(c) ? "double precision" : "real")
            .map("DOUBLE", c -> "double precision")
            // BIT(1) arrives as a boolean; wider BIT as its big-endian bytes, kept as they are
            .map("BIT", c -> length(c, 1) == 1 ? "boolean" : "bytea")
            // MySQL strips CHAR's trailing spaces on read: a padded character(n) would add them back
            .map(c -> "character varying(" + length(c, 1) + ")", "CHAR", "VARCHAR")
            .map(c -> "text", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT")
            .map(c -> "bytea", "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB")
            .map("DATE", c -> "date")
            .map("DATETIME", c -> "timestamp(" + fsp(c) + ") without time zone")
            .map("TIMESTAMP", c -> "timestamp(" + fsp(c) + ") with time zone")
            .map("TIME", c -> "interval(" + fsp(c) + ")")
            // jsonb compares by value, as MySQL's JSON does (both normalise key order and spacing)
            .map("JSON", c -> "jsonb")
            // plus a CHECK listing the values, written by the DDL generator
            .map("ENUM", c -> "character varying(" + enumLength(c) + ")")
            .map("SET", c -> "character varying(" + setLength(c) + ")")
            .build();
}
