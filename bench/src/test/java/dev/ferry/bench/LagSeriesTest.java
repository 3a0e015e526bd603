package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bench.Result.LagStats;
import org.junit.jupiter.api.Test;

/** The WAN lab's figures from one direction's transactions. */
class LagSeriesTest {
    // commit times 1000, 1100, ... ; transaction 0 unsent (committed 0), 4 never seen, 5 and 6 late (a cut)
    private static final long[] COMMITTED = {0, 1000, 1100, 1200, 1300, 1400, 1500, 1600};
    private static final long[] SEEN = {-1, 1100, 1150, 1400, -1, 4000, 4100, 1700};
    private static final int[] ROWS = {0, 1, 2, 3, 4, 5, 1, 2};

    private static final LagSeries SERIES = new LagSeries(COMMITTED, SEEN, ROWS);

    @Test
    void statsCountOnlyTheWindowAndWhatNeverArrivedWithItsLagSoFar() {
        LagStats all = SERIES.stats(1000, 2000, 5300);
        assertThat(all.transactions).isEqualTo(7);
        assertThat(all.samples).isEqualTo(7);
        assertThat(all.drained).isFalse();
        assertThat(all.max).isEqualTo(4000); // committed at 1300, not seen when the poller stopped at 5300
        assertThat(all.p50).isEqualTo(200); // sorted: 50 100 100 200 2600 2600 4000
        assertThat(SERIES.missing(1000, 2000)).isEqualTo(1);

        LagStats firstThree = SERIES.stats(1000, 1300, 5300);
        assertThat(firstThree.transactions).isEqualTo(3);
        assertThat(firstThree.drained).isTrue();
        assertThat(SERIES.missing(1000, 1300)).isZero();
    }

    @Test
    void theAgeAtAMomentIsMeasuredFromTheNewestCommitSeenByThenAndRisesWhileNothingArrives() {
        assertThat(SERIES.ageAt(1050)).as("nothing seen yet").isEqualTo(-1);
        assertThat(SERIES.ageAt(1100)).isEqualTo(100); // transaction 1 (committed 1000) seen at 1100
        assertThat(SERIES.ageAt(1160)).isEqualTo(60); // transaction 2 (1100) seen at 1150
        assertThat(SERIES.ageAt(3000)).as("rising: transaction 7 (1600) is the newest seen").isEqualTo(1400);
        assertThat(SERIES.ageAt(4100)).as("transaction 6 (1500) arrived late; 7 (1600) is newer").isEqualTo(2500);
    }

    @Test
    void ratesAreRowsPerSecondByCommitOrByFirstSeen() {
        assertThat(SERIES.offeredRowsPerSec(1000, 2000)).isEqualTo(18.0);
        // seen in [1000, 2000): transactions 1, 2, 3 and 7: 1 + 2 + 3 + 2 rows
        assertThat(SERIES.appliedRowsPerSec(1000, 2000)).isEqualTo(8.0);
        assertThat(SERIES.appliedRowsPerSec(4000, 4500)).isEqualTo(12.0);
    }

    @Test
    void settledAfterIsTheLastLateArrival() {
        LagSeries drained = new LagSeries(new long[] {1000, 1100, 3000, 3100}, new long[] {3500, 3600, 3700, 3150},
                new int[] {1, 1, 1, 1});
        // the link returns at 3400: what was committed before is all there at 3700
        assertThat(drained.settledAfter(3400, 0, 3400)).isEqualTo(300);
        // lags of 1 s or more: the last one seen at 3600
        assertThat(drained.settledAfter(3400, 1000, 4000)).isEqualTo(200);
        // nothing late after 3700
        assertThat(drained.settledAfter(3700, 1000, 4000)).isZero();
        // the last one seen still late: not settled within the run
        assertThat(drained.settledAfter(3400, 1000, 2000)).isEqualTo(-1);
        // a transaction never seen: never settled
        assertThat(SERIES.settledAfter(1000, 1000, 2000)).isEqualTo(-1);
    }

    @Test
    void theChartLineIsTheLargestLagPerBucketAndNothingWhereNothingArrived() {
        double[] line = SERIES.maxLagPerBucket(1000, 1800, 200);
        assertThat(line).hasSize(4);
        assertThat(line[0]).isEqualTo(0.1); // 1000: 0.1 s, 1100: 0.05 s
        assertThat(line[1]).isEqualTo(0.2); // 1200: 0.2 s, 1300: never seen
        assertThat(line[2]).isEqualTo(2.6);
        assertThat(line[3]).isEqualTo(0.1);
        assertThat(new LagSeries(new long[] {1000}, new long[] {-1}, new int[] {1}).maxLagPerBucket(1000, 1200, 200)[0])
                .isNaN();
    }
}
