package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How Ferry's own {@code lagMs} (as {@code ferry status} reads it) agreed with the lab's sampler: each reading of the
 * metric beside the sampler's age of the newest row applied at that moment ({@link LagSeries#ageAt}). Small lags are
 * compared in milliseconds: the metric moves in heartbeats (one a second) and checkpoints, the sampler in rows. An
 * outage (the sampler's age {@link #OUTAGE_MS} or more) is compared in percent: that is where a metric that freezes or
 * reads "unknown" hides the truth.
 */
record MetricAgreement(int readings, long medianAbsDiffMs, int outageReadings, double medianOutageError,
        double maxOutageError, String csv) {
    static final long OUTAGE_MS = 5_000;

    /** One reading of the metric at {@code atMs}; {@code lagMs} -1 if the metric was unknown then. */
    record Reading(long atMs, long lagMs) {}

    static MetricAgreement of(List<Reading> readings, LagSeries series, long fromMs, long toMs) {
        List<Long> diffs = new ArrayList<>();
        List<Double> outage = new ArrayList<>();
        StringBuilder csv = new StringBuilder("at_ms,lag_ms_metric,age_ms_sampler\n");
        for (Reading r : readings) {
            long truth = series.ageAt(r.atMs());
            if (r.atMs() < fromMs || r.atMs() >= toMs || truth < 0) {
                continue;
            }
            csv.append(r.atMs()).append(',').append(r.lagMs()).append(',').append(truth).append('\n');
            long metric = r.lagMs() < 0 ? 0 : r.lagMs(); // unknown counts as no lag shown: as wrong as it looks
            diffs.add(Math.abs(metric - truth));
            if (truth >= OUTAGE_MS) {
                outage.add(Math.abs(metric - truth) / (double) truth);
            }
        }
        diffs.sort(null);
        outage.sort(null);
        return new MetricAgreement(diffs.size(), diffs.isEmpty() ? -1 : diffs.get(diffs.size() / 2), outage.size(),
                outage.isEmpty() ? Double.NaN : outage.get(outage.size() / 2),
                outage.isEmpty() ? Double.NaN : outage.get(outage.size() - 1), csv.toString());
    }

    String describe() {
        String small = String.format(Locale.ROOT, "%d readings, median |lagMs - sampler| %d ms", readings,
                medianAbsDiffMs);
        return outageReadings == 0 ? small + "; no outage in the window" : small + String.format(Locale.ROOT,
                "; while the sampler's age was %d s or more (%d readings): median error %.1f%%, max %.1f%%",
                OUTAGE_MS / 1000, outageReadings, 100 * medianOutageError, 100 * maxOutageError);
    }
}
