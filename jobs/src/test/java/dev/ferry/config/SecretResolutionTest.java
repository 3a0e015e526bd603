package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.errors;
import static dev.ferry.config.ConfigFixtures.parse;
import static dev.ferry.config.ConfigFixtures.withShSite;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolutionTest {

    @TempDir
    Path tmp;

    private static String site(String passwordLine) {
        return withShSite("    url: \"jdbc:mysql://127.0.0.1:3306\"\n    user: ferry\n    " + passwordLine + "\n");
    }

    private static String password(String yaml) {
        return parse(yaml).site("sh").password().reveal();
    }

    @Test
    void fromEnvironment() {
        assertThat(password(site("password: \"${env:SH_PASSWORD}\""))).isEqualTo(ConfigFixtures.SH_PASSWORD);
        // unquoted works too in block style
        assertThat(password(site("password: ${env:SH_PASSWORD}"))).isEqualTo(ConfigFixtures.SH_PASSWORD);
        // the injected lookup is used
        ChannelConfig config = ChannelConfig.parse(site("password: \"${env:OTHER}\""), "demo.yaml",
                Map.of("OTHER", "o-t-h-e-r", "US_PASSWORD", "x")::get);
        assertThat(config.site("sh").password().reveal()).isEqualTo("o-t-h-e-r");
    }

    @Test
    void unsetEnvironmentVariableNamesSiteAndVariable() {
        assertThat(errors(site("password: \"${env:NOT_SET_ANYWHERE}\"")).getMessage())
                .isEqualTo("demo.yaml: sites.sh.password: site 'sh': environment variable 'NOT_SET_ANYWHERE' is not set. "
                        + "Fix: set NOT_SET_ANYWHERE in the environment of the process that runs Ferry, or use "
                        + "'password-file'.");
        ChannelConfigException e = assertThrowsWithEnv(site("password: \"${env:EMPTY}\""), Map.of("EMPTY", "", "US_PASSWORD", "x"));
        assertThat(e.getMessage()).contains("sites.sh.password: site 'sh': environment variable 'EMPTY' is empty");
    }

    private static ChannelConfigException assertThrowsWithEnv(String yaml, Map<String, String> env) {
        return org.junit.jupiter.api.Assertions.assertThrows(ChannelConfigException.class,
                () -> ChannelConfig.parse(yaml, "demo.yaml", env::get));
    }

    @Test
    void fromFilePlaceholderTrimsTrailingNewline() throws IOException {
        Path file = tmp.resolve("sh.pw");
        Files.writeString(file, "  spaced pass  \n");
        assertThat(password(site("password: \"${file:" + file + "}\""))).isEqualTo("  spaced pass  ");
        Files.writeString(file, "crlf\r\n\r\n");
        assertThat(password(site("password: \"${file:" + file + "}\""))).isEqualTo("crlf");
        Files.writeString(file, "no-newline");
        assertThat(password(site("password: \"${file:" + file + "}\""))).isEqualTo("no-newline");
        Files.writeString(file, "p\u00e4ss\u20ac\n", StandardCharsets.UTF_8);
        assertThat(password(site("password: \"${file:" + file + "}\""))).isEqualTo("p\u00e4ss\u20ac");
    }

    @Test
    void fromPasswordFile() throws IOException {
        Path file = tmp.resolve("sh.pw");
        Files.writeString(file, "file-Secret-1\n");
        assertThat(password(site("password-file: " + file))).isEqualTo("file-Secret-1");
    }

    @Test
    void missingFileNamesSiteAndPathButNeverTheContent() throws IOException {
        Path missing = tmp.resolve("missing.pw");
        assertThat(errors(site("password-file: " + missing)).getMessage())
                .isEqualTo("demo.yaml: sites.sh.password-file: site 'sh': password file '" + missing
                        + "' does not exist. Fix: create the file (containing only the password) or fix the path.");
        assertThat(errors(site("password: \"${file:" + missing + "}\"")).getMessage())
                .startsWith("demo.yaml: sites.sh.password: site 'sh': password file '" + missing + "' does not exist.");
        assertThat(errors(site("password-file: " + tmp)).getMessage())
                .contains("sites.sh.password-file: site 'sh': password file '" + tmp + "' is a directory");

        Path empty = tmp.resolve("empty.pw");
        Files.writeString(empty, "\n");
        assertThat(errors(site("password-file: " + empty)).getMessage())
                .contains("sites.sh.password-file: site 'sh': password file '" + empty + "' is empty");
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = tmp.resolve("locked.pw");
        Files.writeString(file, "locked-Secret-1");
        boolean locked = file.toFile().setReadable(false, false) && !Files.isReadable(file);
        org.junit.jupiter.api.Assumptions.assumeTrue(locked, "cannot make a file unreadable (running as root?)");
        assertThat(errors(site("password-file: " + file)).getMessage())
                .contains("sites.sh.password-file: site 'sh': password file '" + file + "' cannot be read (permission denied)")
                .doesNotContain("locked-Secret-1");
    }

    @Test
    void literalPasswordsAreRejectedWithoutEchoingThem() {
        String message = errors(site("password: hunter2-Literal")).getMessage();
        assertThat(message)
                .isEqualTo("demo.yaml: sites.sh.password: literal passwords are not allowed in channel files (they end "
                        + "up in job parameters). Fix: write 'password: \"${env:VARIABLE}\"' and set VARIABLE in the "
                        + "environment, or 'password: \"${file:/path}\"', or 'password-file: /path/to/file'.")
                .doesNotContain("hunter2");
        assertThat(errors(site("password: 12345678")).getMessage())
                .contains("sites.sh.password: literal passwords are not allowed").doesNotContain("12345678");
        assertThat(errors(site("password: \"${ENV:SH_PASSWORD}\"")).getMessage())
                .contains("sites.sh.password: unsupported placeholder; only \"${env:NAME}\" and \"${file:/path}\" are supported");
        assertThat(errors(site("password: \"${env:BAD-NAME}\"")).getMessage())
                .contains("sites.sh.password: unsupported placeholder");
    }

    @Test
    void exactlyOneOfPasswordAndPasswordFile() throws IOException {
        Path file = tmp.resolve("sh.pw");
        Files.writeString(file, "x");
        String yaml = withShSite("    url: \"jdbc:mysql://127.0.0.1:3306\"\n    user: ferry\n"
                + "    password: \"${env:SH_PASSWORD}\"\n    password-file: " + file + "\n");
        assertThat(errors(yaml).getMessage())
                .isEqualTo("demo.yaml: sites.sh.password: both 'password' and 'password-file' are set. "
                        + "Fix: keep only one of them.");
        assertThat(errors(site("password: [a]")).getMessage())
                .contains("sites.sh.password: expected text such as \"${env:VARIABLE}\", got a list");
        assertThat(errors(site("password:")).getMessage())
                .contains("sites.sh.password: expected text such as \"${env:VARIABLE}\", got an empty value");
    }

    @Test
    void trustStorePasswordFollowsTheSameRules() throws IOException {
        Path file = tmp.resolve("ts.pw");
        Files.writeString(file, "ts-Secret\n");
        String base = "    url: \"jdbc:mysql://127.0.0.1:3306\"\n    user: ferry\n    password: \"${env:SH_PASSWORD}\"\n";
        ChannelConfig config = parse(withShSite(base + "    tls: { mode: verify-ca, trust-store: /ts.p12, "
                + "trust-store-password-file: " + file + " }\n"));
        assertThat(config.site("sh").tls().trustStorePassword().reveal()).isEqualTo("ts-Secret");
        config = parse(withShSite(base + "    tls: { trust-store: /ts.p12, trust-store-password: \"${env:SH_PASSWORD}\" }\n"));
        assertThat(config.site("sh").tls().trustStorePassword().reveal()).isEqualTo(ConfigFixtures.SH_PASSWORD);
        assertThat(config.site("sh").tls().mode()).isEqualTo(TlsConfig.Mode.PREFERRED);

        assertThat(errors(withShSite(base + "    tls: { trust-store: /ts.p12, trust-store-password: \"${env:NOPE}\" }\n"))
                .getMessage())
                .contains("sites.sh.tls.trust-store-password: site 'sh': environment variable 'NOPE' is not set");
        assertThat(errors(withShSite(base + "    tls: { trust-store: /ts.p12, trust-store-password-file: /nope.pw }\n"))
                .getMessage())
                .contains("sites.sh.tls.trust-store-password-file: site 'sh': trust store password file '/nope.pw' does not exist");
    }

    @Test
    void errorsNeverContainResolvedSecrets() throws IOException {
        Path file = tmp.resolve("sh.pw");
        Files.writeString(file, "file-Secret-2\n");
        // a valid password next to other problems: the message must not contain it
        ChannelConfigException e = errors(withShSite("    url: \"jdbc:mysql://127.0.0.1:3306\"\n    user: ferry\n"
                + "    password-file: " + file + "\n    time-zone: nowhere\n"));
        assertThat(e.getMessage()).doesNotContain("file-Secret-2").doesNotContain(ConfigFixtures.US_PASSWORD);
    }

    @Test
    void secretBasics() {
        Secret s = Secret.of("abc");
        assertThat(s.reveal()).isEqualTo("abc");
        assertThat(s).hasToString("******").isEqualTo(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
        assertThat(String.valueOf(s)).isEqualTo(Secret.MASK);
        Secret copy = ChannelConfigTest.roundTrip(s);
        assertThat(copy.reveal()).isEqualTo("abc");
        assertThat(copy.toString()).isEqualTo("******");
    }
}
