package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.FerryCliAccess;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry submit} sends the job jar and the job graph to a running Flink cluster (here a MiniCluster with
 * its REST API), and {@code --from-savepoint} resumes a stopped direction with nothing lost or applied twice.
 */
class CliSubmitITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path dir;

    @Test
    void submittedDirectionsRunOnTheClusterAndResumeFromASavepoint(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("submit");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO `" + database + "`.t VALUES (1, 'a'), (2, 'b')");
        String channel = "submit" + ProcessHandle.current().pid() + database.replaceAll("\\D", "");
        Path file = OneDirection.channelFile(dir, channel, sh, us,
                OneDirection.channelTail("sh", "us", "initial", database, dir.resolve("state"), "transactional"));
        String rest = flink.getRestAddress().get().toString();
        String jar = jobJar().toString();

        assertThat(FerryCliAccess.run("submit", "--config", file.toString(), "--flink", rest, "--jar", jar)).isZero();
        JobID job = runningJob(rest, "ferry " + channel + " sh->us");
        Sites.awaitSameRows(sh, us, database, "t", OneDirection.TIMEOUT);

        String savepoint = flink.stopWithSavepoint(job, dir.resolve("savepoints").toUri().toString(), false,
                SavepointFormatType.CANONICAL).get();
        sh.execute("INSERT INTO `" + database + "`.t VALUES (3, 'while stopped')",
                "UPDATE `" + database + "`.t SET v = 'changed' WHERE id = 1");
        assertThat(FerryCliAccess.run("submit", "--config", file.toString(), "--flink", rest, "--jar", jar,
                "--direction", "sh->us", "--from-savepoint", savepoint)).isZero();
        Sites.awaitSameRows(sh, us, database, "t", OneDirection.TIMEOUT);
        await(() -> Sites.appliedRows(us, channel) == 4, OneDirection.TIMEOUT, "4 applied rows");
        assertThat(Sites.appliedRows(us, channel)).as("2 copied, then 2 changes: none lost, none twice").isEqualTo(4);
        // and it reads on, past heartbeats too (a listener on the binlog client that failed with a LinkageError on
        // this cluster, the connector in its class path, once ended the client's thread, and nothing arrived)
        sh.execute("UPDATE `" + database + "`.t SET v = 'after resume' WHERE id = 2");
        Sites.awaitSameRows(sh, us, database, "t", OneDirection.TIMEOUT);
        assertThat(Sites.appliedRows(us, channel)).as("then one more change, once").isEqualTo(5);
        flink.cancelJob(runningJob(rest, "ferry " + channel + " sh->us")).get();
    }

    @Test
    void aSavepointWithoutADirectionIsRefusedWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), String.join("\n", "channel: c", "sites:",
                "  sh: { url: \"jdbc:mysql://127.0.0.1:1\", user: u, password-file: "
                        + Files.writeString(dir.resolve("p"), "x") + " }",
                "  us: { url: \"jdbc:mysql://127.0.0.1:2\", user: u, password-file: " + dir.resolve("p") + " }",
                "directions:", "  - { from: sh, to: us }", "tables:", "  include: ['x\\..*']", ""));
        assertThat(FerryCliAccess.run("submit", "--config", file.toString(), "--flink", "http://127.0.0.1:1",
                "--jar", jobJar().toString(), "--from-savepoint", dir.toString())).isEqualTo(1);
    }

    private static JobID runningJob(String rest, String name) {
        FlinkRestClient client = new FlinkRestClient(rest);
        String[] found = new String[1];
        await(() -> {
            try {
                for (JsonNode j : client.get("/jobs/overview").path("jobs")) {
                    if (name.equals(j.path("name").asText()) && "RUNNING".equals(j.path("state").asText())) {
                        found[0] = j.path("jid").asText();
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        }, OneDirection.TIMEOUT, name + " to run");
        return JobID.fromHexString(found[0]);
    }

    /** The job jar Maven built in this module's package phase, before the integration tests. */
    private static Path jobJar() throws java.io.IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "ferry-jobs-*-job.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no target/ferry-jobs-*-job.jar: run 'mvn verify', which packages it first");
    }
}
