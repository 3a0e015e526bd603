package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.cli.FerryCliAccess;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.job.ChannelPrepare;
import dev.ferry.loop.FerryTables;
import dev.ferry.config.DirectionConfig;
import dev.ferry.job.Preflight;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.PostgresServer;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry check} and {@code ferry prepare} against real servers: a healthy channel passes, and one run
 * of check reports every problem with its fix without changing anything.
 */
class CliCheckITCase {
    /** A MariaDB with a STATEMENT binlog and nothing of Ferry's on it, for the failure cases. */
    private static DatabaseServer fresh;

    @TempDir
    Path dir;

    @BeforeAll
    static void startFreshServer() {
        TestServers.assumeAvailable(ServerKind.MARIADB);
        fresh = DatabaseServer.start(ServerKind.MARIADB, "clifresh", Map.of("binlog_format", "STATEMENT"));
    }

    @AfterAll
    static void stopFreshServer() {
        if (fresh != null) {
            fresh.close();
        }
    }

    @Test
    void aPreparedHealthyChannelPassesEveryCheckAndTheCommandExitsZero() throws IOException {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("cli");
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY)");
        Path file = channelFile("ok", site("sh", sh, sh.adminUser(), sh.adminPassword()),
                site("us", us, us.adminUser(), us.adminPassword()), "  - { from: sh, to: us }\n  - { from: us, to: sh }",
                database);

        assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();
        List<Result> results = ChannelCheck.run(ChannelConfig.load(file));
        assertThat(results).filteredOn(r -> r.status() == Status.FAIL).isEmpty();
        for (String site : List.of("sh", "us")) {
            assertThat(results).filteredOn(r -> r.site().equals(site)).extracting(Result::check)
                    .contains("connect", "binlog", "privileges", "primary keys", "foreign keys", "time zone",
                            "write privileges", "triggers", "Ferry tables", "replica server ids");
        }
        assertThat(results).filteredOn(r -> r.check().equals("initial copy")).extracting(Result::site, Result::status)
                .as("only sh copies; its table has no FLOAT").containsExactly(tuple("sh", Status.OK));
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isZero();
    }

    /**
     * docs/operations.md's order, as a new user follows it (issue 17, "the first hour"): the user exists as
     * 'user'@'127.0.0.1' and has no privilege at all; 'ferry grants' prints the grants for that account, including
     * the replicated database the user cannot see yet; an admin runs exactly those; then prepare and check pass, and
     * the start-up check finds the primary keys that MariaDB hides from TABLE_CONSTRAINTS for such a user.
     */
    @Test
    void theDocumentedOrderWorksTheFirstTimeForAUserKnownByItsAddress() throws Exception {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase("first");
        String user = "fh" + Math.floorMod(database.hashCode(), 10000);
        sh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + database + "`.t VALUES (1, 1), (2, 2)");
        us.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`",
                "CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + database + "`.t VALUES (1, 1), (2, 2), (3, 3)");
        for (TestDatabase server : List.of(sh, us)) {
            server.execute("DROP USER IF EXISTS '" + user + "'@'127.0.0.1'",
                    "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'first-pw'");
        }
        Path file = channelFile("first", site("sh", sh, user, "first-pw"), site("us", us, user, "first-pw"),
                "  - { from: sh, to: us }\n  - { from: us, to: sh }", database);
        ChannelConfig config = ChannelConfig.load(file);

        assertThat(FerryCliAccess.run("grants", "--config", file.toString())).isZero();
        List<ChannelPrepare.Site> printed = ChannelPrepare.run(config, false);
        String account = "'" + user + "'@'127.0.0.1'";
        for (ChannelPrepare.Site site : printed) {
            assertThat(site.grants()).as(site.site()).contains(
                    "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO " + account + ";",
                    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `ferry`.* TO " + account + ";",
                    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `" + database
                            + "`.* TO " + account + ";");
        }
        // the ferry.* grant alone is not enough to write the replicated database: check must say so
        for (TestDatabase server : List.of(sh, us)) {
            server.execute("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO " + account,
                    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `ferry`.* TO " + account);
        }
        List<Result> partly = ChannelCheck.run(config);
        assertThat(failure(partly, "us", "write privileges")).contains("`" + database + "`", "INSERT");
        assertThat(fix(partly, "us", "write privileges")).contains("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER,"
                + " DROP, INDEX ON `" + database + "`.* TO " + account + ";");

        // now every printed grant, exactly as printed, as an admin
        for (ChannelPrepare.Site site : printed) {
            TestDatabase server = site.site().equals("sh") ? sh : us;
            site.grants().stream().filter(g -> !g.startsWith("--")).forEach(server::execute);
        }
        assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();
        List<Result> results = ChannelCheck.run(config);
        assertThat(results).filteredOn(r -> r.status() == Status.FAIL).as("%s", results).isEmpty();
        assertThat(results).filteredOn(r -> r.check().equals("primary keys")).extracting(Result::status)
                .containsExactly(Status.OK, Status.OK);
        assertThat(results).filteredOn(r -> r.site().equals("us") && r.check().equals("rows only here"))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(Status.WARN);
                    assertThat(r.detail()).contains(database + ".t (3 row(s) here, 2 at 'sh')", "never reach");
                });
        assertThat(results).filteredOn(r -> r.check().equals("rows only here")).extracting(Result::site)
                .as("the seeding site's rows are copied").containsExactly("us");
        // what 'ferry run' checks before it starts each direction
        for (DirectionConfig d : config.directions()) {
            Preflight.check(config, d);
        }
    }

    /**
     * A source-only site whose user has exactly the printed grants (SELECT on *.*, nothing on the replicated
     * database): MariaDB hides TABLE_CONSTRAINTS from it, and check and the start-up check must still see the keys.
     */
    @Test
    void withOnlyThePrintedSourceGrantsThePrimaryKeysAreSeen() throws Exception {
        Path file = withThePrintedSourceGrants("keys", "CREATE TABLE %s.t (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE %s.pair (a INT, b INT, PRIMARY KEY (b, a))");
        ChannelConfig config = ChannelConfig.load(file);
        assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();

        List<Result> results = ChannelCheck.run(config);
        assertThat(results).filteredOn(r -> r.status() == Status.FAIL).as("%s", results).isEmpty();
        assertThat(results).filteredOn(r -> r.check().equals("primary keys")).extracting(Result::detail)
                .containsExactly("2 included table(s), each with a primary key");
        Preflight.check(config, config.directions().get(0));
    }

    /**
     * MariaDB shows a user with only SELECT no REFERENTIAL_CONSTRAINTS rows: a cascading foreign key must still be
     * found (from SHOW CREATE TABLE), or the check passes a channel whose sites would differ silently.
     */
    @Test
    void withOnlyThePrintedSourceGrantsACascadingForeignKeyIsStillRefused() throws Exception {
        ChannelConfig config = ChannelConfig.load(withThePrintedSourceGrants("casc",
                "CREATE TABLE %s.city (id INT PRIMARY KEY)", "CREATE TABLE %s.address (id INT PRIMARY KEY, city_id INT,"
                        + " KEY (city_id), CONSTRAINT fk_address_city FOREIGN KEY (city_id) REFERENCES city (id)"
                        + " ON DELETE CASCADE)"));
        String database = config.tableFilter().literalDatabases().iterator().next();
        assertThat(TestServers.site(ServerKind.MARIADB, "sh").query("SELECT COUNT(*) FROM"
                + " information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?", database).get(0).get(0))
                .as("the admin sees the key").isEqualTo(1L);

        assertThat(ChannelCheck.run(config)).filteredOn(r -> r.status() == Status.FAIL)
                .extracting(Result::detail).anySatisfy(d -> assertThat(d).contains("fk_address_city", "ON DELETE CASCADE"));
    }

    /**
     * A one-way channel from MariaDB sh, whose user holds exactly the source grants Ferry prints (as an admin ran
     * them), to us; {@code tables} are CREATE TABLE statements with %s for the new database.
     */
    private Path withThePrintedSourceGrants(String prefix, String... tables) throws IOException {
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = sh.createDatabase(prefix);
        String user = prefix + Math.floorMod(database.hashCode(), 10000);
        for (String table : tables) {
            sh.execute(String.format(table, "`" + database + "`"));
        }
        sh.execute("DROP USER IF EXISTS '" + user + "'@'127.0.0.1'",
                "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + prefix + "-pw'");
        Path file = channelFile(prefix, site("sh", sh, user, prefix + "-pw"),
                site("us", us, us.adminUser(), us.adminPassword()), "  - { from: sh, to: us }", database);
        ChannelPrepare.run(ChannelConfig.load(file), false).get(0).grants().forEach(sh::execute);
        return file;
    }

    @Test
    void oneCheckReportsEveryProblemWithItsFixAndChangesNothing() throws IOException {
        fresh.execute("CREATE USER IF NOT EXISTS 'weak'@'%' IDENTIFIED BY 'weak-pw'",
                "GRANT SELECT ON *.* TO 'weak'@'%'");
        String database = fresh.createDatabase("cli");
        fresh.execute("CREATE TABLE `" + database + "`.no_key (a INT)",
                "CREATE TABLE `" + database + "`.measures (id INT PRIMARY KEY, d DOUBLE, f FLOAT, t TIME, day DATE)",
                "CREATE TABLE `" + database + "`.hidden (id INT PRIMARY KEY, secret INT INVISIBLE)");
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        Path file = channelFile("bad", site("sh", fresh, "weak", "weak-pw"),
                site("us", us, us.adminUser(), us.adminPassword()), "  - { from: sh, to: us }", database);

        List<Result> results = ChannelCheck.run(ChannelConfig.load(file));
        assertThat(fix(results, "sh", "binlog")).contains("binlog_format='ROW'");
        assertThat(failure(results, "sh", "binlog")).contains("binlog_format=STATEMENT");
        assertThat(fix(results, "sh", "privileges"))
                .contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'weak'@'%';");
        assertThat(failure(results, "sh", "primary keys")).contains(database + ".no_key");
        assertThat(fix(results, "sh", "primary keys")).contains("tables.exclude");
        assertThat(fix(results, "sh", "Ferry tables")).contains("ferry prepare");
        assertThat(results).filteredOn(r -> r.site().equals("sh") && r.check().equals("initial copy"))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).as("a warning, not a failure").isEqualTo(Status.WARN);
                    assertThat(r.detail()).contains("[" + database + ".measures.f]", "6 significant digits",
                            "[" + database + ".measures.t]", "between -01:00:00 and 00:00:00");
                    assertThat(r.fix()).contains("ferry verify --config <file> --repair --from sh");
                });
        assertThat(results).filteredOn(r -> r.site().equals("sh") && r.check().equals("dates")).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).as("MariaDB's default sql_mode allows zero dates").isEqualTo(Status.WARN);
                    assertThat(r.detail()).contains(database + ".measures.day (DATE)", "1970-01-01");
                    assertThat(r.fix()).contains("NO_ZERO_DATE,NO_ZERO_IN_DATE");
                });
        assertThat(failure(results, "sh", "copy")).contains(database + ".hidden.secret (INVISIBLE)", "SELECT *");
        assertThat(fix(results, "sh", "copy")).contains("SET VISIBLE", "tables.exclude", "startup: latest");
        assertThat(results).filteredOn(r -> r.site().equals("us") && r.status() == Status.FAIL).isEmpty();
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isEqualTo(1);
        assertThat(fresh.query("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'ferry'")
                .get(0).get(0)).as("check is read-only").isEqualTo(0L);
    }

    @Test
    void prepareCreatesFerrysTablesTwiceSafelyAndNamesTheGrants() throws IOException {
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        String database = fresh.createDatabase("prep");
        fresh.execute("CREATE TABLE `" + database + "`.t (id INT PRIMARY KEY)");
        us.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        Path file = channelFile("prep", site("sh", fresh, fresh.adminUser(), fresh.adminPassword()),
                site("us", us, "ferry_writer", "unused"), "  - { from: sh, to: us }", database);
        ChannelConfig config = ChannelConfig.load(file);
        // an installation from before held rows (issue 17): ferry_ddl without manual_sql, no ferry_held
        fresh.execute(FerryTables.schemaStatements().toArray(String[]::new));
        fresh.execute("ALTER TABLE ferry.ferry_ddl DROP COLUMN manual_sql", "DROP TABLE ferry.ferry_held");

        for (int run = 0; run < 2; run++) {
            List<ChannelPrepare.Site> sites = ChannelPrepare.run(config);
            ChannelPrepare.Site sh = sites.get(0);
            assertThat(sh.prepared()).as("run %d: %s", run, sh.detail()).isTrue();
            String admin = fresh.query("SELECT CURRENT_USER()").get(0).get(0).toString();
            assertThat(sh.grants()).as("for the account the server knows").contains(
                    "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO '"
                    + admin.substring(0, admin.lastIndexOf('@')) + "'@'" + admin.substring(admin.lastIndexOf('@') + 1)
                    + "';");
            ChannelPrepare.Site target = sites.get(1);
            assertThat(target.prepared()).as("a user that cannot log in").isFalse();
            assertThat(target.detail()).contains("Cannot log in to site 'us'");
            assertThat(target.grants()).contains("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `"
                    + database + "`.* TO 'ferry_writer'@'%';");
        }
        assertThat(ChannelCheck.run(config)).filteredOn(r -> r.site().equals("sh") && r.check().equals("Ferry tables"))
                .extracting(Result::status).containsExactly(Status.OK);
        assertThat(fresh.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'ferry'"
                + " AND TABLE_NAME = 'ferry_ddl' AND COLUMN_NAME = 'manual_sql'")).as("added to the older table")
                .hasSize(1);
    }

    @Test
    void aPostgreSqlTargetIsCheckedForItsPrivilegesAndPreparedWithItsOwnTables() throws IOException {
        TestServers.assumeAvailable(ServerKind.POSTGRESQL);
        TestDatabase sh = TestServers.site(ServerKind.MARIADB, "sh");
        try (PostgresServer pg = PostgresServer.start("clipg", "+00:00")) {
            Path file = channelFile("pg", site("sh", sh, sh.adminUser(), sh.adminPassword()),
                    site("pg", pg, pg.adminUser(), pg.adminPassword()), "  - { from: sh, to: pg }", "nothing");
            ChannelConfig config = ChannelConfig.load(file);
            assertThat(fix(ChannelCheck.run(config), "pg", "Ferry tables")).contains("ferry-schema-postgresql.sql");

            assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();
            List<Result> after = ChannelCheck.run(config);
            assertThat(after).filteredOn(r -> r.site().equals("pg")).extracting(Result::check, Result::status)
                    .containsExactly(tuple("connect", Status.OK), tuple("write privileges", Status.OK),
                            tuple("triggers", Status.OK), tuple("Ferry tables", Status.OK));
        }
    }

    @Test
    void anUnreachableSiteIsOneFailureAndTheOtherSitesAreStillChecked() throws IOException {
        TestDatabase us = TestServers.site(ServerKind.MARIADB, "us");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = channelFile("gone", "  sh: { url: \"jdbc:mysql://127.0.0.1:" + closed + "\", user: ferry,"
                + " password-file: " + password("x") + " }", site("us", us, us.adminUser(), us.adminPassword()),
                "  - { from: sh, to: us }", "nothing");
        List<Result> results = ChannelCheck.run(ChannelConfig.load(file));
        assertThat(failure(results, "sh", "connect")).contains("Cannot reach site 'sh'").contains("sites.sh.url");
        assertThat(results).filteredOn(r -> r.site().equals("us")).extracting(Result::check)
                .contains("connect", "write privileges", "Ferry tables");
    }

    private static String failure(List<Result> results, String site, String check) {
        return result(results, site, check).detail();
    }

    private static String fix(List<Result> results, String site, String check) {
        return result(results, site, check).fix();
    }

    private static Result result(List<Result> results, String site, String check) {
        List<Result> found = results.stream().filter(r -> r.site().equals(site) && r.check().equals(check)).toList();
        assertThat(found).as("%s %s in %s", site, check, results).hasSize(1);
        assertThat(found.get(0).status()).as("%s %s", site, check).isEqualTo(Status.FAIL);
        return found.get(0);
    }

    private String site(String name, TestDatabase server, String user, String password) throws IOException {
        return "  " + name + ": { url: \"" + server.jdbcUrl() + "\", user: " + user + ", password-file: "
                + password(password) + " }";
    }

    private Path password(String password) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "pw", ".txt"), password);
    }

    private Path channelFile(String channel, String sh, String us, String directions, String database)
            throws IOException {
        return Files.writeString(dir.resolve(channel + ".yaml"), String.join("\n", "channel: " + channel, "sites:",
                sh, us, "directions:", directions, "tables:", "  include: ['" + database + "\\..*']", ""));
    }
}
