package dev.ferry.bench;

import dev.ferry.cli.CommandLines;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.WholeNumbers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The WAN lab (a benchmark, not a test; run it as root through {@code bench/wan.sh}): replication lag across an
 * emulated long-RTT, lossy link, Ferry beside native MariaDB master-master replication, both sites writing at once.
 *
 * <p>bench/wan/net.sh makes the sites {@code sh} and {@code us} and the router between them; each system gets its own
 * pair of MariaDB servers in the sites, one system after the other, so that they never share the two cores. A
 * {@link WanRun} paces the writers and samples every transaction's lag at the other site. {@link WanReport}
 * writes the figures and the chart to {@code bench/target/wan/}.
 */
public final class WanLab {
    private WanLab() {}

    public static void main(String[] args) throws Exception {
        ReplicationBenchmark.quietLogs();
        Options options = new Options();
        CommandLine line = Options.commandLine(options);
        OptionalInt usage = CommandLines.parse(line, args);
        if (usage.isPresent()) {
            System.exit(usage.getAsInt()); // --help, or a usage error: printed already
        }
        options.cellDefaults(line.getParseResult());
        int exit = 0;
        Progress progress = new Progress();
        try (WanNetwork net = WanNetwork.up(options.netScript, options.delayMs, options.loss, options.cc)) {
            progress.say("WAN lab, cell " + options.cell.label + ": " + options.describe());
            progress.say("machine: " + Machine.describe() + "; load average now " + Machine.loadAverage());
            String loadBefore = Machine.loadAverage();
            List<WanRun.Result> results = new ArrayList<>();
            for (WanRun.Replicator system : options.systems) {
                results.addAll(new WanRun(options, net, progress).run(system));
            }
            Files.createDirectories(options.out);
            new WanReport(options, loadBefore, Machine.loadAverage(), net.router("stats")).write(results, progress);
        } catch (Exception | Error e) {
            System.out.flush();
            System.err.println("WAN lab failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /** The cells of issue 19: defaults for the options the command line leaves out. */
    enum Cell {
        RATE_100("rate-100", "100 rows/s per site, no loss"),
        RATE_5000("rate-5000", "5000 rows/s per site, no loss"),
        LOSS_CUBIC("loss-cubic", "5000 rows/s per site, 1% loss each way, TCP cubic"),
        LOSS_BBR("loss-bbr", "5000 rows/s per site, 1% loss each way, TCP BBR"),
        CUT_60("cut-60", "1000 rows/s per site, the link cut for 60 s"),
        BACKLOG("backlog", "1000 rows/s per site, the link cut for an hour, then the catch-up"),
        MAX_RATE("max-rate", "rising rates until a system no longer keeps up");

        final String label;
        final String title;

        Cell(String label, String title) {
            this.label = label;
            this.title = title;
        }
    }

    /** The command line of {@code bench/wan.sh}. */
    @Command(name = "bench/wan.sh", description = "Replication lag across an emulated WAN: Ferry and native MariaDB"
            + " master-master, both sites writing (a benchmark, not a test; run as root).")
    static final class Options {
        @Option(names = "--cell", paramLabel = "NAME", converter = CellName.class, description = "rate-100 (default),"
                + " rate-5000, loss-cubic, loss-bbr, cut-60, backlog or max-rate: sets the defaults below.")
        Cell cell = Cell.RATE_100;
        @Option(names = "--systems", split = ",", paramLabel = "native,ferry", hideParamSyntax = true,
                description = "Systems to measure, one after the other (default: both).")
        Set<WanRun.Replicator> systems = EnumSet.allOf(WanRun.Replicator.class);
        @Option(names = "--rate", paramLabel = "ROWS_PER_S", description = "Rows per second written at each site.")
        double rate = 100;
        @Option(names = "--rates", split = ",", paramLabel = "R1,R2,...", hideParamSyntax = true,
                description = "max-rate: the rates tried, one phase each, until a system falls behind.")
        List<Double> rates = List.of(1000.0, 2000.0, 4000.0, 6000.0, 8000.0, 10000.0, 12000.0);
        @Option(names = "--seconds", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Measured seconds (per rate) after the warm-up (default ${DEFAULT-VALUE}).")
        int seconds = 60;
        @Option(names = "--warmup", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Seconds written before the measurement starts (default ${DEFAULT-VALUE}).")
        int warmup = 15;
        @Option(names = "--drain", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Seconds to wait after the writes for the last rows (default ${DEFAULT-VALUE}).")
        int drain = 60;
        @Option(names = "--delay-ms", paramLabel = "MS", converter = WholeNumbers.NonNegative.class,
                description = "One-way delay of the link (default ${DEFAULT-VALUE}: RTT 150 ms).")
        int delayMs = 75;
        @Option(names = "--loss", paramLabel = "FRACTION", description = "Packets lost each way, e.g. 0.01.")
        double loss;
        @Option(names = "--cc", paramLabel = "cubic|bbr", description = "TCP congestion control of both sites.")
        String cc = "cubic";
        @Option(names = "--cut-seconds", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Cut the link (drop every packet) this long, 0 for no cut.")
        int cutSeconds;
        @Option(names = "--cut-at", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Seconds into the measurement when the cut starts.")
        int cutAt;
        @Option(names = "--writers", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Writer connections per site (default: one per 2000 rows/s).")
        Integer writers;
        @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
                description = "Ferry's checkpoint interval (default ${DEFAULT-VALUE}).")
        String checkpointInterval = "1s";
        @Option(names = "--poll-ms", paramLabel = "MS", converter = WholeNumbers.Positive.class,
                description = "How often each site is polled for the other's rows (default ${DEFAULT-VALUE}).")
        int pollMs = 50;
        @Option(names = "--out", paramLabel = "DIR", description = "Report directory (default ${DEFAULT-VALUE}).")
        Path out = Path.of("bench/target/wan");
        @Option(names = "--net-script", paramLabel = "FILE", hidden = true)
        Path netScript = Path.of("bench/wan/net.sh");
        @Mixin
        HelpOption help;

        static CommandLine commandLine(Options options) {
            CommandLine line = CommandLines.of(options, "=");
            line.setCaseInsensitiveEnumValuesAllowed(true);
            return line;
        }

        /** The cell's values for what the command line leaves out. */
        void cellDefaults(ParseResult given) {
            rate = given.hasMatchedOption("--rate") ? rate : switch (cell) {
                case RATE_100 -> 100;
                case CUT_60, BACKLOG -> 1000;
                default -> 5000;
            };
            if (cell == Cell.LOSS_CUBIC || cell == Cell.LOSS_BBR) {
                loss = given.hasMatchedOption("--loss") ? loss : 0.01;
                cc = given.hasMatchedOption("--cc") ? cc : cell == Cell.LOSS_BBR ? "bbr" : "cubic";
            }
            if (cell == Cell.CUT_60 || cell == Cell.BACKLOG) {
                int cut = cell == Cell.CUT_60 ? 60 : 3600;
                cutSeconds = given.hasMatchedOption("--cut-seconds") ? cutSeconds : cut;
                cutAt = given.hasMatchedOption("--cut-at") ? cutAt : cell == Cell.CUT_60 ? 20 : 0;
                // after the cut: 40 s, or for the backlog up to 15 minutes of catching up
                seconds = given.hasMatchedOption("--seconds") ? seconds
                        : cutAt + cutSeconds + (cell == Cell.CUT_60 ? 40 : 900);
                drain = given.hasMatchedOption("--drain") ? drain : Math.max(drain, cell == Cell.CUT_60 ? 120 : 1800);
            }
            if (cell == Cell.MAX_RATE) {
                seconds = given.hasMatchedOption("--seconds") ? seconds : 30;
            }
            if (!List.of("cubic", "bbr", "reno").contains(cc)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--cc: cubic, bbr or reno, not " + cc);
            }
        }

        /** The rates of the phases: one, or max-rate's rising list. */
        List<Double> phaseRates() {
            return cell == Cell.MAX_RATE ? rates : List.of(rate);
        }

        int writersFor(double rowsPerSec) {
            return writers != null ? writers : (int) Math.max(1, Math.ceil(rowsPerSec / 2000));
        }

        String describe() {
            return String.format(Locale.ROOT, "%s; one-way delay %d ms (RTT %d ms), loss %.3g each way, TCP %s, %s"
                            + " rows/s per site, %d s measured after %d s warm-up%s; Ferry checkpoint interval %s;"
                            + " polled every %d ms; systems %s", cell.title, delayMs, 2 * delayMs, loss, cc,
                    cell == Cell.MAX_RATE ? rates.toString() : String.format(Locale.ROOT, "%.0f", rate), seconds,
                    warmup, cutSeconds > 0 ? ", link cut " + cutSeconds + " s from second " + cutAt : "",
                    checkpointInterval, pollMs, systems);
        }
    }

    /** {@code --cell}: a cell's label (rate-100, ...). */
    static final class CellName implements CommandLine.ITypeConverter<Cell> {
        @Override
        public Cell convert(String value) {
            for (Cell c : Cell.values()) {
                if (c.label.equalsIgnoreCase(value)) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a cell; cells: rate-100, rate-5000,"
                    + " loss-cubic, loss-bbr, cut-60, backlog, max-rate");
        }
    }
}
