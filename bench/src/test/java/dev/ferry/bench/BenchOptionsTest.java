package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.cli.UsageErrors;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line of bench/run.sh. */
class BenchOptionsTest {
    private static ReplicationBenchmark.Options parse(String... args) {
        ReplicationBenchmark.Options options = new ReplicationBenchmark.Options();
        CommandLine line = ReplicationBenchmark.Options.commandLine(options);
        options.quickDefaults(line.parseArgs(args));
        return options;
    }

    private static String error(String... args) {
        ParameterException e = catchThrowableOfType(ParameterException.class, () -> parse(args));
        assertThat(e).as("refused: %s", String.join(" ", args)).isNotNull();
        return UsageErrors.line(e, args);
    }

    @Test
    void defaultsAndValues() {
        ReplicationBenchmark.Options defaults = parse();
        assertThat(defaults.only).isEqualTo(EnumSet.allOf(Workload.class));
        assertThat(defaults.bulkTx).isEqualTo(500);
        assertThat(defaults.lagThreadsB).isEqualTo(4);
        assertThat(defaults.lagThreadsC).isEqualTo(1);
        assertThat(defaults.durability).isEqualTo(ReplicationBenchmark.Durability.DEFAULT);

        ReplicationBenchmark.Options o = parse("--only=a,c", "--lag-seconds=3", "--lag-rate=250.5", "--lag-threads=2",
                "--durability=relaxed", "--parallel=4", "--conflicts=10", "--keep-state", "--bulk-tx", "7");
        assertThat(o.only).containsExactlyInAnyOrder(Workload.BULK, Workload.MIXED);
        assertThat(o.lagSeconds).isEqualTo(3);
        assertThat(o.lagRate).isEqualTo(250.5);
        assertThat(o.lagThreadsB).isEqualTo(2);
        assertThat(o.lagThreadsC).isEqualTo(2);
        assertThat(o.durability).isEqualTo(ReplicationBenchmark.Durability.RELAXED);
        assertThat(o.parallelism).isEqualTo(4);
        assertThat(o.conflictPercent).isEqualTo(10);
        assertThat(o.keepState).isTrue();
        assertThat(o.bulkTx).isEqualTo(7);
    }

    @Test
    void quickShrinksOnlyWhatTheCommandLineLeavesOut() {
        ReplicationBenchmark.Options o = parse("--updates=99", "--quick");
        assertThat(o.quick).isTrue();
        assertThat(o.updates).isEqualTo(99);
        assertThat(o.bulkTx).isEqualTo(100);
        assertThat(o.mixedTx).isEqualTo(5_000);
        assertThat(o.preloadRows).isEqualTo(20_000);
        assertThat(o.lagSeconds).isEqualTo(8);
        assertThat(o.catchUpTimeout).isEqualTo(180);
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(error("--lag-seconds=x")).isEqualTo("--lag-seconds must be a whole number of at least 0, not 'x'");
        assertThat(error("--conflicts=101")).isEqualTo("--conflicts must be a whole number from 0 to 100, not '101'");
        assertThat(error("--only=d")).contains("--only", "'d' is none of a, b or c");
        assertThat(error("--durability=fast")).contains("--durability", "fast");
        assertThat(error("--fast")).isEqualTo("unknown option '--fast'");
        assertThat(error("--lag-rate")).isEqualTo("option --lag-rate needs a value");
    }
}
