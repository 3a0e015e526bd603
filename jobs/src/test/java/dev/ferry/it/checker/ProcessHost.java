package dev.ferry.it.checker;

import dev.ferry.it.FerryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The channel as a {@code ferry run} process, the way a user runs it; killed with SIGKILL. */
final class ProcessHost implements ChannelHost {
    private static final Pattern DASHBOARD = Pattern.compile("dashboard at (http://\\S+)");
    /** Lines of {@code ferry run} that are not problems. */
    private static final List<String> INFORMATION = List.of(" resumes from ", " starts (", "dashboard at ",
            "state in ", "stopped with savepoint", "stopping with savepoints", "ferry: stopped");

    private final FerryProcess process;
    private final String restUrl;

    private ProcessHost(FerryProcess process, String restUrl) {
        this.process = process;
        this.restUrl = restUrl;
    }

    static ProcessHost start(ChannelSpec spec, Path log, Duration timeout) throws Exception {
        FerryProcess process = FerryProcess.run(spec.configFile(), spec.env(), log);
        try {
            process.awaitOutput("dashboard at http://", timeout);
        } catch (AssertionError | RuntimeException e) {
            process.kill9();
            throw e;
        }
        for (String line : process.output()) {
            Matcher m = DASHBOARD.matcher(line);
            if (m.find()) {
                return new ProcessHost(process, m.group(1));
            }
        }
        process.kill9();
        throw new IllegalStateException("ferry run printed no dashboard address: " + process.output());
    }

    @Override
    public String kind() {
        return "ferry-run-process";
    }

    @Override
    public String restUrl() {
        return restUrl;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String line : process.output()) {
            if (line.startsWith("ferry: ") && INFORMATION.stream().noneMatch(line::contains)) {
                problems.add(line.substring("ferry: ".length()));
            }
        }
        return problems;
    }

    @Override
    public void crash() throws Exception {
        process.kill9();
    }
}
