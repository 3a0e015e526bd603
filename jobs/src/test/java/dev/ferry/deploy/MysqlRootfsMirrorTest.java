package dev.ferry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/test-servers/mysql-rootfs.sh takes its Debian mirror from the machine's own apt sources, in both formats,
 * and names no host itself (issue 17). Runs only the detection ({@code --print-mirror}), never a build.
 */
class MysqlRootfsMirrorTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "test-servers", "mysql-rootfs.sh");

    @TempDir
    Path dir;

    @Test
    void theScriptNamesNoHost() throws IOException {
        assertThat(Files.readString(SCRIPT)).doesNotContainPattern("https?://");
    }

    @Test
    void aDeb822SourceOfThisReleaseIsUsedAndSecurityDisabledAndForeignSourcesAreNot() throws Exception {
        write("sources.list.d/vendor.list", "deb [signed-by=/k.gpg] https://vendor.example/apt stable main\n");
        write("sources.list.d/off.sources", "Types: deb\nURIs: http://disabled.example/debian\nSuites: bookworm\n"
                + "Components: main\nEnabled: no\n");
        write("sources.list.d/debian.sources", "Types: deb deb-src\n# a comment\nURIs: http://mirror.example/debian/\n"
                + "Suites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\n"
                + "URIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n");
        write("sources.list.d/ignored.sources.disabled", "Types: deb\nURIs: http://ignored.example/d\nSuites: bookworm\n");
        assertThat(mirror("bookworm")).isEqualTo("http://mirror.example/debian");
    }

    @Test
    void aOneLineSourceInSourcesListIsUsed() throws Exception {
        write("sources.list", "# deb http://commented.example/debian bookworm main\n"
                + "deb-src http://src.example/debian bookworm main\n"
                + "deb [arch=amd64] http://one.example/debian bookworm main contrib\n");
        assertThat(mirror("bookworm")).isEqualTo("http://one.example/debian");
    }

    @Test
    void withoutASourceOfThisReleaseTheScriptSaysToSetTheMirror() throws Exception {
        write("sources.list", "deb http://one.example/debian trixie main\n");
        Result r = run("bookworm", Map.of());
        assertThat(r.exit).isNotZero();
        assertThat(r.output).contains("no apt source for 'bookworm'", "DEBIAN_MIRROR");
    }

    @Test
    void debianMirrorOverridesTheAptSources() throws Exception {
        write("sources.list", "deb http://one.example/debian bookworm main\n");
        assertThat(run("bookworm", Map.of("DEBIAN_MIRROR", "http://given.example/debian")).output.trim())
                .isEqualTo("http://given.example/debian");
    }

    private String mirror(String codename) throws Exception {
        Result r = run(codename, Map.of());
        assertThat(r.exit).as(r.output).isZero();
        return r.output.trim();
    }

    private record Result(int exit, String output) {}

    private Result run(String codename, Map<String, String> env) throws Exception {
        Path osRelease = Files.writeString(dir.resolve("os-release"), "ID=debian\nVERSION_CODENAME=" + codename + "\n");
        ProcessBuilder b = new ProcessBuilder("bash", SCRIPT.toString(), "--print-mirror").redirectErrorStream(true);
        b.environment().remove("DEBIAN_MIRROR");
        b.environment().put("FERRY_APT_ETC", dir.resolve("apt").toString());
        b.environment().put("FERRY_OS_RELEASE", osRelease.toString());
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private void write(String path, String content) throws IOException {
        Path f = dir.resolve("apt").resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }
}
