package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bench.MetricAgreement.Reading;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ferry's lag metric beside the lab's sampler. */
class MetricAgreementTest {
    // a row a second, each seen 300 ms later, until a cut: nothing committed from 5000 on is seen before 20000
    private static final LagSeries SERIES = new LagSeries(new long[] {1000, 2000, 3000, 4000, 5000, 6000},
            new long[] {1300, 2300, 3300, 4300, 20000, 20010}, new int[] {1, 1, 1, 1, 1, 1});

    @Test
    void smallLagsCompareInMillisecondsAndAnOutageInPercent() {
        MetricAgreement a = MetricAgreement.of(List.of(
                new Reading(2500, 400), // sampler: 500
                new Reading(3500, 300), // sampler: 500
                new Reading(4500, 800), // sampler: 500
                new Reading(10000, 5400), // sampler: 6000, 10% low
                new Reading(14000, 10000), // sampler: 10000, exact
                new Reading(19000, -1), // sampler: 15000, shown as unknown: 100% wrong
                new Reading(30000, 9)), // outside the window
                SERIES, 2000, 20000);
        assertThat(a.readings()).isEqualTo(6);
        assertThat(a.medianAbsDiffMs()).isEqualTo(300); // sorted: 0 100 200 300 600 15000
        assertThat(a.outageReadings()).isEqualTo(3);
        assertThat(a.medianOutageError()).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.maxOutageError()).isEqualTo(1.0);
        assertThat(a.csv()).startsWith("at_ms,lag_ms_metric,age_ms_sampler\n2500,400,500\n3500,300,500\n")
                .endsWith("19000,-1,15000\n");
        assertThat(a.describe()).isEqualTo("6 readings, median |lagMs - sampler| 300 ms; while the sampler's age was"
                + " 5 s or more (3 readings): median error 10.0%, max 100.0%");
    }

    @Test
    void readingsBeforeAnythingWasSeenAreLeftOut() {
        MetricAgreement a = MetricAgreement.of(List.of(new Reading(1100, 50)), SERIES, 0, 20000);
        assertThat(a.readings()).isZero();
        assertThat(a.describe()).isEqualTo("0 readings, median |lagMs - sampler| -1 ms; no outage in the window");
    }
}
