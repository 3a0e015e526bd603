package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The job's clock against the source's, from heartbeats whose binlog times are whole seconds. */
class SourceClockTest {
    /** The source's clock is 5 s behind the job's; a heartbeat reaches the binlog 80 ms after it is written. */
    private static final long SKEW = 5_000;
    private static final long DELAY = 80;

    private static long binlogTime(long jobTime) {
        long source = jobTime - SKEW;
        return source - Math.floorMod(source, 1000); // whole seconds, as MySQL and MariaDB write them
    }

    @Test
    void aChangeIsNeverPlacedLaterThanItWasMadeWhateverTheRounding() {
        SourceClock clock = new SourceClock();
        assertThat(clock.changeMadeAtTheEarliest(1_000_000)).as("no heartbeat yet").isEqualTo(SourceClock.UNKNOWN);
        for (long written = 100_000; written < 116_000; written += 1_013) { // heartbeats about a second apart
            clock.heartbeat(written, binlogTime(written + DELAY));
        }
        for (long made = 200_000; made < 203_000; made += 37) {
            long earliest = clock.changeMadeAtTheEarliest(binlogTime(made));
            assertThat(earliest).as("a change made at %d", made).isLessThanOrEqualTo(made)
                    .isGreaterThan(made - 2 * SourceClock.BINLOG_RESOLUTION_MS - DELAY);
        }
    }

    @Test
    void aHeartbeatWithoutABinlogTimeTeachesNothingAndARestoredOffsetYieldsToMeasuredOnes() {
        SourceClock clock = new SourceClock();
        clock.heartbeat(100_000, 0);
        assertThat(clock.offset()).isEqualTo(SourceClock.UNKNOWN);
        clock.restored(4_500);
        assertThat(clock.offset()).isEqualTo(4_500);
        assertThat(clock.changeMadeAtTheEarliest(0)).as("a change without a binlog time")
                .isEqualTo(SourceClock.UNKNOWN);
        SourceClock measured = new SourceClock();
        measured.heartbeat(100_000, 95_000);
        measured.restored(1);
        assertThat(measured.offset()).as("a restored offset only stands in for none").isEqualTo(5_000);
    }
}
