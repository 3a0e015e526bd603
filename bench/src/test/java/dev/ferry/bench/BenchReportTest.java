package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.bench.Result.LagStats;
import dev.ferry.bench.Result.Throughput;
import org.junit.jupiter.api.Test;

/** The cells of the report's summary table. */
class BenchReportTest {
    private static Throughput caughtUpIn(double seconds) {
        return new Throughput(true, seconds, Double.NaN, Double.NaN, "ok");
    }

    @Test
    void ratesAreWholeFromOneHundredOnAndDnfWithoutCatchUp() {
        assertThat(BenchReport.rate(12_345, caughtUpIn(1))).isEqualTo("12,345");
        assertThat(BenchReport.rate(10, caughtUpIn(4))).isEqualTo("2.5");
        assertThat(BenchReport.rate(10, new Throughput(false, 4, Double.NaN, Double.NaN, "not caught up")))
                .isEqualTo("DNF");
        assertThat(BenchReport.rate(10, null)).isEqualTo("-");
    }

    @Test
    void ratioComparesFerryWithNativeOnlyWhenBothCaughtUp() {
        Result r = new Result(Workload.BULK);
        r.backlogRows = 1000;
        r.nativeTp = caughtUpIn(1);
        assertThat(BenchReport.ratio(r)).isEqualTo("-");
        r.ferryTp = caughtUpIn(4);
        assertThat(BenchReport.ratio(r)).isEqualTo("25%");
    }

    @Test
    void lagCellsUseNearestRankAndMarkWhatDidNotDrain() {
        LagStats drained = new LagStats(new long[] {5, 1, 3}, 3, true);
        assertThat(BenchReport.lagCell(drained, true)).isEqualTo("3 ms");
        assertThat(BenchReport.lagCell(drained, false)).isEqualTo("5 ms");
        assertThat(BenchReport.lagCell(new LagStats(new long[] {7}, 2, false), true)).isEqualTo("7 ms+");
        assertThat(BenchReport.lagCell(new LagStats(new long[0], 2, true), false)).isEqualTo("- ms");
        assertThat(BenchReport.lagCell(null, true)).isEqualTo("-");
    }
}
