package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.LocalRunner;
import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry run}'s in-process cluster listens on the loopback interface only (REST, BLOB server, RPC), and its
 * REST API takes no jars: the JVM holds the sites' passwords, and Flink authenticates nobody (issue 17).
 */
class LocalRunnerListenersITCase {
    @TempDir
    Path dir;

    @Test
    void everyListenerIsOnLoopbackAndNoJarCanBeUploaded() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("listen");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)");
        Path file = OneDirection.initialChannelFile(dir, "listen", sh, us, database);
        ChannelConfig config = ChannelConfig.load(file);
        List<String> problems = new ArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, problems::add)) {
            runner.start();
            List<String> listeners = listeningAddresses(ProcessHandle.current().pid());
            assertThat(listeners).as("this JVM's listening sockets").isNotEmpty()
                    .allSatisfy(a -> assertThat(a).matches("(127\\.0\\.0\\.1|\\[::1\\]|\\[::ffff:127\\.0\\.0\\.1\\]):\\d+"));

            // a well-formed upload of a jar: Flink answers 200 with the stored file's name when web submission is on
            byte[] head = ("--x\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"probe.jar\"\r\n"
                    + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8);
            byte[] jar = {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // an empty zip
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(head);
            body.write(jar);
            body.write(tail);
            HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(runner.dashboardUrl() + "/jars/upload"))
                    .header("Content-Type", "multipart/form-data; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as("jar upload: %s", upload.body()).isIn(400, 404);
            assertThat(upload.body()).doesNotContain("filename");
            HttpResponse<String> jobs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(runner.dashboardUrl() + "/jobs/overview")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jobs.statusCode()).as("the dashboard still reads").isEqualTo(200);
        }
        assertThat(problems).isEmpty();
    }

    /** {@code ferry run --bind}: every listener on the address given instead (another loopback address here). */
    @Test
    void everyListenerIsOnTheBindAddressGiven() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("bind");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)");
        ChannelConfig config = ChannelConfig.load(OneDirection.initialChannelFile(dir, "bind", sh, us, database));
        List<String> problems = new ArrayList<>();
        try (LocalRunner runner = new LocalRunner(config, 0, "127.0.0.2", problems::add)) {
            runner.start();
            assertThat(runner.dashboardUrl()).startsWith("http://127.0.0.2:");
            assertThat(listeningAddresses(ProcessHandle.current().pid())).as("this JVM's listening sockets")
                    .isNotEmpty().allSatisfy(a -> assertThat(a).matches("(127\\.0\\.0\\.2|\\[::ffff:127\\.0\\.0\\.2\\]):\\d+"));
        }
        assertThat(problems).isEmpty();
    }

    /** The local addresses of the TCP sockets that {@code pid} listens on, as {@code ss -ltnp} shows them. */
    private static List<String> listeningAddresses(long pid) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as("ss: %s", out).isZero();
        List<String> addresses = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.contains("pid=" + pid + ",")) {
                addresses.add(line.trim().split("\\s+")[3]);
            }
        }
        return addresses;
    }
}
