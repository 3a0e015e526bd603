package dev.ferry.bench;

import dev.ferry.cli.CommandLines;
import dev.ferry.cli.HelpOption;
import dev.ferry.cli.WholeNumbers;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.LinkProxy;
import dev.ferry.testing.ServerKind;
import dev.ferry.verify.ChannelVerify;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How long {@code ferry verify} takes for one table of many rows, with the second site on loopback and then across
 * a long link (a {@link LinkProxy} delaying each byte by half the round trip). Prints the figures; not a test.
 * Two MariaDB servers, the table filled at both with the same rows, then a few rows changed at the second site:
 * each run must find exactly those.
 */
public final class VerifyBenchmark {
    @Command(name = "bench/verify.sh", description = "ferry verify on loopback and across a long link (not a test).")
    static final class Options {
        @Option(names = "--rows", converter = WholeNumbers.Positive.class, description = "Rows (default:"
                + " ${DEFAULT-VALUE}).")
        int rows = 1_000_000;

        @Option(names = "--rtt-ms", converter = WholeNumbers.Positive.class, description = "Round trip to the second"
                + " site across the link (default: ${DEFAULT-VALUE}).")
        int rttMs = 150;

        @Option(names = "--chunk-size", converter = WholeNumbers.Positive.class, description = "Rows per chunk"
                + " (default: ${DEFAULT-VALUE}, as ferry verify's).")
        int chunkSize = 1000;

        @Mixin
        HelpOption help;
    }

    private static final String DATABASE = "verify_bench";
    private static final int CHANGED = 5;

    public static void main(String[] args) throws Exception {
        Options options = new Options();
        OptionalInt usage = CommandLines.parse(CommandLines.of(options, "="), args);
        if (usage.isPresent()) {
            System.exit(usage.getAsInt());
        }
        DatabaseServer a = DatabaseServer.start(ServerKind.MARIADB, "verify-a", Map.of());
        DatabaseServer b = DatabaseServer.start(ServerKind.MARIADB, "verify-b", Map.of());
        try {
            long loadStart = System.nanoTime();
            for (DatabaseServer s : List.of(a, b)) {
                fill(s, options.rows);
            }
            try (Connection c = b.connect(DATABASE); Statement s = c.createStatement()) {
                s.execute("UPDATE t SET v = 'changed at b' WHERE id % " + Math.max(1, options.rows / CHANGED)
                        + " = 1 LIMIT " + CHANGED);
            }
            System.out.printf("%,d rows at each site, loaded in %.0f s; %d changed at b; chunks of %d rows%n",
                    options.rows, seconds(loadStart), CHANGED, options.chunkSize);
            run("loopback", a, b.jdbcUrl(), options);
            try (LinkProxy link = new LinkProxy(b.host(), b.port(), Duration.ofMillis(options.rttMs / 2))) {
                run(options.rttMs + " ms round trip to b", a, "jdbc:mysql://127.0.0.1:" + link.port(), options);
            }
        } finally {
            a.stop();
            b.stop();
        }
    }

    private static void run(String where, DatabaseServer a, String urlOfB, Options options) throws Exception {
        String yaml = String.join("\n", "channel: verify_bench", "sites:",
                "  a: { url: \"" + a.jdbcUrl() + "\", user: " + DatabaseServer.ADMIN_USER
                        + ", password: \"${env:PW}\" }",
                "  b: { url: \"" + urlOfB + "\", user: " + DatabaseServer.ADMIN_USER + ", password: \"${env:PW}\" }",
                "directions:", "  - { from: a, to: b }", "tables:", "  include: ['" + DATABASE + "\\..*']", "");
        ChannelConfig config = ChannelConfig.parse(yaml, "verify-bench.yaml",
                Map.of("PW", DatabaseServer.ADMIN_PASSWORD)::get);
        long start = System.nanoTime();
        List<ChannelVerify.TableResult> results = ChannelVerify.run(config,
                new ChannelVerify.Options(null, options.chunkSize, Duration.ZERO),
                new PrintStream(OutputStream.nullOutputStream()));
        double took = seconds(start);
        int found = results.stream().mapToInt(r -> r.differingKeys().size()).sum();
        System.out.printf("%-28s %7.1f s  %,9.0f rows/s  %d differing key(s) found%s%n", where, took,
                options.rows / took, found, found == CHANGED ? "" : " (WRONG: " + CHANGED + " were changed)");
    }

    /** The table at one site: the same rows everywhere, made by the server itself (MariaDB's sequence engine). */
    private static void fill(DatabaseServer server, int rows) throws Exception {
        try (Connection c = server.connect(null); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
            s.execute("CREATE TABLE " + DATABASE + ".t (id BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL, n INT NOT NULL,"
                    + " at DATETIME(6) NOT NULL)");
            s.execute("INSERT INTO " + DATABASE + ".t SELECT seq, CONCAT('row ', seq), seq % 1000,"
                    + " '2026-01-01 00:00:00' + INTERVAL seq SECOND FROM " + DATABASE + ".seq_1_to_" + rows);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
