package dev.ferry.dialect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every entry of both type maps, with exact target spellings (the catalogs' spelling). */
class TypeMapsTest {

    private static SourceColumn column(String type, boolean unsigned, int length, int scale, String values) {
        List<String> list = values == null ? List.of() : List.of(values.split("\\|"));
        return new SourceColumn("c", type, unsigned, length, scale, true, false, false, null, false, list, null);
    }

    @ParameterizedTest(name = "{0} unsigned={1} ({2},{3}) -> PostgreSQL {5}, Oracle {6}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        // type; unsigned; length; scale; enum values; PostgreSQL; Oracle
        "TINYINT;   false; 4;  -1; -; smallint;                      NUMBER(3)",
        "TINYINT;   true;  3;  -1; -; smallint;                      NUMBER(3)",
        "BOOLEAN;   false; 1;  -1; -; smallint;                      NUMBER(3)",
        "BOOL;      false; 1;  -1; -; smallint;                      NUMBER(3)",
        "SMALLINT;  false; -1; -1; -; smallint;                      NUMBER(5)",
        "SMALLINT;  true;  -1; -1; -; integer;                       NUMBER(5)",
        "MEDIUMINT; false; -1; -1; -; integer;                       NUMBER(7)",
        "MEDIUMINT; true;  -1; -1; -; integer;                       NUMBER(8)",
        "INT;       false; 11; -1; -; integer;                       NUMBER(10)",
        "INTEGER;   false; 11; -1; -; integer;                       NUMBER(10)",
        "INT;       true;  10; -1; -; bigint;                        NUMBER(10)",
        "BIGINT;    false; 20; -1; -; bigint;                        NUMBER(19)",
        "BIGINT;    true;  20; -1; -; numeric(20,0);                 NUMBER(20)",
        "DECIMAL;   false; 10; 2;  -; numeric(10,2);                 NUMBER(10,2)",
        "DECIMAL;   true;  12; 0;  -; numeric(12,0);                 NUMBER(12)",
        "DECIMAL;   false; -1; -1; -; numeric(10,0);                 NUMBER(10)",
        "NUMERIC;   false; 38; 10; -; numeric(38,10);                NUMBER(38,10)",
        "FLOAT;     false; -1; -1; -; real;                          BINARY_FLOAT",
        "FLOAT;     false; 30; -1; -; double precision;              BINARY_DOUBLE",
        "DOUBLE;    false; -1; -1; -; double precision;              BINARY_DOUBLE",
        "REAL;      false; -1; -1; -; double precision;              BINARY_DOUBLE",
        "BIT;       false; 1;  -1; -; boolean;                       NUMBER(1)",
        "BIT;       false; -1; -1; -; boolean;                       NUMBER(1)",
        "BIT;       false; 10; -1; -; bytea;                         RAW(2)",
        "BIT;       false; 64; -1; -; bytea;                         RAW(8)",
        "CHAR;      false; 10; -1; -; character varying(10);         VARCHAR2(10 CHAR)",
        "CHAR;      false; 0;  -1; -; character varying(1);          VARCHAR2(1 CHAR)",
        "VARCHAR;   false; 255; -1; -; character varying(255);       VARCHAR2(255 CHAR)",
        "VARCHAR;   false; 1000; -1; -; character varying(1000);     VARCHAR2(1000 CHAR)",
        "VARCHAR;   false; 1001; -1; -; character varying(1001);     CLOB",
        "TINYTEXT;  false; -1; -1; -; text;                          VARCHAR2(255 CHAR)",
        "TEXT;      false; -1; -1; -; text;                          CLOB",
        "MEDIUMTEXT; false; -1; -1; -; text;                         CLOB",
        "LONGTEXT;  false; -1; -1; -; text;                          CLOB",
        "BINARY;    false; 16; -1; -; bytea;                         RAW(16)",
        "VARBINARY; false; 2000; -1; -; bytea;                       RAW(2000)",
        "VARBINARY; false; 2001; -1; -; bytea;                       BLOB",
        "TINYBLOB;  false; -1; -1; -; bytea;                         RAW(255)",
        "BLOB;      false; -1; -1; -; bytea;                         BLOB",
        "MEDIUMBLOB; false; -1; -1; -; bytea;                        BLOB",
        "LONGBLOB;  false; -1; -1; -; bytea;                         BLOB",
        "DATE;      false; -1; -1; -; date;                          DATE",
        "DATETIME;  false; -1; -1; -; timestamp(0) without time zone; TIMESTAMP(0)",
        "DATETIME;  false; 6;  -1; -; timestamp(6) without time zone; TIMESTAMP(6)",
        "DATETIME;  false; 3;  -1; -; timestamp(3) without time zone; TIMESTAMP(3)",
        "TIMESTAMP; false; -1; -1; -; timestamp(0) with time zone;   TIMESTAMP(0) WITH TIME ZONE",
        "TIMESTAMP; false; 6;  -1; -; timestamp(6) with time zone;   TIMESTAMP(6) WITH TIME ZONE",
        "TIME;      false; -1; -1; -; interval(0);                   INTERVAL DAY(2) TO SECOND(0)",
        "TIME;      false; 6;  -1; -; interval(6);                   INTERVAL DAY(2) TO SECOND(6)",
        "YEAR;      false; 4;  -1; -; smallint;                      NUMBER(4)",
        "JSON;      false; -1; -1; -; jsonb;                         CLOB",
        "ENUM;      false; 1;  -1; small|medium|xl; character varying(6); VARCHAR2(6 CHAR)",
        "SET;       false; 1;  -1; a|bb|ccc; character varying(8);   VARCHAR2(8 CHAR)",
    })
    void mapsEveryMySqlType(String type, boolean unsigned, int length, int scale, String values, String postgres,
            String oracle) {
        SourceColumn c = column(type, unsigned, length, scale, values);
        assertThat(PostgreSqlTypes.MAP.targetType(c)).isEqualTo(postgres);
        assertThat(OracleTypes.MAP.targetType(c)).isEqualTo(oracle);
    }

    @Test
    void bothMapsCoverTheSameMySqlTypes() {
        assertThat(PostgreSqlTypes.MAP.sourceTypes()).containsExactlyInAnyOrderElementsOf(OracleTypes.MAP.sourceTypes())
                .hasSize(30);
    }

    @Test
    void aSetLongerThanVarchar2BecomesAClob() {
        String many = String.join("|", Collections.nCopies(64, "sixteen-chars-xx"));
        assertThat(OracleTypes.MAP.targetType(column("SET", false, -1, -1, many))).isEqualTo("CLOB");
    }

    @ParameterizedTest
    @CsvSource({"GEOMETRY", "POINT", "POLYGON", "LINESTRING", "MULTIPOINT", "GEOMETRYCOLLECTION", "VECTOR", "WHATEVER"})
    void spatialAndUnknownTypesAreRefusedWithTheFix(String type) {
        for (TypeMap map : List.of(PostgreSqlTypes.MAP, OracleTypes.MAP)) {
            assertThatThrownBy(() -> map.targetType(column(type, false, -1, -1, null)))
                    .isInstanceOf(UntranslatableDdlException.class)
                    .hasMessageContaining("Column `c` of type " + type)
                    .hasMessageContaining("has no faithful type")
                    .hasMessageContaining("exclude the table");
        }
    }

    @Test
    void oracleRefusesDecimalsWiderThanNumber() {
        assertThatThrownBy(() -> OracleTypes.MAP.targetType(column("DECIMAL", false, 65, 30, null)))
                .isInstanceOf(UntranslatableDdlException.class).hasMessageContaining("DECIMAL(65)")
                .hasMessageContaining("at most 38 digits");
        assertThat(PostgreSqlTypes.MAP.targetType(column("DECIMAL", false, 65, 30, null))).isEqualTo("numeric(65,30)");
    }
}
