package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config}, which every command of a channel needs; the file is read when the command runs. */
final class ChannelOption {
    @Option(names = "--config", required = true, paramLabel = "<channel.yaml>", description = "The channel file.")
    Path file;

    ChannelConfig load() {
        return ChannelConfig.load(file);
    }
}
