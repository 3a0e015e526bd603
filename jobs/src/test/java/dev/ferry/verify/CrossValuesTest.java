package dev.ferry.verify;

import static dev.ferry.verify.CrossValues.canonical;
import static dev.ferry.verify.CrossValues.toFerry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.MysqlTime;
import dev.ferry.verify.CrossValues.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The values verify compares across database kinds, without a server: what the MySQL source's driver returns
 * against what PostgreSQL and Oracle return for the column Ferry created from it (see the type map).
 */
class CrossValuesTest {

    /** Whether a source value and a target value (both as JDBC returns them) compare equal. */
    private static boolean same(Object source, Object target, Kind kind, boolean oracle) {
        return java.util.Objects.equals(canonical(toFerry(source, kind), kind, oracle),
                canonical(toFerry(target, kind), kind, oracle));
    }

    @Test
    void oracleStoresTheEmptyStringAndTheEmptyBinaryValueAsNull() {
        assertThat(same("", null, Kind.TEXT, true)).isTrue();
        assertThat(same(new byte[0], null, Kind.BINARY, true)).isTrue();
        assertThat(same(new byte[0], null, Kind.BITS, true)).isTrue();
        assertThat(same(" ", null, Kind.TEXT, true)).as("a space is not empty").isFalse();
        assertThat(same("", null, Kind.TEXT, false)).as("PostgreSQL keeps ''").isFalse();
        assertThat(same(new byte[0], null, Kind.BINARY, false)).isFalse();
        assertThat(same("", "", Kind.TEXT, false)).isTrue();
    }

    @Test
    void booleansAndTinyIntsAreNumbersOrBooleansDependingOnTheTarget() {
        // BIT(1): MySQL bytes, PostgreSQL boolean, Oracle NUMBER(1)
        assertThat(same(new byte[] {1}, Boolean.TRUE, Kind.BIT1, false)).isTrue();
        assertThat(same(new byte[] {1}, new BigDecimal("1"), Kind.BIT1, true)).isTrue();
        assertThat(same(new byte[] {0}, new BigDecimal("0"), Kind.BIT1, true)).isTrue();
        assertThat(same(new byte[] {0}, new BigDecimal("1"), Kind.BIT1, true)).isFalse();
        assertThat(same(Boolean.FALSE, Boolean.TRUE, Kind.BIT1, false)).isFalse();
        // BOOL / TINYINT(1) holds any TINYINT: smallint at PostgreSQL, NUMBER(3) at Oracle
        assertThat(same(5L, new BigDecimal("5"), Kind.INTEGER, true)).isTrue();
        assertThat(same(5L, new BigDecimal("1"), Kind.INTEGER, true)).isFalse();
        assertThat(same(-128L, (short) -128, Kind.INTEGER, false)).isTrue();
    }

    @Test
    void numbersCompareByValueAndFloatsByTheirExactBits() {
        assertThat(same(new BigDecimal("18446744073709551615"), new BigDecimal("18446744073709551615"),
                Kind.UNSIGNED_BIGINT, true)).isTrue();
        assertThat(same(new BigDecimal("18446744073709551615"), new BigDecimal("18446744073709551614"),
                Kind.UNSIGNED_BIGINT, true)).isFalse();
        assertThat(same(new BigDecimal("1.500000000000000000000000000000"), new BigDecimal("1.5"), Kind.DECIMAL, true))
                .as("Oracle NUMBER drops trailing zeros").isTrue();
        assertThat(same(new BigDecimal("0E-30"), BigDecimal.ZERO, Kind.DECIMAL, true)).isTrue();
        assertThat(same(new BigDecimal("100"), new BigDecimal("1E+2"), Kind.DECIMAL, true)).isTrue();
        assertThat(same(new BigDecimal("0.000000000000000000000000000001"), BigDecimal.ZERO, Kind.DECIMAL, false))
                .isFalse();
        assertThat(same(3.14f, 3.14f, Kind.FLOAT, true)).isTrue();
        assertThat(same(3.14f, Math.nextUp(3.14f), Kind.FLOAT, true)).isFalse();
        assertThat(same(16777216f, 16777216f, Kind.FLOAT, false)).isTrue();
        assertThat(same(-2.718281828459045, -2.718281828459045, Kind.DOUBLE, true)).isTrue();
        assertThat(same(-2.718281828459045, Math.nextDown(-2.718281828459045), Kind.DOUBLE, true)).isFalse();
        assertThat(same(2024L, new BigDecimal("2024"), Kind.YEAR, true)).isTrue();
        assertThat(toFerry("2155", Kind.YEAR)).isEqualTo(2155L);
    }

    @Test
    void datesAndTimesCompareToTheMicrosecondAndTimestampsAsInstants() {
        // MySQL text (CAST AS CHAR in a UTC session) against the targets' java.time objects
        assertThat(same("2024-02-29 12:34:56.789012", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000),
                Kind.DATETIME, true)).isTrue();
        assertThat(same("2024-02-29 12:34:56.789012", LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_013_000),
                Kind.DATETIME, true)).isFalse();
        assertThat(same("1000-01-01 00:00:00", LocalDateTime.of(1000, 1, 1, 0, 0), Kind.DATETIME, false)).isTrue();
        assertThat(same("2038-01-19 03:14:07.999999",
                OffsetDateTime.of(2038, 1, 19, 8, 44, 7, 999_999_000, ZoneOffset.ofHoursMinutes(5, 30)),
                Kind.TIMESTAMP, true)).as("the same instant in another zone").isTrue();
        assertThat(same("2038-01-19 03:14:07.999999", OffsetDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000,
                ZoneOffset.ofHours(8)), Kind.TIMESTAMP, true)).as("the same wall clock, another instant").isFalse();
        assertThat(toFerry("1970-01-01 00:00:01.000000", Kind.TIMESTAMP)).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(same("2024-02-29", LocalDate.of(2024, 2, 29), Kind.DATE, true)).isTrue();
        assertThat(same("2024-02-29", LocalDateTime.of(2024, 2, 29, 0, 0), Kind.DATE, true))
                .as("an Oracle DATE read as a date-time").isTrue();
    }

    @Test
    void timeIsASignedDurationWhateverTheTargetsIntervalText() {
        // MySQL TIME text, PostgreSQL interval (intervalstyle postgres), Oracle INTERVAL DAY TO SECOND
        assertThat(same("838:59:59.000000", "838:59:59", Kind.TIME, false)).isTrue();
        assertThat(same("838:59:59.000000", "+34 22:59:59.000000", Kind.TIME, true)).isTrue();
        assertThat(same("-838:59:59.000000", "-838:59:59", Kind.TIME, false)).isTrue();
        assertThat(same("-838:59:59.000000", "-34 22:59:59.000000", Kind.TIME, true)).isTrue();
        assertThat(same("12:34:56.789012", "+00 12:34:56.789012", Kind.TIME, true)).isTrue();
        assertThat(same("12:34:56.789012", "12:34:56.789013", Kind.TIME, false)).isFalse();
        assertThat(same("-00:00:00.500000", "-00 00:00:00.5", Kind.TIME, true)).isTrue();
        assertThat(same("26:00:00", "1 day 02:00:00", Kind.TIME, false)).isTrue();
        assertThat(same("-26:00:00", "-1 days -02:00:00", Kind.TIME, false)).isTrue();
        assertThat(same("00:00:00.000000", "00:00:00", Kind.TIME, false)).isTrue();
        assertThat(toFerry("-00:00:01.5", Kind.TIME)).isEqualTo(new MysqlTime(-1_500_000));
        assertThatThrownBy(() -> CrossValues.timeMicros("noon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonComparesByValueAndEnumsSetsAndTextAsText() {
        assertThat(same("{\"k\": [1, 2.5, \"三\", null, true], \"n\": {\"x\": -0.001}}",
                "{\"n\": {\"x\": -0.0010}, \"k\": [1.0, 2.50, \"三\", null, true]}", Kind.JSON, false)).isTrue();
        assertThat(same("{\"a\": \"b\"}", "{\"a\": \"c\"}", Kind.JSON, false)).isFalse();
        assertThat(same("[]", "{}", Kind.JSON, true)).isFalse();
        assertThat(same("x,y,z", "x,y,z", Kind.TEXT, true)).isTrue();
        assertThat(same("观澜湖新城-B1", "观澜湖新城-B1", Kind.TEXT, true)).isTrue();
        assertThat(same("🚢 emoji", "🚢 emoji ", Kind.TEXT, false)).as("trailing space counts").isFalse();
        assertThat(same("Abc", "abc", Kind.TEXT, false)).as("no collation folding").isFalse();
        assertThat(same(new byte[] {2, 1}, new byte[] {2, 1}, Kind.BITS, true)).isTrue();
        assertThat(same(new byte[] {(byte) 0xDE, 0}, new byte[] {(byte) 0xDE}, Kind.BINARY, false)).isFalse();
    }

    @Test
    void everyMySqlTypeHasAKindExceptSpatialOnes() {
        assertThat(CrossValues.kindOf("tinyint", "tinyint(1)")).isEqualTo(Kind.INTEGER);
        assertThat(CrossValues.kindOf("bigint", "bigint(20) unsigned")).isEqualTo(Kind.UNSIGNED_BIGINT);
        assertThat(CrossValues.kindOf("bigint", "bigint(20)")).isEqualTo(Kind.INTEGER);
        assertThat(CrossValues.kindOf("bit", "bit(1)")).isEqualTo(Kind.BIT1);
        assertThat(CrossValues.kindOf("bit", "bit(10)")).isEqualTo(Kind.BITS);
        assertThat(CrossValues.kindOf("enum", "enum('a','b')")).isEqualTo(Kind.TEXT);
        assertThat(CrossValues.kindOf("json", "json")).isEqualTo(Kind.JSON);
        assertThat(CrossValues.kindOf("longblob", "longblob")).isEqualTo(Kind.BINARY);
        assertThat(CrossValues.kindOf("point", "point")).isNull();
    }

    @Test
    void aRowDigestKeepsNullApartFromEveryValueAndColumnsApart() {
        assertThat(CrossValues.digest(java.util.Arrays.asList("sa", null)))
                .isNotEqualTo(CrossValues.digest(java.util.Arrays.asList(null, "sa")));
        assertThat(CrossValues.digest(java.util.Arrays.asList("sab", "sc")))
                .isNotEqualTo(CrossValues.digest(java.util.Arrays.asList("sa", "sbc")));
        assertThat(CrossValues.digest(java.util.Arrays.asList("snull", null)))
                .isNotEqualTo(CrossValues.digest(java.util.Arrays.asList(null, null)));
    }
}
