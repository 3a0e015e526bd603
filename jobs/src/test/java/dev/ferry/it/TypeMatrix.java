package dev.ferry.it;

import dev.ferry.testing.TestDatabase;

/** A table with every MySQL type Ferry must carry exactly, and rows at the edges of each range. */
final class TypeMatrix {
    static final String COLUMNS = String.join(", ",
            "id INT PRIMARY KEY",
            "ti TINYINT", "tiu TINYINT UNSIGNED", "si SMALLINT", "siu SMALLINT UNSIGNED",
            "mi MEDIUMINT", "miu MEDIUMINT UNSIGNED", "i INT", "iu INT UNSIGNED", "bi BIGINT", "biu BIGINT UNSIGNED",
            "dec65 DECIMAL(65,30)", "f FLOAT", "d DOUBLE", "b1 BIT(1)", "b10 BIT(10)", "b64 BIT(64)", "bo BOOL",
            "t1 TINYINT(1)",
            "c CHAR(10)", "vc VARCHAR(100)", "tx TEXT",
            "bin BINARY(4)", "vbin VARBINARY(10)", "bl BLOB",
            "dt DATE", "tm TIME(6)", "dtm DATETIME(6)", "ts TIMESTAMP(6) NULL DEFAULT NULL", "yr YEAR",
            "en ENUM('a','b','c d')", "st SET('x','y','z')", "js JSON");

    private static final String[] ROW_VALUES = {
        // minimum values
        "-128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,"
                + " -99999999999999999999999999999999999.999999999999999999999999999999, -3.4028234e38,"
                + " -1.7976931348623157e308, b'0', b'0', b'0', FALSE, 0,"
                + " '', '', '', x'00000000', x'', x'',"
                + " '1000-01-01', '-838:59:59.000000', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000',"
                + " 1901, 'a', '', '[]'",
        // maximum values
        "127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,"
                + " 18446744073709551615,"
                + " 99999999999999999999999999999999999.999999999999999999999999999999, 3.4028234e38,"
                + " 1.7976931348623157e308, b'1', b'1111111111', b'1111111111111111111111111111111111111111111111111111111111111111', TRUE, 5,"
                + " '观澜湖新城-B1', '🚢 emoji 表情 ''quote'' \\\\ backslash', REPEAT('长文本', 2000),"
                + " x'FF00FF00', x'00FF00FF00FF', x'DEADBEEF00',"
                + " '9999-12-31', '838:59:59.000000', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999',"
                + " 2155, 'c d', 'x,y,z', '{\"k\": [1, 2.5, \"三\", null, true], \"n\": {\"x\": -0.001}}'",
        // ordinary values with fractions
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.000000000000000000000000000001, 16777217, -2.718281828459045,"
                + " b'1', b'1000000001', b'1000000000000000000000000000000000000000000000000000000000000001', TRUE, 1,"
                + " 'x', 'tab\\tnewline\\n', 'text', x'01', x'02', x'03',"
                + " '2024-02-29', '12:34:56.789012', '2024-02-29 12:34:56.789012', '2024-02-29 12:34:56.789012',"
                + " 2024, 'b', 'y', '{\"a\": \"b\"}'",
        // NULL in every column
        "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL",
    };
    static final int ROWS = ROW_VALUES.length;

    private TypeMatrix() {}

    /** Inserts the edge rows with ids from {@code firstId}; TIMESTAMP literals are UTC. */
    static void insertRows(TestDatabase server, String database, int firstId, boolean viaBinlog) {
        String[] sql = new String[ROW_VALUES.length + 1];
        sql[0] = "SET time_zone = '+00:00'";
        for (int i = 0; i < ROW_VALUES.length; i++) {
            String values = viaBinlog ? ROW_VALUES[i] : withSixDigitFloats(ROW_VALUES[i]);
            sql[i + 1] = "INSERT INTO " + Sites.q(database) + ".types VALUES (" + (firstId + i) + ", " + values + ")";
        }
        server.execute(sql);
    }

    /**
     * The initial copy reads FLOAT as the server's 6-digit text (Flink CDC 3.5.0's text protocol reader), so rows
     * for it hold FLOATs of 6 digits or fewer; what happens to longer ones is CliVerifyITCase's
     * aFloatRoundedByTheInitialCopyIsFoundAndRepaired. The binlog carries FLOAT exactly: streamed rows keep them.
     */
    private static String withSixDigitFloats(String values) {
        return values.replace("3.4028234e38", "3.40282e38").replace(" 16777217,", " 3.14,");
    }

    /** Swaps values around so that every column of a streamed row is updated, some to and from NULL. */
    static void updateRows(TestDatabase server, String database) {
        String t = Sites.q(database) + ".types";
        server.execute(
                "UPDATE " + t + " SET tx = CONCAT(tx, '+'), dtm = dtm - INTERVAL 1 SECOND, b10 = b'0000000001'"
                        + " WHERE id = 102",
                "UPDATE " + t + " SET vc = 'no longer null', ts = '2001-01-01 00:00:00.5', js = '{}' WHERE id = 103",
                "UPDATE " + t + " SET vc = NULL, biu = NULL WHERE id = 101");
    }
}
