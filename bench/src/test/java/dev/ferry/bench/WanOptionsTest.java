package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line of bench/wan.sh: a cell's defaults, and what the command line says instead. */
class WanOptionsTest {
    private static WanLab.Options parse(String... args) {
        WanLab.Options options = new WanLab.Options();
        CommandLine line = WanLab.Options.commandLine(options);
        options.cellDefaults(line.parseArgs(args));
        return options;
    }

    @Test
    void theDefaultCellIs100RowsPerSecondWithoutLoss() {
        WanLab.Options o = parse();
        assertThat(o.cell).isEqualTo(WanLab.Cell.RATE_100);
        assertThat(o.rate).isEqualTo(100);
        assertThat(o.loss).isZero();
        assertThat(o.cc).isEqualTo("cubic");
        assertThat(o.delayMs).isEqualTo(75);
        assertThat(o.cutSeconds).isZero();
        assertThat(o.phaseRates()).containsExactly(100.0);
        assertThat(o.writersFor(100)).isEqualTo(1);
        assertThat(o.writersFor(5000)).isEqualTo(3);
    }

    @Test
    void cellsSetTheirDefaultsAndTheCommandLineWins() {
        WanLab.Options bbr = parse("--cell=loss-bbr");
        assertThat(bbr.rate).isEqualTo(5000);
        assertThat(bbr.loss).isEqualTo(0.01);
        assertThat(bbr.cc).isEqualTo("bbr");

        WanLab.Options cut = parse("--cell=cut-60", "--rate=200");
        assertThat(cut.rate).isEqualTo(200);
        assertThat(cut.cutSeconds).isEqualTo(60);
        assertThat(cut.cutAt).isEqualTo(20);
        assertThat(cut.seconds).isEqualTo(120);
        assertThat(cut.drain).isEqualTo(120);

        WanLab.Options backlog = parse("--cell=backlog", "--cut-seconds=600");
        assertThat(backlog.cutSeconds).isEqualTo(600);
        assertThat(backlog.seconds).isEqualTo(600 + 900);

        WanLab.Options max = parse("--cell=max-rate", "--rates=500,1500", "--systems=ferry");
        assertThat(max.phaseRates()).containsExactly(500.0, 1500.0);
        assertThat(max.seconds).isEqualTo(30);
        assertThat(max.systems).containsExactly(WanRun.Replicator.FERRY);
        assertThat(parse("--cell=rate-5000", "--seconds=10").seconds).isEqualTo(10);
    }

    @Test
    void unknownCellsAndAlgorithmsAreRefused() {
        assertThatThrownBy(() -> parse("--cell=rate-7")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("rate-100, rate-5000");
        assertThatThrownBy(() -> parse("--cc=vegas")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("cubic, bbr or reno");
        assertThat(List.of(WanLab.Cell.values())).hasSize(7);
    }
}
