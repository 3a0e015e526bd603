package dev.ferry.job;

import dev.ferry.cli.CommandLines;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.ChannelConfigException;
import dev.ferry.config.DirectionConfig;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the job jar: {@code flink run ferry-job.jar --config channel.yaml --direction sh->us}.
 * The channel file is read where the job is submitted; its passwords go into the job graph, never
 * into program arguments or global job parameters, which the Flink web UI shows.
 */
public final class FerryJob {
    private FerryJob() {}

    /** The program arguments of {@code flink run}. */
    @Command(name = "ferry", customSynopsis = "flink run <ferry-jobs-*-job.jar> --config <channel.yaml>"
            + " --direction <from->to>", description = "Runs one direction of a channel as a Flink job.")
    static final class Arguments {
        @Option(names = "--config", required = true, paramLabel = "<channel.yaml>", description = "The channel file.")
        Path config;
        @Option(names = "--direction", required = true, paramLabel = "<from->to>",
                description = "The direction to run, as the channel file names it.")
        String direction;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = new Arguments();
        OptionalInt usage = CommandLines.parse(CommandLines.of(arguments, " "), args);
        if (usage.isPresent()) {
            System.exit(usage.getAsInt());
        }
        try {
            ChannelConfig config = ChannelConfig.load(arguments.config);
            DirectionConfig d = config.direction(arguments.direction);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            // 'flink run -s' resumes from a savepoint
            Preflight.check(config, d, env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                    .isPresent());
            DirectionJob.build(env, config, d);
            env.execute(jobName(config, d));
        } catch (ChannelConfigException | FerryException e) {
            System.err.println("ferry: " + e.getMessage());
            System.exit(2);
        }
    }

    public static String jobName(ChannelConfig config, DirectionConfig direction) {
        return "ferry " + config.channel() + " " + direction.name();
    }
}
