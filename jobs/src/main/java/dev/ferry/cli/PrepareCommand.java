package dev.ferry.cli;

import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelPrepare;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry prepare}: Ferry's system tables at every site, and the grants its user needs. */
@Command(name = "prepare", description = {
        "Creates Ferry's system tables at every site (safe to run again) and prints the",
        "grants Ferry's user needs there."})
final class PrepareCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        return prepare(channel.load(), true);
    }

    /** Prepares every site, or with {@code createTables} false only prints the grants; 1 unless all succeed. */
    static int prepare(ChannelConfig config, boolean createTables) {
        List<ChannelPrepare.Site> sites = ChannelPrepare.run(config, createTables);
        Reports.prepared(sites, System.out);
        return sites.stream().allMatch(ChannelPrepare.Site::prepared) ? 0 : 1;
    }
}
