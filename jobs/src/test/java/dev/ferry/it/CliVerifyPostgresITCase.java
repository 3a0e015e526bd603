package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.cli.FerryCliAccess;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.FerryException;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import dev.ferry.verify.ChannelVerify;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry verify} between a MariaDB source and the PostgreSQL target that Ferry filled: the whole type
 * matrix compares equal (no false differences across database kinds), changes made at the target only are
 * found by key, {@code --repair --from} the source rewrites them through the PostgreSQL dialect, and a repair
 * from the PostgreSQL site is refused. The target spells names in lower case ({@code identifiers: lower}).
 */
class CliVerifyPostgresITCase {
    private static final PrintStream NO_PROGRESS = new PrintStream(OutputStream.nullOutputStream());

    @RegisterExtension
    static final MiniClusterExtension FLINK = OneDirection.miniCluster();

    @TempDir
    Path dir;

    TestDatabase source;
    PgSite pg;
    String database;
    JobClient job;

    @BeforeEach
    void servers() {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
        source = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase target = TestServers.site(ServerKind.POSTGRESQL, "pg");
        pg = new PgSite(target.jdbcUrl(), target.adminUser(), target.adminPassword());
        database = source.createDatabase("vpg");
    }

    @AfterEach
    void cancelJob() throws Exception {
        OneDirection.cancel(job);
    }

    @Test
    void aPostgresTargetFilledByFerryComparesEqualThenTargetChangesAreFoundAndRepairedFromTheSource()
            throws Exception {
        source.execute("CREATE TABLE " + t("types") + " (" + TypeMatrix.COLUMNS + ")",
                "CREATE TABLE " + t("Mixed Keys") + " (`K1` BIGINT UNSIGNED, `K2` VARCHAR(30), `Val` DECIMAL(65,30),"
                        + " `When` DATETIME(6), PRIMARY KEY (`K1`, `K2`))");
        TypeMatrix.insertRows(source, database, 1, false);
        source.execute("INSERT INTO " + t("Mixed Keys") + " VALUES"
                + " (18446744073709551615, '观澜湖新城-B1', 1.5, '2024-02-29 12:34:56.000001'),"
                + " (18446744073709551615, '🚢', -0.000000000000000000000000000001, NULL),"
                + " (0, '', 0, '1000-01-01 00:00:00'), (0, 'a', 10, '9999-12-31 23:59:59.999999'),"
                + " (1, 'B', 2.50, '2024-01-01 00:00:00')");
        source.execute("CREATE TABLE " + t("floats") + " (id INT PRIMARY KEY, f FLOAT, d DOUBLE)");
        Path file = channelFile();
        ChannelConfig config = ChannelConfig.load(file);
        job = OneDirection.start(config, dir.resolve("state"), Optional.empty());
        String schema = database.toLowerCase(java.util.Locale.ROOT);
        awaitSame("types", "types");
        TypeMatrix.insertRows(source, database, 100, true); // streamed from the binlog
        TypeMatrix.updateRows(source, database);
        // FLOATs with more than 6 significant digits, which the text protocol prints rounded (16777217 is the
        // float 16777216, printed 16777200): the binlog carries their exact bits to PostgreSQL, and verify must
        // read the same bits at the source
        source.execute("INSERT INTO " + t("floats") + " VALUES (1, 16777217, 0.1), (2, 3.14159274, 1e-300),"
                + " (3, 1.17549435e-38, -1.7976931348623157e308), (4, 123456.789, 123456.789)");
        source.execute("INSERT INTO " + t("Mixed Keys") + " VALUES (2, 'streamed 观澜湖新城-B1', 3.25, NOW(6))");
        awaitSame("types", "types");
        awaitSame("Mixed Keys", "mixed keys");
        await(() -> pg.tableExists(schema, "floats") && pg.count(schema, "floats") == 4, OneDirection.TIMEOUT,
                "the floats at PostgreSQL");
        assertThat(pg.query("SELECT f::float8::text FROM " + PgSite.table(schema, "floats") + " ORDER BY id").stream()
                .map(r -> Float.parseFloat(r.get(0))).toList())
                .as("the exact floats at PostgreSQL").containsExactly(16777217f, 3.14159274f, 1.17549435e-38f, 123456.789f);
        OneDirection.cancel(job);

        // filled by Ferry and equal row by row: verify must see no difference at all
        List<ChannelVerify.TableResult> equal = verify(null, 3);
        assertThat(equal).allSatisfy(r -> assertThat(r.note()).as("note of %s", r.table()).isNull());
        assertThat(keysByTable(equal)).isEqualTo(Map.of("types", List.of(), "Mixed Keys", List.of(), "floats", List.of()));
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0")).isZero();
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0", "--chunk-size", "1"))
                .as("chunks of one row").isZero();

        // changes at the target only, each by one value's smallest step
        String types = PgSite.table(schema, "types");
        String mixed = PgSite.table(schema, "mixed keys");
        pg.execute("UPDATE " + types + " SET vc = 'changed at pg' WHERE id = 2",
                "UPDATE " + types + " SET dec65 = dec65 + 0.000000000000000000000000000001 WHERE id = 3",
                "UPDATE " + types + " SET f = 3.1400003 WHERE id = 102",
                "UPDATE " + types + " SET ts = ts + interval '1 microsecond' WHERE id = 103",
                "UPDATE " + types + " SET c = NULL WHERE id = 1", // '' at the source
                "DELETE FROM " + types + " WHERE id = 100",
                "INSERT INTO " + types + " (id, vc) VALUES (9999, 'only at pg')",
                "UPDATE " + mixed + " SET \"when\" = \"when\" + interval '1 microsecond' WHERE k2 = '观澜湖新城-B1'",
                "DELETE FROM " + mixed + " WHERE k2 = '🚢'",
                "INSERT INTO " + mixed + " VALUES (1, 'b', 2.5, '2024-01-01 00:00:00')"); // source has 'B'
        Map<String, List<String>> expected = Map.of(
                "types", List.of("1", "2", "3", "100", "102", "103", "9999"),
                "Mixed Keys", List.of("18446744073709551615, 观澜湖新城-B1", "18446744073709551615, 🚢", "1, b"));
        Map<String, List<String>> found = keysByTable(verify(null, 2));
        assertThat(found.get("types")).containsExactlyInAnyOrderElementsOf(expected.get("types"));
        assertThat(found.get("Mixed Keys")).containsExactlyInAnyOrderElementsOf(expected.get("Mixed Keys"));
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0")).isEqualTo(1);

        assertThatThrownBy(() -> verify("pg", 1000)).isInstanceOf(FerryException.class)
                .hasMessageContaining("does not repair from PostgreSQL site 'pg'")
                .hasMessageContaining("Fix: --from sh");

        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0", "--repair", "--from",
                "sh")).as("repaired, then the same").isZero();
        assertThat(CrossRows.target(pg, schema, "types")).isEqualTo(CrossRows.source(source, database, "types"));
        assertThat(CrossRows.target(pg, schema, "mixed keys"))
                .isEqualTo(CrossRows.source(source, database, "Mixed Keys"));
        assertThat(pg.query("SELECT row_count FROM ferry.ferry_commit WHERE channel = ? AND direction = ?"
                + " ORDER BY row_count", config.channel(), "verify-repair"))
                .as("one stamped transaction per table").containsExactly(List.of("3"), List.of("7"));
        assertThat(keysByTable(verify(null, 1000))).isEqualTo(Map.of("types", List.of(), "Mixed Keys", List.of(), "floats", List.of()));
        assertThat(FerryCliAccess.run("verify", "--config", file.toString(), "--settle", "0")).isZero();
    }

    private List<ChannelVerify.TableResult> verify(String repairFrom, int chunkSize) throws Exception {
        return ChannelVerify.run(ChannelConfig.load(dir.resolve("channel.yaml")),
                new ChannelVerify.Options(repairFrom, chunkSize, Duration.ZERO), NO_PROGRESS);
    }

    private static Map<String, List<String>> keysByTable(List<ChannelVerify.TableResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.table().table(), ChannelVerify.TableResult::differingKeys,
                (a, b) -> a));
    }

    private void awaitSame(String table, String atTarget) {
        String schema = database.toLowerCase(java.util.Locale.ROOT);
        await(() -> CrossRows.source(source, database, table).equals(CrossRows.target(pg, schema, atTarget)),
                OneDirection.TIMEOUT, database + "." + table + " at PostgreSQL");
    }

    private String t(String table) {
        return q(database) + "." + q(table);
    }

    private Path channelFile() throws Exception {
        return Files.writeString(dir.resolve("channel.yaml"), String.join("\n",
                "channel: vpg" + ProcessHandle.current().pid(),
                "sites:",
                "  sh: { url: \"" + source.jdbcUrl() + "\", user: " + source.adminUser() + ", password-file: "
                        + Files.writeString(dir.resolve("sh.pw"), source.adminPassword()) + " }",
                "  pg: { url: \"" + pg.jdbcUrl + "\", user: " + pg.user + ", password-file: "
                        + Files.writeString(dir.resolve("pg.pw"), pg.password) + ", identifiers: lower }",
                OneDirection.channelTail("sh", "pg", "initial", database, dir.resolve("state"), "transactional")));
    }
}
