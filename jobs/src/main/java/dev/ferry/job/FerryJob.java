package dev.ferry.job;

import dev.ferry.config.ChannelConfig;
import dev.ferry.config.ChannelConfigException;
import dev.ferry.config.DirectionConfig;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar: {@code flink run ferry-job.jar --config channel.yaml --direction sh->us}.
 * The channel file is read where the job is submitted; its passwords go into the job graph, never
 * into program arguments or global job parameters, which the Flink web UI shows.
 */
public final class FerryJob {
    private FerryJob() {}

    public static void main(String[] args) throws Exception {
        String configFile = null;
        String direction = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> configFile = value(args, ++i, "--config");
                case "--direction" -> direction = value(args, ++i, "--direction");
                default -> fail("unknown argument '" + args[i] + "'. Usage: --config <channel.yaml> --direction <from->to>");
            }
        }
        if (configFile == null || direction == null) {
            fail("usage: --config <channel.yaml> --direction <from->to>");
        }
        try {
            ChannelConfig config = ChannelConfig.load(Path.of(configFile));
            DirectionConfig d = config.direction(direction);
            Preflight.check(config, d);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            DirectionJob.build(env, config, d);
            env.execute(jobName(config, d));
        } catch (ChannelConfigException | FerryException e) {
            fail(e.getMessage());
        }
    }

    public static String jobName(ChannelConfig config, DirectionConfig direction) {
        return "ferry " + config.channel() + " " + direction.name();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("ferry: " + message);
        System.exit(2);
    }
}
