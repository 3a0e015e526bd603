package dev.ferry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.config.ChannelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in deploy/kubernetes are well-formed YAML with the fields Ferry relies on. This is all that
 * is checked: no Kubernetes cluster or Flink operator runs them here.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, JsonNode> manifests() throws IOException {
        Map<String, JsonNode> all = new TreeMap<>();
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                JsonNode doc = YAML.readTree(f.toFile());
                assertThat(doc.path("apiVersion").asText()).as("%s: apiVersion", f).isNotEmpty();
                assertThat(doc.path("kind").asText()).as("%s: kind", f).isNotEmpty();
                assertThat(doc.path("metadata").path("name").asText()).as("%s: metadata.name", f)
                        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                all.put(f.getFileName().toString(), doc);
            }
        }
        return all;
    }

    @Test
    void oneFlinkDeploymentPerDirectionWithSavepointUpgrades() throws IOException {
        List<String> directions = new ArrayList<>();
        for (JsonNode d : manifests().values()) {
            if (!d.path("kind").asText().equals("FlinkDeployment")) {
                continue;
            }
            assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
            JsonNode spec = d.path("spec");
            assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
            JsonNode job = spec.path("job");
            assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(job.path("jarURI").asText()).startsWith("local:///").endsWith("-job.jar");
            assertThat(job.path("entryClass").asText()).isEqualTo("dev.ferry.job.FerryJob");
            List<String> args = new ArrayList<>();
            job.path("args").forEach(a -> args.add(a.asText()));
            assertThat(args).hasSize(4).containsSubsequence("--config", "/etc/ferry/channel/channel.yaml");
            assertThat(args.get(2)).isEqualTo("--direction");
            directions.add(args.get(3));

            JsonNode conf = spec.path("flinkConfiguration");
            assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
            assertThat(conf.path("state.backend.incremental").asText()).isEqualTo("true");
            assertThat(conf.path("state.checkpoints.dir").asText()).isNotEmpty();
            assertThat(conf.path("state.savepoints.dir").asText()).isNotEmpty();
            assertThat(conf.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
            assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                    .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            assertThat(conf.path("env.java.opts.all").asText()).contains("--add-opens=java.base/java.util=ALL-UNNAMED");

            // the JobManager (where main() reads the channel file) mounts the ConfigMap and the Secret as files
            JsonNode jm = spec.path("jobManager").path("podTemplate").path("spec");
            assertThat(jm.path("volumes").findValuesAsText("name")).contains("channel", "passwords");
            assertThat(jm.path("volumes").findValues("secret")).hasSize(1);
            assertThat(jm.path("containers").get(0).path("volumeMounts").findValuesAsText("mountPath"))
                    .contains("/etc/ferry/channel", "/etc/ferry/secrets");
        }
        assertThat(directions).containsExactlyInAnyOrder("sh->us", "us->sh");
    }

    /** The ConfigMap's channel file parses, with passwords from files of the Secret's mount path only. */
    @Test
    void channelConfigMapParsesWithPasswordFiles(@TempDir Path secrets) throws IOException {
        JsonNode map = manifests().get("channel-configmap.yaml");
        assertThat(map.path("kind").asText()).isEqualTo("ConfigMap");
        String channel = map.path("data").path("channel.yaml").asText();
        assertThat(channel).contains("password-file: /etc/ferry/secrets/").doesNotContain("password:");
        Files.writeString(secrets.resolve("sh.pw"), "not-a-real-password\n");
        Files.writeString(secrets.resolve("us.pw"), "not-a-real-password\n");
        ChannelConfig config = ChannelConfig.parse(channel.replace("/etc/ferry/secrets/", secrets + "/"),
                "channel-configmap.yaml", name -> null);
        assertThat(config.direction("sh->us")).isNotNull();
        assertThat(config.direction("us->sh")).isNotNull();
    }
}
