package dev.ferry.bench;

import dev.ferry.cli.CommandLines;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.WholeNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Benchmark (not a test): Ferry's one-direction replication against native MariaDB replication on
 * loopback, on three workloads. Three MariaDB servers: a source, a Ferry target and a native
 * replica (single-threaded, file/position).
 *
 * <p>Throughput ("catch-up"): with both systems paused, the workload is written into the source's
 * binlog; then each system is resumed in turn (native: START SLAVE; Ferry: a new LocalRunner that
 * resumes from its savepoint) and timed until it has caught up (native: executed up to the
 * source's binlog end; Ferry: the commit markers at the target count every generated row).
 *
 * <p>Lag: a paced phase (~5000 rows/s, both systems live at the same time) where every row carries
 * its transaction's sequence number; a poller per target notes when each transaction becomes
 * visible there. Lag = first seen at the target - COMMIT acknowledged at the source (same JVM clock).
 *
 * <p>Usage: {@code bench/run.sh [--quick] [--only=a,b,c] [--lag-seconds=N] [--lag-rate=ROWS_PER_S]
 * [--lag-threads=N]}; {@code --help} lists all options.
 *
 * <p>This class holds the command line and runs the parts in order: {@link BenchServers}, a {@link WorkloadRun}
 * (with its {@link LagPhase}) per workload, then the {@link BenchReport}.
 */
public final class ReplicationBenchmark {
    /** java.util.logging users that would print INFO lines to the console: the test servers, the binlog client. */
    private static final java.util.logging.Logger[] QUIET_JUL = {
            java.util.logging.Logger.getLogger("dev.ferry.testing"),
            java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog")};
    /** Ferry's settings in every workload. */
    static final String CHECKPOINT_INTERVAL = "500ms";
    static final int BATCH_SIZE = 1000;
    /** The lag phase's default load, and the rate at which the lag target is judged. */
    static final double LAG_TARGET_RATE = 5000;

    private final Options options;
    private final Progress progress = new Progress();
    private final Path workDir;
    private final BenchServers servers = new BenchServers(progress);

    private ReplicationBenchmark(Options options, Path workDir) {
        this.options = options;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        String log = quietLogs();
        Options options = new Options();
        CommandLine line = Options.commandLine(options);
        OptionalInt usage = CommandLines.parse(line, args);
        if (usage.isPresent()) {
            System.exit(usage.getAsInt()); // --help, or a usage error: printed already
        }
        options.quickDefaults(line.getParseResult());
        Path work = Files.createTempDirectory("ferry-bench-");
        ReplicationBenchmark bench = new ReplicationBenchmark(options, work);
        int exit = 0;
        try {
            bench.run(log);
        } catch (Exception | Error e) {
            System.out.flush();
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(exit);
    }

    /**
     * Flink's and Ferry's log into a file ({@code ferry.bench.log}, default a new one in /tmp), and the test servers'
     * and binlog client's INFO lines off the console; the log file's name.
     */
    static String quietLogs() {
        String log = System.getProperty("ferry.bench.log");
        if (log == null) {
            log = "/tmp/ferry-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log";
            System.setProperty("ferry.bench.log", log);
        }
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-bench.properties");
        }
        for (java.util.logging.Logger l : QUIET_JUL) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        return log;
    }

    private void run(String logFile) throws Exception {
        progress.say("Ferry vs native MariaDB replication benchmark (" + (options.quick ? "--quick" : "full") + " mode)");
        progress.say("Flink/Ferry log: " + logFile);
        progress.say("machine: " + Machine.describe() + "; load average now " + Machine.loadAverage());
        progress.say("starting 3 MariaDB servers (source, ferry-target, native-replica)");
        servers.start(options.durability);

        Map<Workload, Result> results = new EnumMap<>(Workload.class);
        WorkloadRun workloads = new WorkloadRun(options, servers, progress, workDir);
        for (Workload w : Workload.values()) {
            if (options.only.contains(w)) {
                results.put(w, workloads.run(w));
            }
        }
        new BenchReport(options, servers).print(results, progress);
    }

    private void cleanUp() {
        servers.close();
        if (!options.keepState) {
            deleteTree(workDir);
        }
    }

    /** Deletes a directory and what it holds, if it exists; says so if it cannot. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The command line of {@code bench/run.sh}, in its {@code --option=value} style. */
    @Command(name = "bench/run.sh", description = "Ferry vs native MariaDB replication on loopback, one direction"
            + " (not a test).")
    static final class Options {
        @Option(names = "--quick", description = "Smaller backlogs and an 8 s lag phase (~2-3 min); options given"
                + " explicitly still win.")
        boolean quick;
        @Option(names = "--keep-state", description = "Keep the work directory (Ferry's state) at the end.")
        boolean keepState;
        @Option(names = "--only", split = ",", paramLabel = "a,b,c", converter = WorkloadLetter.class,
                description = "Only these workloads (default: all).")
        Set<Workload> only = EnumSet.allOf(Workload.class);
        @Option(names = "--bulk-tx", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Transactions of workload a's backlog (default ${DEFAULT-VALUE}; --quick 100).")
        int bulkTx = 500;
        @Option(names = "--updates", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Updates of workload b's backlog (default ${DEFAULT-VALUE}; --quick 12000).")
        int updates = 150_000;
        @Option(names = "--mixed-tx", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Transactions of workload c's backlog (default ${DEFAULT-VALUE}; --quick 5000).")
        int mixedTx = 50_000;
        @Option(names = "--preload-rows", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Rows loaded outside the binlog first (default ${DEFAULT-VALUE}; --quick 20000).")
        int preloadRows = 100_000;
        @Option(names = "--lag-seconds", paramLabel = "N", converter = WholeNumbers.NonNegative.class,
                description = "Length of the lag phase, 0 for none (default ${DEFAULT-VALUE}; --quick 8).")
        int lagSeconds = 20;
        @Option(names = "--lag-rate", paramLabel = "ROWS_PER_S",
                description = "Rows per second offered in the lag phase (default ${DEFAULT-VALUE}).")
        double lagRate = LAG_TARGET_RATE;
        /** Autocommit updates need several senders to reach 5000/s; the mix reaches it from one. */
        int lagThreadsB = 4;
        int lagThreadsC = 1;
        int catchUpTimeout = 300;
        int drainTimeout = 60;
        @Option(names = "--durability", paramLabel = "default|relaxed|full",
                description = "How durably both targets commit (default: default).")
        Durability durability = Durability.DEFAULT;
        /** 0: transactional apply; else parallel apply over this many writers. */
        @Option(names = "--parallel", paramLabel = "WRITERS", converter = WholeNumbers.NonNegative.class,
                description = "Apply in parallel over this many writers (default: 0, transactional apply).")
        int parallelism;
        /** Share of (a)'s keys that already exist at Ferry's target with other values, in percent. */
        @Option(names = "--conflicts", paramLabel = "PERCENT", converter = WholeNumbers.Percent.class,
                description = "Share of workload a's keys planted at Ferry's target with other values (default: 0).")
        int conflictPercent;
        @Mixin
        HelpOption help;

        /** The same sender count for workloads b and c. */
        @Option(names = "--lag-threads", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "Generator threads of the lag phase for b and c (default: b 4, c 1).")
        void lagThreads(int threads) {
            lagThreadsB = threads;
            lagThreadsC = threads;
        }

        static CommandLine commandLine(Options options) {
            CommandLine line = CommandLines.of(options, "=");
            line.setCaseInsensitiveEnumValuesAllowed(true);
            return line;
        }

        /** --quick: smaller values for what the command line leaves out, wherever --quick stands on the line. */
        void quickDefaults(ParseResult given) {
            if (!quick) {
                return;
            }
            bulkTx = given.hasMatchedOption("--bulk-tx") ? bulkTx : 100;
            updates = given.hasMatchedOption("--updates") ? updates : 12_000;
            mixedTx = given.hasMatchedOption("--mixed-tx") ? mixedTx : 5_000;
            preloadRows = given.hasMatchedOption("--preload-rows") ? preloadRows : 20_000;
            lagSeconds = given.hasMatchedOption("--lag-seconds") ? lagSeconds : 8;
            catchUpTimeout = 180;
        }
    }

    /** A workload by its letter: a, b or c. */
    static final class WorkloadLetter implements ITypeConverter<Workload> {
        @Override
        public Workload convert(String letter) {
            return Arrays.stream(Workload.values()).filter(w -> w.letter.equals(letter.trim())).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + letter + "' is none of a, b or c"));
        }
    }

    /**
     * How durably the two targets (Ferry's and the native replica) commit. Both get the same setting;
     * the source always runs relaxed, since its backlog is written before either side starts.
     */
    enum Durability {
        /** MariaDB's own defaults, as a replica runs in production unless tuned: redo log flushed per commit. */
        DEFAULT("1", "0"),
        /** The test servers' setting: redo log written per commit, flushed once a second. */
        RELAXED("2", "0"),
        /** Redo log and binlog both synced per commit. */
        FULL("1", "1");

        private final String flushLogAtTrxCommit;
        private final String syncBinlog;

        Durability(String flushLogAtTrxCommit, String syncBinlog) {
            this.flushLogAtTrxCommit = flushLogAtTrxCommit;
            this.syncBinlog = syncBinlog;
        }

        Map<String, String> settings() {
            return Map.of("innodb-flush-log-at-trx-commit", flushLogAtTrxCommit, "sync-binlog", syncBinlog);
        }

        String describe() {
            return "--durability=" + name().toLowerCase(Locale.ROOT) + " (innodb_flush_log_at_trx_commit="
                    + flushLogAtTrxCommit + ", sync_binlog=" + syncBinlog + ")";
        }
    }
}