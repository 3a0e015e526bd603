package dev.ferry.dialect.schema;

import static dev.ferry.dialect.schema.MySqlTypes.bitBytes;
import static dev.ferry.dialect.schema.MySqlTypes.enumLength;
import static dev.ferry.dialect.schema.MySqlTypes.fsp;
import static dev.ferry.dialect.schema.MySqlTypes.isDoubleFloat;
import static dev.ferry.dialect.schema.MySqlTypes.length;
import static dev.ferry.dialect.schema.MySqlTypes.precision;
import static dev.ferry.dialect.schema.MySqlTypes.scale;
import static dev.ferry.dialect.schema.MySqlTypes.setLength;

/**
 * MySQL to Oracle, spelled as {@link OracleSchema#catalogColumnsQuery()} prints it. See the type map in
 * docs/postgres-oracle.md for the reasons.
 */
public final class OracleTypes {
    private OracleTypes() {}

    /** 4000 bytes, the VARCHAR2 limit without MAX_STRING_SIZE=EXTENDED, at up to 4 bytes per character. */
    public static final int MAX_VARCHAR2_CHARS = 1000;
    /** RAW's limit without MAX_STRING_SIZE=EXTENDED. */
    public static final int MAX_RAW_BYTES = 2000;
    /** NUMBER's largest precision. */
    public static final int MAX_PRECISION = 38;

    public static final TypeMap MAP = TypeMap.builder("Oracle")
            // TINYINT(1) / BOOLEAN holds any TINYINT value in MySQL, not just 0 and 1
            .map(c -> "NUMBER(3)", "TINYINT", "BOOLEAN")
            .map("SMALLINT", c -> "NUMBER(5)")
            .map("MEDIUMINT", c -> c.unsigned() ? "NUMBER(8)" : "NUMBER(7)")
            .map("INT", c -> "NUMBER(10)")
            .map("BIGINT", c -> c.unsigned() ? "NUMBER(20)" : "NUMBER(19)")
            .map("YEAR", c -> "NUMBER(4)")
            .map("DECIMAL", OracleTypes::number)
            // IEEE types, so that a FLOAT keeps its exact bits
            .map("FLOAT", c -> isDoubleFloat(c) ? "BINARY_DOUBLE" : "BINARY_FLOAT")
            .map("DOUBLE", c -> "BINARY_DOUBLE")
            .map("BIT", c -> length(c, 1) == 1 ? "NUMBER(1)" : "RAW(" + bitBytes(c) + ")")
            // MySQL strips CHAR's trailing spaces, and Oracle compares CHAR with a bound VARCHAR2 unpadded
            .map(c -> varchar(length(c, 1)), "CHAR", "VARCHAR")
            .map("TINYTEXT", c -> varchar(255))
            .map(c -> "CLOB", "TEXT", "MEDIUMTEXT", "LONGTEXT")
            .map("BINARY", c -> raw(length(c, 1)))
            .map("VARBINARY", c -> raw(length(c, 1)))
            .map("TINYBLOB", c -> raw(255))
            .map(c -> "BLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB")
            .map("DATE", c -> "DATE")
            .map("DATETIME", c -> "TIMESTAMP(" + fsp(c) + ")")
            .map("TIMESTAMP", c -> "TIMESTAMP(" + fsp(c) + ") WITH TIME ZONE")
            // 838 hours are 34 days: two day digits suffice
            .map("TIME", c -> "INTERVAL DAY(2) TO SECOND(" + fsp(c) + ")")
            // plus CHECK (c IS JSON), written by the DDL generator; works from 12.2 on (the JSON type needs 21c)
            .map("JSON", c -> "CLOB")
            // plus a CHECK listing the values, written by the DDL generator
            .map("ENUM", c -> varchar(enumLength(c)))
            .map("SET", c -> varchar(setLength(c)))
            .build();

    /** VARCHAR2 in characters, or CLOB beyond {@link #MAX_VARCHAR2_CHARS}. */
    static String varchar(int chars) {
        return chars <= MAX_VARCHAR2_CHARS ? "VARCHAR2(" + chars + " CHAR)" : "CLOB";
    }

    /** RAW, or BLOB beyond {@link #MAX_RAW_BYTES}. */
    static String raw(int bytes) {
        return bytes <= MAX_RAW_BYTES ? "RAW(" + bytes + ")" : "BLOB";
    }

    private static String number(SourceColumn c) {
        if (precision(c) > MAX_PRECISION) {
            throw TypeMap.refuse(c, "Oracle's NUMBER holds at most " + MAX_PRECISION + " digits");
        }
        return scale(c) == 0 ? "NUMBER(" + precision(c) + ")" : "NUMBER(" + precision(c) + "," + scale(c) + ")";
    }
}
