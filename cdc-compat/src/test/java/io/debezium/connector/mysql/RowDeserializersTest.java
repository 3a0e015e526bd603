package io.debezium.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import dev.ferry.compat.dbz7594.NegativeTimePatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * DBZ-7594: TIME2 values as MySQL and MariaDB write them into the binlog decode to the exact duration. The encoder
 * below follows MySQL's my_time_packed_to_binary; the replication ITs check the same against real servers.
 */
class RowDeserializersTest {
    private static final String[] VALUES = {"-838:59:59.000000", "-838:59:59", "-01:00:00", "-00:00:00.5",
        "-00:00:01", "-00:00:00.000001", "-16:08:04.25", "-12:34:56.789012", "-00:59:59.999999", "00:00:00",
        "00:00:00.000001", "01:00:00", "12:34:56.789012", "838:59:59.000000", "-01:04:03"};

    @Test
    void everyTime2ValueAndPrecisionDecodesExactly() throws IOException {
        for (String value : VALUES) {
            long micros = micros(value);
            for (int fsp = 0; fsp <= 6; fsp++) {
                long truncated = truncate(micros, fsp);
                Object decoded = RowDeserializers.deserializeTimeV2(fsp, new ByteArrayInputStream(encode(truncated, fsp)));
                assertThat(decoded).as(value + " with fsp " + fsp).isEqualTo(Duration.ofNanos(truncated * 1000));
            }
        }
    }

    /** The bytes a MySQL 8.0 server writes for -16:08:04 and -16:08:04.250 in TIME, TIME(3) and TIME(6). */
    @Test
    void serverBytes() throws IOException {
        assertThat(decode(0, 0x7e, 0xfd, 0xfc)).isEqualTo(Duration.parse("-PT16H8M4S"));
        assertThat(decode(3, 0x7e, 0xfd, 0xfb, 0xf6, 0x3c)).isEqualTo(Duration.parse("-PT16H8M4.25S"));
        assertThat(decode(6, 0x7e, 0xfd, 0xfb, 0xfc, 0x2f, 0x70)).isEqualTo(Duration.parse("-PT16H8M4.25S"));
    }

    @Test
    void thePatchedClassIsTheOneLoaded() {
        NegativeTimePatch.verifyLoaded();
    }

    private static Object decode(int fsp, int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return RowDeserializers.deserializeTimeV2(fsp, new ByteArrayInputStream(b));
    }

    private static long micros(String time) {
        boolean negative = time.startsWith("-");
        String[] parts = time.replace("-", "").split("[:.]");
        long m = ((Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1])) * 60 + Long.parseLong(parts[2]))
                * 1_000_000L;
        if (parts.length > 3) {
            m += Long.parseLong((parts[3] + "000000").substring(0, 6));
        }
        return negative ? -m : m;
    }

    private static long truncate(long micros, int fsp) {
        long unit = (long) Math.pow(10, 6 - fsp);
        return micros / unit * unit;
    }

    /** MySQL's my_time_packed_to_binary, from a signed count of microseconds. */
    private static byte[] encode(long micros, int fsp) {
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000L;
        long hms = (seconds / 3600) << 12 | (seconds / 60 % 60) << 6 | seconds % 60;
        long packed = (hms << 24) + abs % 1_000_000L;
        if (micros < 0) {
            packed = -packed;
        }
        long intPart = packed >> 24; // arithmetic shift, as MY_PACKED_TIME_GET_INT_PART
        long frac = packed % (1L << 24); // C's remainder: the dividend's sign
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (fsp) {
            case 1, 2 -> {
                bigEndian(out, intPart + 0x800000L, 3);
                bigEndian(out, frac / 10_000, 1);
            }
            case 3, 4 -> {
                bigEndian(out, intPart + 0x800000L, 3);
                bigEndian(out, frac / 100, 2);
            }
            case 5, 6 -> bigEndian(out, packed + 0x800000000000L, 6);
            default -> bigEndian(out, intPart + 0x800000L, 3);
        }
        return out.toByteArray();
    }

    private static void bigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >> (8 * i)) & 0xFF);
        }
    }
}
