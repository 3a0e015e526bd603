package dev.ferry.it.checker;

import dev.ferry.config.ChannelConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The channel under test: its parsed config (for the in-process runner), the same YAML as a file with the
 * environment it needs (for {@code ferry run}), and a directory for logs.
 */
public record ChannelSpec(String name, String database, ChannelConfig config, Path configFile,
        Map<String, String> env, Path workDir) {

    /** The Flink job name of a direction, as FerryJob names it. */
    public String jobName(String direction) {
        return "ferry " + name + " " + direction;
    }
}
