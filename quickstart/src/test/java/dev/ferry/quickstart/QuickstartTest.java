package dev.ferry.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.UsageErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class QuickstartTest {
    private static final Pattern CHINESE = Pattern.compile("[\\x{4e00}-\\x{9fff}]");

    /**
     * The whole demo: two MariaDB servers, both directions, 30 s of traffic at both sites with the one dual write,
     * then the stop: both sites equal row by row, each site's rows at the other, exactly the one conflict, clean-up.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void replicatesBothWaysResolvesTheOneConflictAndEndsEqual(@TempDir Path dir) {
        Quickstart.Result result = Quickstart.run(
                new String[] {"--seconds", "30", "--dir", dir.toString(), "--rest-port", "0"});

        Status status = result.finalStatus();
        assertThat(status).as("the final comparison").isNotNull();
        assertThat(result.exitCode()).as(() -> String.join("\n", status.report())).isZero();
        // the rows as read at each site at the end, every value of every row
        assertThat(status.sh()).containsOnlyKeys("vgp_order", "vgp_order_info", "vgp_payment");
        assertThat(status.us()).isEqualTo(status.sh());
        assertThat(status.same()).isTrue();
        for (String table : status.sh().keySet()) {
            // each site's keys (first key column: order or payment id) at the other site
            assertThat(firstKeys(status.us().get(table))).as("rows written at sh in us's " + table)
                    .anyMatch(id -> id > Shop.INITIAL_ORDERS && id < Quickstart.US_FIRST_ID);
            assertThat(firstKeys(status.sh().get(table))).as("rows written at us in sh's " + table)
                    .anyMatch(id -> id >= Quickstart.US_FIRST_ID);
        }
        // Chinese text (such as 观澜湖新城-B1) from each site, byte for byte the same at both (compared above)
        assertThat(status.sh().get("vgp_order_info").values()).as("Chinese text, both ways")
                .anyMatch(row -> CHINESE.matcher(row.get(2)).find() && Long.parseLong(row.get(0)) >= Quickstart.US_FIRST_ID)
                .anyMatch(row -> CHINESE.matcher(row.get(2)).find() && Long.parseLong(row.get(0)) < Quickstart.US_FIRST_ID);
        // the dual write: sh's version won (priority: sh) at both sites
        assertThat(status.us().get("vgp_order").get(String.valueOf(Shop.CONFLICT_ORDER)))
                .containsSequence(String.valueOf(Shop.CONFLICT_ORDER), "SH-1", Shop.SH_AMOUNT);
        // exactly that one conflict, recorded by each direction at its target, and no other
        assertThat(result.conflicts()).extracting(c -> String.join(" ", c.site(), c.direction(), c.table(), c.key(),
                c.type(), c.resolution())).containsExactlyInAnyOrder(
                        "us sh->us vingoo_mc.vgp_order [1] update-mismatch incoming-applied",
                        "sh us->sh vingoo_mc.vgp_order [1] update-mismatch target-kept");
        // without --keep only the example channel file and the log stay
        assertThat(dir.resolve("channel.yaml")).isRegularFile();
        assertThat(dir.resolve("ferry.log")).isRegularFile();
        for (String gone : List.of("sh", "us", "state", "mariadb", "ferry.password", "sh.cnf", "us.cnf")) {
            assertThat(dir.resolve(gone)).doesNotExist();
        }
    }

    private static List<Long> firstKeys(Map<String, List<String>> rows) {
        return rows.keySet().stream().map(k -> Long.parseLong(k.split(",")[0])).toList();
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

        assertThat(usageError("--seconds")).isEqualTo("option --seconds needs a value");
        assertThat(usageError("--seconds", "soon"))
                .isEqualTo("--seconds must be a whole number of at least 1, not 'soon'");
        assertThat(usageError("--rest-port", "65516"))
                .isEqualTo("--rest-port must be a whole number from 0 to 65515, not '65516'");
        assertThat(usageError("--secs", "3")).isEqualTo("unknown option '--secs'");
        assertThat(Quickstart.run(new String[] {"--bogus"}).exitCode()).isEqualTo(2);
        assertThat(Quickstart.run(new String[] {"--help"}).exitCode()).isZero();
    }

    /** What is wrong with {@code args}, as the quickstart prints it. */
    private static String usageError(String... args) {
        ParameterException e = catchThrowableOfType(ParameterException.class, () -> Quickstart.Options.parse(args));
        assertThat(e).as("refused: %s", String.join(" ", args)).isNotNull();
        return UsageErrors.line(e, args);
    }

    @Test
    void statusComparesEveryValueOfEveryRow() {
        Map<String, Map<String, List<String>>> sh = Map.of("vgp_order",
                Map.of("1", List.of("1", "SH-1", "111.00"), "2", List.of("2", "SH-2", "5.00")));
        Map<String, Map<String, List<String>>> us = Map.of("vgp_order",
                Map.of("1", List.of("1", "SH-1", "222.00"), "2", List.of("2", "SH-2", "5.00")));
        Status differing = new Status(sh, us);
        assertThat(differing.same()).isFalse();
        assertThat(differing.differingKeys("vgp_order")).containsExactly("1");
        assertThat(differing.line()).isEqualTo("sh 2 | us 2 | 1 row(s) differ (changes on their way)");
        assertThat(differing.report()).singleElement().asString().contains("1 row(s) differ, keys (1)");

        Status same = new Status(sh, sh);
        assertThat(same.same()).isTrue();
        assertThat(same.line()).isEqualTo("sh 2 | us 2 | same");
        assertThat(same.report()).singleElement().asString().contains("identical row by row");
    }

    @Test
    void lagLineReadsEachDirectionAsFerryStatusDoes() {
        assertThat(Quickstart.lag(List.of(direction("sh->us", "RUNNING", false, 13, -1),
                direction("us->sh", "RUNNING", true, 0, 1500)))).isEqualTo("lag sh->us initial copy (13 rows), us->sh 1.5 s");
        assertThat(Quickstart.lag(List.of(direction("sh->us", "RUNNING", false, 0, -1),
                direction("us->sh", "RESTARTING", false, 0, -1)))).isEqualTo("lag sh->us starting, us->sh RESTARTING");
        assertThat(Quickstart.lag(List.of())).startsWith("lag unknown");
    }

    private static ChannelStatus.Direction direction(String name, String state, boolean streaming, long snapshotRows,
            long lagMs) {
        return new ChannelStatus.Direction(name, "job", state, streaming, snapshotRows, lagMs, 0, 0, 0, 0, -1, -1, 0,
                dev.ferry.cli.JobFailures.NONE);
    }

    @Test
    void initFileCreatesBothAccountsWithoutLoggingThem() {
        String sql = DemoServer.initSql("pw'1", "admin");
        assertThat(sql).startsWith("SET SESSION sql_log_bin = 0;");
        assertThat(sql).contains("CREATE USER IF NOT EXISTS 'ferry'@'%' IDENTIFIED BY 'pw''1';");
        assertThat(sql).contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT, CREATE ON *.* TO 'ferry'@'%';");
        assertThat(sql).contains("GRANT ALL PRIVILEGES ON vingoo_mc.* TO 'ferry'@'%';");
        assertThat(sql).contains("GRANT ALL PRIVILEGES ON ferry.* TO 'ferry'@'%';");
    }
}
