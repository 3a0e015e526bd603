package dev.ferry.cli;

import dev.ferry.job.ChannelCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Lets tests in other packages run a {@code ferry} command in-process and see its exit code. */
public final class FerryCliAccess {
    private FerryCliAccess() {}

    public static int run(String... args) {
        return FerryCli.run(args);
    }

    /** What {@code ferry status} prints for a channel run by the cluster at {@code flinkUrl}, and its exit code. */
    public record Status(int exitCode, String output) {}

    public static Status status(dev.ferry.config.ChannelConfig config, String flinkUrl) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = StatusCommand.status(config, new FlinkRestClient(flinkUrl), new PrintStream(out, true,
                StandardCharsets.UTF_8));
        return new Status(code, out.toString(StandardCharsets.UTF_8));
    }

    /** The lines {@code ferry check} prints for these results. */
    public static String checkReport(List<ChannelCheck.Result> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reports.checks(results, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
