package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.verify.ChannelVerify;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ferry verify}: compares the sites of every direction, and optionally repairs one from the other. */
@Command(name = "verify", description = {
        "Compares every included table between the sites each direction connects, in",
        "primary-key chunks (checksums, then row by row inside differing chunks), while",
        "replication runs: differing rows are checked again after --settle (default: three",
        "checkpoint intervals plus 2 s). Prints the keys that still differ; exits 1 if any.",
        "--repair rewrites them from <site> in a Ferry-stamped transaction, which is not",
        "replicated back."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    /** Null without --repair; picocli refuses one of the two without the other. */
    @ArgGroup(exclusive = false)
    Repair repair;
    @Option(names = "--chunk-size", paramLabel = "<rows>", converter = WholeNumbers.Positive.class,
            description = "Rows per compared chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize = 1000;
    @Option(names = "--settle", paramLabel = "<seconds>", converter = WholeNumbers.Seconds.class,
            description = "Wait before checking differing rows again (default: three checkpoint intervals plus 2 s).")
    Long settleSeconds;
    @Mixin
    HelpOption help;

    /** {@code --repair --from <site>}, which go together. */
    static final class Repair {
        @Option(names = "--repair", required = true,
                description = "Rewrite the rows that still differ, in a Ferry-stamped transaction.")
        boolean repair;
        @Option(names = "--from", required = true, paramLabel = "<site>",
                description = "The site --repair copies the rows from.")
        String from;
    }

    @Override
    public Integer call() throws InterruptedException {
        ChannelConfig config = channel.load();
        List<ChannelVerify.TableResult> results = ChannelVerify.run(config, options(config), System.err);
        Reports.verified(results, System.out);
        return results.stream().allMatch(r -> r.differingKeys().isEmpty()) ? 0 : 1;
    }

    ChannelVerify.Options options(ChannelConfig config) {
        Duration settle = settleSeconds == null ? config.checkpointInterval().multipliedBy(3).plusSeconds(2)
                : Duration.ofSeconds(settleSeconds);
        return new ChannelVerify.Options(repair == null ? null : repair.from, chunkSize, settle);
    }
}
