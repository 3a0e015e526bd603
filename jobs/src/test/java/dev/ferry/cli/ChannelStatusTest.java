package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.config.ChannelConfig;
import dev.ferry.config.ConfigFixtures;
import dev.ferry.job.FerryJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ferry status} against a stub of Flink's REST API, for answers a live cluster gives only for a moment. */
class ChannelStatusTest {
    private HttpServer flink;

    @AfterEach
    void stop() {
        if (flink != null) {
            flink.stop(0);
        }
    }

    @Test
    void aJobThatIsStillStartingIsShownWithoutCheckpointsRatherThanFailingTheStatus() throws Exception {
        ChannelConfig config = ChannelConfig.parse(ConfigFixtures.MINIMAL, "test.yaml", ConfigFixtures.ENV_LOOKUP);
        String name = FerryJob.jobName(config, config.directions().get(0));
        flink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/jobs/overview", 200, "{\"jobs\": [{\"jid\": \"j1\", \"name\": \"" + name
                + "\", \"state\": \"INITIALIZING\", \"start-time\": 1}]}");
        answer("/jobs/j1", 200, "{\"vertices\": []}");
        // what Flink 1.20 answered in CliStatusITCase for a job submitted a moment before
        answer("/jobs/j1/checkpoints", 500, "{\"errors\": [\"Internal server error.\"]}");
        flink.start();

        List<ChannelStatus.Direction> status = ChannelStatus.read(config,
                new FlinkRestClient("http://127.0.0.1:" + flink.getAddress().getPort()));

        assertThat(status).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("sh->us");
            assertThat(d.state()).isEqualTo("INITIALIZING");
            assertThat(d.lastCheckpointId()).isEqualTo(-1);
        });
    }

    @Test
    void onlyCheckpointsThatFailedAfterTheLastCompletedOneAreCounted() throws Exception {
        ChannelConfig config = ChannelConfig.parse(ConfigFixtures.MINIMAL, "test.yaml", ConfigFixtures.ENV_LOOKUP);
        String name = FerryJob.jobName(config, config.directions().get(0));
        flink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/jobs/overview", 200, "{\"jobs\": [{\"jid\": \"j1\", \"name\": \"" + name
                + "\", \"state\": \"RUNNING\", \"start-time\": 1}]}");
        answer("/jobs/j1", 200, "{\"vertices\": []}");
        // Flink 1.20's answer: a failure at start-up (id 1), then completed checkpoints, newest first
        String history = "{\"id\": 5, \"status\": \"COMPLETED\"}, {\"id\": 4, \"status\": \"COMPLETED\"},"
                + " {\"id\": 1, \"status\": \"FAILED\"}";
        answer("/jobs/j1/checkpoints", 200, "{\"counts\": {\"failed\": 1, \"completed\": 2}, \"latest\": {\"completed\":"
                + " {\"id\": 5, \"latest_ack_timestamp\": 1}}, \"history\": [" + history + "]}");
        flink.start();
        FlinkRestClient rest = new FlinkRestClient("http://127.0.0.1:" + flink.getAddress().getPort());

        assertThat(ChannelStatus.read(config, rest)).singleElement().satisfies(d -> {
            assertThat(d.lastCheckpointId()).isEqualTo(5);
            assertThat(d.failedCheckpoints()).as("the failure before checkpoint 5 is over").isZero();
        });
    }

    @Test
    void aDirectionThatAppliedNothingSinceItsStartIsStartingNotCopyingAndOldFailuresAreNotShown() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reports.status(List.of(
                new ChannelStatus.Direction("sh->us", "j1", "RUNNING", false, 0, -1, 0, 0, 0, 0, 7, 500, 0, JobFailures.NONE),
                new ChannelStatus.Direction("us->sh", "j2", "RUNNING", false, 12, -1, 0, 12, 0, 0, -1, -1, 2, JobFailures.NONE)),
                "http://127.0.0.1:8081", new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[1]).startsWith("sh->us  RUNNING  starting  lag unknown yet").doesNotContain("failed");
        assertThat(lines[2]).contains("initial copy (12 rows so far)", "no checkpoint yet (2 failed since)");
    }

    @Test
    void aDirectionInARestartLoopShowsAsFailingWithItsNewestFailure() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChannelStatus.Direction looping = new ChannelStatus.Direction("sh->us", "j1", "RUNNING", true, 0, 200, 0, 10,
                0, 0, 7, 500, 0, new JobFailures(3, 3, "java.sql.SQLException: Check constraint 'positive' is violated",
                        4_000));
        Reports.status(List.of(looping), "http://127.0.0.1:8081", new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[1]).startsWith("sh->us  FAILING  streaming");
        assertThat(lines[2]).isEqualTo("    3 failure(s) in the last 10 min, 3 restart(s) in all; the last 4 s ago:"
                + " java.sql.SQLException: Check constraint 'positive' is violated");
        assertThat(looping.running()).as("ferry status exits 1").isFalse();
    }

    /** A loop read during its back-off is FAILING too; one failure's restart is Flink's RESTARTING. */
    @Test
    void aLoopInItsBackOffIsFailingAndASingleRestartIsRestarting() {
        JobFailures loop = new JobFailures(3, 3, "java.sql.SQLException: no markers", 4_000);
        JobFailures once = new JobFailures(1, 1, "java.sql.SQLException: connection reset", 1_000);
        assertThat(direction("RESTARTING", loop).shownState()).isEqualTo("FAILING");
        assertThat(direction("INITIALIZING", loop).shownState()).isEqualTo("FAILING");
        assertThat(direction("RESTARTING", once).shownState()).isEqualTo("RESTARTING");
        assertThat(direction("RUNNING", once).shownState()).isEqualTo("RUNNING");
        assertThat(direction("CANCELED", loop).shownState()).as("a stopped job is not in a loop").isEqualTo("CANCELED");
        assertThat(direction("RESTARTING", once).running()).isFalse();
    }

    private static ChannelStatus.Direction direction(String state, JobFailures failures) {
        return new ChannelStatus.Direction("sh->us", "j1", state, true, 0, 200, 0, 10, 0, 0, 7, 500, 0, failures);
    }

    @Test
    void aHeldTableIsShownUnderItsRunningDirectionWithTheReasonAndTheFix() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChannelStatus.Direction running = new ChannelStatus.Direction("sh->us", "j1", "RUNNING", true, 0, 200, 0, 10,
                0, 1, 7, 500, 0, JobFailures.NONE);
        HeldTablesAtTarget.Held held = new HeldTablesAtTarget.Held("shop.orders", "held", -1, 0, 42, "shop.orders is"
                + " held: a CHECK constraint of the target refuses the row (...). Fix: change or drop that constraint",
                null);
        Reports.status(List.of(running), Map.of("sh->us", List.of(held.line())), "http://127.0.0.1:8081",
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[1]).startsWith("sh->us  RUNNING  streaming").contains("1 table(s) HELD");
        assertThat(lines[2]).isEqualTo("    shop.orders HELD (ferry.ferry_ddl subtask -1, epoch 0, seq 42): shop.orders"
                + " is held: a CHECK constraint of the target refuses the row (...). Fix: change or drop that"
                + " constraint");
    }

    /** A hold on changes the source reader could not read shows how many and where, then the reason and the fix. */
    @Test
    void aHoldOnChangesTheReaderCouldNotReadShowsTheirCountAndPositions() {
        HeldTablesAtTarget.Held held = new HeldTablesAtTarget.Held("shop.legacy", "held", -1, 0, 7, "shop.legacy is"
                + " held: the source reader cannot read its changes: INSERT at binlog.000003:900:2:0: table shop.legacy"
                + " has no primary key; ... Fix: add a primary key ...", "UNDECODABLE shop.legacy: 2 change(s) could"
                + " not be read from the binlog, first at binlog.000003:900:2:0, last at binlog.000003:1200:2:0; not"
                + " kept as values");
        assertThat(held.line()).isEqualTo("shop.legacy HELD (ferry.ferry_ddl subtask -1, epoch 0, seq 7): UNDECODABLE"
                + " shop.legacy: 2 change(s) could not be read from the binlog, first at binlog.000003:900:2:0, last at"
                + " binlog.000003:1200:2:0; not kept as values. shop.legacy is held: the source reader cannot read its"
                + " changes: INSERT at binlog.000003:900:2:0: table shop.legacy has no primary key; ... Fix: add a"
                + " primary key ...");
    }

    private void answer(String path, int code, String json) {
        flink.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException ignored) {
                // the client went away
            }
        });
    }
}
