package dev.ferry.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {

    /** The whole quickstart: two MariaDB servers, the channel sh->us, 20 s of traffic, a clean stop. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void replicatesShToUsAndStopsCleanly(@TempDir Path dir) {
        Quickstart.Result result = Quickstart.run(new String[] {"--seconds", "20", "--dir", dir.toString()});

        assertThat(result.exitCode()).isZero();
        Status status = result.finalStatus();
        assertThat(status).isNotNull();
        assertThat(status.inSync()).as(status.line()).isTrue();
        assertThat(status.shRows()).isGreaterThan(Shop.INITIAL_ROWS).isEqualTo(status.usRows());
        // without --keep only the example channel file and the log stay
        assertThat(dir.resolve("channel.yaml")).isRegularFile();
        assertThat(dir.resolve("ferry.log")).isRegularFile();
        assertThat(dir.resolve("sh")).doesNotExist();
        assertThat(dir.resolve("us")).doesNotExist();
        assertThat(dir.resolve("ferry.password")).doesNotExist();
    }

    @Test
    void refusesADirectoryItDidNotMake(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "not the quickstart's");

        Quickstart.Result result = Quickstart.run(new String[] {"--dir", dir.toString()});

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(dir.resolve("precious.txt")).exists();
    }

    @Test
    void parsesOptions() {
        Quickstart.Options o = Quickstart.Options.parse(
                new String[] {"--seconds", "20", "--dir", "/tmp/x", "--keep", "--rest-port", "0"});
        assertThat(o.seconds).isEqualTo(20);
        assertThat(o.dir).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.keep).isTrue();
        assertThat(o.restPort).isZero();

        Quickstart.Options defaults = Quickstart.Options.parse(new String[0]);
        assertThat(defaults.dir).isEqualTo(Path.of("ferry-quickstart"));
        assertThat(defaults.seconds).isZero();
        assertThat(defaults.restPort).isEqualTo(Quickstart.DEFAULT_REST_PORT);

        assertThatThrownBy(() -> Quickstart.Options.parse(new String[] {"--seconds"}))
                .hasMessageContaining("--seconds needs a value");
        assertThatThrownBy(() -> Quickstart.Options.parse(new String[] {"--seconds", "soon"}))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> Quickstart.Options.parse(new String[] {"--secs", "3"}))
                .hasMessageContaining("unknown option '--secs'");
        assertThat(Quickstart.run(new String[] {"--bogus"}).exitCode()).isEqualTo(2);
    }

    @Test
    void statusLines() {
        assertThat(new Status(12, 12, true, -1).line()).isEqualTo("sh 12 rows | us 12 rows | in sync");
        assertThat(new Status(12, 11, false, 1).line()).isEqualTo("sh 12 rows | us 11 rows | us matches sh as it was 1 s ago");
        assertThat(new Status(12, 0, false, -1).line()).isEqualTo("sh 12 rows | us 0 rows | us catching up (12 rows behind)");
        assertThat(new Status(6, -1, false, -1).line()).isEqualTo("sh 6 rows | us ? rows | not comparable yet");
    }

    @Test
    void initFileCreatesBothAccountsWithoutLoggingThem() {
        String sql = DemoServer.initSql("pw'1", "admin");
        assertThat(sql).startsWith("SET SESSION sql_log_bin = 0;");
        assertThat(sql).contains("CREATE USER IF NOT EXISTS 'ferry'@'%' IDENTIFIED BY 'pw''1';");
        assertThat(sql).contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, CREATE ON *.* TO 'ferry'@'%';");
        assertThat(sql).contains("GRANT ALL PRIVILEGES ON shop.* TO 'ferry'@'%';");
        assertThat(sql).contains("GRANT ALL PRIVILEGES ON ferry.* TO 'ferry'@'%';");
    }
}
