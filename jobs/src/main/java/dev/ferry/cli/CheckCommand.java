package dev.ferry.cli;

import dev.ferry.job.ChannelCheck;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry check}: the read-only preflight of every site. */
@Command(name = "check", description = {
        "Read-only preflight of every site: connection and version, binlog ON/ROW/FULL,",
        "server_id and the jobs' replica server ids, privileges, primary keys, time zones,",
        "Ferry's system tables. Prints the fix for each failure; exits 1 if anything fails."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        List<ChannelCheck.Result> results = ChannelCheck.run(channel.load());
        Reports.checks(results, System.out);
        return ChannelCheck.passed(results) ? 0 : 1;
    }
}
