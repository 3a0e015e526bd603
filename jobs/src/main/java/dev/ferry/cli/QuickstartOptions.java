package dev.ferry.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of {@code ferry quickstart}. They live here, not in the quickstart module, so that {@code ferry help}
 * describes them from the same declarations the quickstart parses.
 */
public class QuickstartOptions {
    public static final int DEFAULT_REST_PORT = 8081;

    @Option(names = "--seconds", paramLabel = "<n>", converter = WholeNumbers.PositiveSeconds.class,
            description = "Stop by itself after <n> seconds of traffic (default: run until Ctrl-C).")
    public long seconds;
    @Option(names = "--keep", description = "Keep the servers' data directories and the savepoints when stopping.")
    public boolean keep;
    @Option(names = "--dir", paramLabel = "<path>",
            description = "Working directory (default: ${DEFAULT-VALUE}); a previous quickstart there is replaced.")
    public Path dir = Path.of("ferry-quickstart");
    @Option(names = "--rest-port", paramLabel = "<port>", converter = WholeNumbers.Port.class,
            description = "First port to try for the Flink dashboard (default: ${DEFAULT-VALUE}; 0: any free port).")
    public int restPort = DEFAULT_REST_PORT;
}
