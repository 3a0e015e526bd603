package dev.ferry.bench;

import dev.ferry.bench.Result.LagStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The WAN lab's output: a table per cell on the console and in a text file, and lag over time as a PNG per rate. */
final class WanReport {
    /** The chart's resolution: the largest lag per bucket of commit time. */
    static final long BUCKET_MS = 250;
    /** "Under 1 s again": the threshold after a cut. */
    static final long SETTLED_MS = 1000;

    private final WanLab.Options options;
    private final String loadBefore;
    private final String loadAfter;
    private final String routerStats;

    WanReport(WanLab.Options options, String loadBefore, String loadAfter, String routerStats) {
        this.options = options;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.routerStats = routerStats;
    }

    void write(List<WanRun.Result> results, Progress progress) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = options.cell.label + "-" + stamp;
        StringBuilder text = new StringBuilder();
        text.append("Ferry WAN lab, cell ").append(options.cell.label).append('\n')
                .append(options.describe()).append('\n')
                .append("commit ").append(System.getProperty("ferry.wan.commit", "?")).append("; ")
                .append(Machine.describe()).append("; load average before ").append(loadBefore).append(", after ")
                .append(loadAfter).append('\n')
                .append("router at the end: ").append(routerStats).append("\n\n")
                .append(table(results)).append('\n');
        if (options.cell == WanLab.Cell.MAX_RATE) {
            text.append(maxRates(results)).append('\n');
        }
        for (WanRun.Result r : results) {
            if (r.direction().equals("sh->us")) { // one figure per system and rate, for both directions
                text.append(String.format(Locale.ROOT, "%s at %.0f rows/s: %.3f CPU s per 1000 rows applied (the lab"
                        + " JVM with its writers and pollers, and both servers; the router not counted)%n",
                        r.system().label(), r.rate(), r.cpuSecondsPer1000Rows()));
            }
            if (r.metric() != null) {
                Path csv = options.out.resolve(String.format(Locale.ROOT, "%s-%s-%.0f-lagms.csv", base,
                        r.direction().replace("->", "-"), r.rate()));
                Files.writeString(csv, r.metric().csv());
                text.append(String.format(Locale.ROOT, "%s %s at %.0f rows/s, lagMs (as ferry status reads it, once a"
                        + " second) beside the sampler's age of the newest row applied: %s (each reading: %s)%n",
                        r.system().label(), r.direction(), r.rate(), r.metric().describe(), csv));
            }
        }
        for (String p : progress.problems()) {
            text.append("problem: ").append(p).append('\n');
        }
        Map<Double, List<WanRun.Result>> byRate = new LinkedHashMap<>();
        results.forEach(r -> byRate.computeIfAbsent(r.rate(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<Double, List<WanRun.Result>> e : byRate.entrySet()) {
            Path png = options.out.resolve(byRate.size() == 1 ? base + ".png"
                    : String.format(Locale.ROOT, "%s-%.0f.png", base, e.getKey()));
            chart(e.getValue(), e.getKey(), png);
            text.append("chart: ").append(png).append('\n');
        }
        Path txt = options.out.resolve(base + ".txt");
        Files.writeString(txt, text);
        System.out.println();
        System.out.print(text);
        System.out.println("report: " + txt);
    }

    /** One line per system, direction and rate; lags in ms over the transactions committed in the window. */
    String table(List<WanRun.Result> results) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "%-7s %-7s %7s %9s %9s %7s %7s %7s %8s %7s%s%n", "system", "dir", "rate", "offered/s", "applied/s",
                "p50", "p99", "max", "tx", "missing", options.cutSeconds > 0 ? "  caught up / under 1 s after the"
                        + " link's return" : ""));
        for (WanRun.Result r : results) {
            long from = r.windowFromMs();
            long to = r.windowToMs();
            LagSeries s = r.series();
            LagStats st = r.stats();
            String bound = st.drained ? "" : ">=";
            t.append(String.format(Locale.ROOT, "%-7s %-7s %7.0f %9.0f %9.0f %7s %7s %7s %8d %7d", r.system().label(),
                    r.direction(), r.rate(), s.offeredRowsPerSec(from, to), s.appliedRowsPerSec(from, to),
                    bound + Result.ms(st.p50), bound + Result.ms(st.p99), bound + Result.ms(st.max), st.transactions,
                    s.missing(from, to)));
            if (r.cutToMs() > 0) {
                t.append("  ").append(secondsOrNever(s.settledAfter(r.cutToMs(), 0, r.cutToMs()))).append(" / ")
                        .append(secondsOrNever(s.settledAfter(r.cutToMs(), SETTLED_MS, to)));
            }
            t.append('\n');
        }
        return t.append("(lags in ms, on the lab JVM's clock: first seen at the other site minus the COMMIT's return;"
                + " >=: some never arrived, counted with their lag when the poller stopped; applied/s: rows that became"
                + " visible there during the window)\n").toString();
    }

    /** max-rate: per system, the highest rate at which neither direction fell behind. */
    static String maxRates(List<WanRun.Result> results) {
        StringBuilder out = new StringBuilder();
        for (WanRun.Replicator system : WanRun.Replicator.values()) {
            double kept = 0;
            boolean tried = false;
            for (WanRun.Result r : results) {
                if (r.system() == system) {
                    tried = true;
                    boolean behind = results.stream().anyMatch(o -> o.system() == system && o.rate() == r.rate()
                            && WanRun.fellBehind(o));
                    kept = behind ? kept : Math.max(kept, r.rate());
                }
            }
            if (tried) {
                out.append(system.label()).append(kept == 0 ? ": kept up at none of the rates tried"
                        : String.format(Locale.ROOT, ": kept up at %.0f rows/s per site, the highest rate tried where"
                                + " neither direction fell behind", kept)).append('\n');
            }
        }
        return out.toString();
    }

    private static String secondsOrNever(long ms) {
        return ms < 0 ? "not in the run" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Lag over time (by commit time, from the start of the warm-up), a line per system and direction. */
    private void chart(List<WanRun.Result> results, double rate, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (WanRun.Result r : results) {
            long origin = r.windowFromMs() - options.warmup * 1000L;
            XYSeries line = new XYSeries(r.system().label() + " " + r.direction(), false, true);
            double[] lag = r.series().maxLagPerBucket(origin, r.windowToMs(), BUCKET_MS);
            for (int b = 0; b < lag.length; b++) {
                // a bucket without a transaction seen (e.g. the link is cut) breaks the line
                line.add(b * BUCKET_MS / 1000.0, Double.isNaN(lag[b]) ? null : lag[b]);
            }
            data.addSeries(line);
        }
        String title = String.format(Locale.ROOT, "WAN lab %s: %.0f rows/s per site, RTT %d ms, loss %.3g, TCP %s",
                options.cell.label, rate, 2 * options.delayMs, options.loss, options.cc);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "seconds (commit time; measured from "
                        + options.warmup + " s)", "lag, s (largest per " + BUCKET_MS + " ms)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.2f));
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 600);
    }
}
