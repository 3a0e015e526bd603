package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The WAN lab's network, made and removed by bench/wan/net.sh (which owns the addresses: {@code net.sh env}), and
 * the router's control socket.
 */
final class WanNetwork implements AutoCloseable {
    /** A site: its namespace, its address across the WAN, its address on the lab's management link. */
    record Site(String name, String namespace, String wanAddress, String mgmtAddress) {}

    private final Path script;
    private final Site sh;
    private final Site us;
    private final String control;
    private boolean up;

    private WanNetwork(Path script, Map<String, String> env) {
        this.script = script;
        this.sh = new Site("sh", env.get("WAN_SH_NS"), env.get("WAN_SH_WAN"), env.get("WAN_SH_MGMT"));
        this.us = new Site("us", env.get("WAN_US_NS"), env.get("WAN_US_WAN"), env.get("WAN_US_MGMT"));
        this.control = env.get("WAN_CONTROL");
    }

    /** Runs {@code net.sh up}; {@link #close()} runs {@code net.sh down}. */
    static WanNetwork up(Path script, int delayMs, double loss, String congestionControl) throws IOException,
            InterruptedException {
        Map<String, String> env = new HashMap<>();
        for (String line : run(script, "env")) {
            String[] kv = line.split("=", 2);
            env.put(kv[0], kv[1]);
        }
        WanNetwork net = new WanNetwork(script, env);
        net.up = true;
        try {
            run(script, "up", Integer.toString(delayMs), Double.toString(loss), congestionControl)
                    .forEach(System.out::println);
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close(); // a half-made network is removed too
            throw e;
        }
        return net;
    }

    Site sh() {
        return sh;
    }

    Site us() {
        return us;
    }

    /** Sends one command to the router (delay MS, loss FRACTION, cut SECONDS, stats) and returns its answer. */
    String router(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control));
            PrintWriter out = new PrintWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), true);
            BufferedReader in = new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8));
            out.println(command);
            String answer = in.readLine();
            if (answer == null || answer.startsWith("error")) {
                throw new IOException("router: " + command + ": " + answer);
            }
            return answer;
        }
    }

    private static List<String> run(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(lines::add);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + String.join("\n", lines));
        }
        return lines;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (up) {
            up = false;
            run(script, "down").forEach(System.out::println);
        }
    }
}
