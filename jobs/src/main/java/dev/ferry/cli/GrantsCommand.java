package dev.ferry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ferry grants}: what {@code prepare} prints, without creating anything. */
@Command(name = "grants", description = {
        "Prints, per site, the GRANTs Ferry's user needs there, for the account the server",
        "knows it as. Needs only a login: run it first, then the GRANTs as an admin."})
final class GrantsCommand implements Callable<Integer> {
    @Mixin
    ChannelOption channel;
    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        return PrepareCommand.prepare(channel.load(), false);
    }
}
