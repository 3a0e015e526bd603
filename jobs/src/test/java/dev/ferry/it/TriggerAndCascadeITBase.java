package dev.ferry.it;

import static dev.ferry.it.Sites.awaitSameRows;
import static dev.ferry.it.Sites.count;
import static dev.ferry.it.Sites.q;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.cli.FerryCliAccess;
import dev.ferry.config.ChannelConfig;
import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.job.FerryException;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triggers and cascading foreign keys never make the sites differ silently (issue 16): a guarded trigger runs
 * once, at the site where the row was written; an unguarded trigger at a target and a foreign key whose
 * cascaded changes the binlog lacks are refused by {@code ferry check} and at start-up, named with the fix,
 * before anything is applied.
 */
abstract class TriggerAndCascadeITBase extends MeshITBase {
    static final Duration TIMEOUT = TwoWayITBase.TIMEOUT;
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final String ORDERS = "CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(60),"
            + " created DATETIME, revision INT NOT NULL DEFAULT 0)";
    /** A trigger as Sakila's: it stamps the row where it is written, and again wherever it is copied to. */
    private static final String UNGUARDED = "CREATE TRIGGER orders_created BEFORE INSERT ON orders FOR EACH ROW"
            + " SET NEW.created = NOW()";
    private static final String GUARDED = "CREATE TRIGGER orders_created BEFORE INSERT ON orders FOR EACH ROW"
            + " IF @ferry_applying IS NULL THEN SET NEW.created = NOW(); END IF";
    static final String CATEGORY = "CREATE TABLE category (category_id TINYINT UNSIGNED PRIMARY KEY,"
            + " name VARCHAR(25) NOT NULL)";

    @TempDir
    Path dir;

    /** A site whose binlog does not carry the changes a cascading foreign key makes. */
    abstract TestDatabase cascadeSource();

    /** Sakila's film_category, its foreign key to category with these actions. */
    static String filmCategory(String actions) {
        return "CREATE TABLE film_category (film_id SMALLINT UNSIGNED, category_id TINYINT UNSIGNED,"
                + " PRIMARY KEY (film_id, category_id), CONSTRAINT fk_film_category_category FOREIGN KEY (category_id)"
                + " REFERENCES category (category_id) " + actions + ")";
    }

    @Test
    void checkRefusesAnUnguardedTriggerAtATargetAndPassesTheGuardedOne() throws IOException {
        LinkedSites mesh = mesh("trgcheck", site("sh"), site("us"), false);
        String db = mesh.database;
        exec(mesh.site("sh"), db, ORDERS);
        exec(mesh.site("us"), db, ORDERS, UNGUARDED);
        Path file = channelFile(mesh);
        assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();

        String report = FerryCliAccess.checkReport(ChannelCheck.run(ChannelConfig.load(file)));
        assertThat(report.lines().filter(l -> l.startsWith("[FAIL] us") && l.contains("triggers")).toList())
                .singleElement(InstanceOfAssertFactories.STRING)
                .contains("`orders_created` (BEFORE INSERT ON " + db + ".orders)", "would run again");
        assertThat(report).contains("fix: at site 'us' drop each (DROP TRIGGER " + q(db) + ".`orders_created`)",
                "FOR EACH ROW IF @ferry_applying IS NULL THEN <its statements>; END IF");
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isEqualTo(1);

        exec(mesh.site("us"), db, "DROP TRIGGER orders_created", GUARDED);
        List<Result> guarded = ChannelCheck.run(ChannelConfig.load(file));
        assertThat(guarded).filteredOn(r -> r.check().equals("triggers")).extracting(Result::site, Result::status)
                .containsExactlyInAnyOrder(tuple("sh", Status.OK), tuple("us", Status.OK));
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isZero();
    }

    /**
     * Each site's triggers mark what they do with the site's name. If Ferry's writes ran them, a copied row
     * would carry both names, an update would count twice, and the audit row would be written twice.
     */
    @Test
    void aGuardedTriggerRunsOnceAtTheSiteWhereTheRowWasWritten() throws Exception {
        LinkedSites mesh = mesh("trgrun", site("sh"), site("us"), false);
        String db = mesh.database;
        for (String name : List.of("sh", "us")) {
            exec(mesh.site(name), db, ORDERS, "CREATE TABLE orders_audit (id BIGINT PRIMARY KEY, note VARCHAR(60))",
                    "CREATE TABLE probe (id BIGINT PRIMARY KEY)",
                    "CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW IF @ferry_applying IS NULL THEN"
                            + " SET NEW.note = CONCAT(NEW.note, '@" + name + "'), NEW.created = '2099-01-01 00:00:00';"
                            + " END IF",
                    "CREATE TRIGGER orders_bu BEFORE UPDATE ON orders FOR EACH ROW"
                            + " SET NEW.revision = IF(@ferry_applying IS NULL, OLD.revision + 1, NEW.revision)",
                    "CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW IF @ferry_applying IS NULL THEN"
                            + " INSERT INTO orders_audit VALUES (NEW.id, NEW.note); END IF");
        }
        start(mesh);
        mesh.awaitReaders("probe", "(id) VALUES (%d)");
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");

        exec(sh, db, "INSERT INTO orders (id, note) VALUES (1, 'a'), (2, 'b')");
        exec(us, db, "INSERT INTO orders (id, note) VALUES (3, 'c')");
        awaitSameRows(sh, us, db, "orders", TIMEOUT);
        exec(us, db, "UPDATE orders SET note = 'a2' WHERE id = 1");
        Sites.await(() -> Sites.rows(sh, db, "orders").get(0).get(1).equals("a2"), TIMEOUT, "the update to reach sh");
        exec(sh, db, "UPDATE orders SET note = 'c2' WHERE id = 3");
        awaitSameRows(sh, us, db, "orders", TIMEOUT);
        awaitSameRows(sh, us, db, "orders_audit", TIMEOUT);

        assertThat(Sites.rows(us, db, "orders")).containsExactly(
                List.of("1", "a2", "2099-01-01 00:00:00", "1"),
                List.of("2", "b@sh", "2099-01-01 00:00:00", "0"),
                List.of("3", "c2", "2099-01-01 00:00:00", "1"));
        assertThat(Sites.rows(sh, db, "orders_audit")).containsExactly(List.of("1", "a@sh"), List.of("2", "b@sh"),
                List.of("3", "c@us"));
        assertThat(problems).isEmpty();
    }

    @Test
    void startUpRefusesAnUnguardedTriggerAndAppliesNothing() {
        LinkedSites mesh = mesh("trgstart", site("sh"), site("us"), true);
        String db = mesh.database;
        exec(mesh.site("sh"), db, ORDERS, "INSERT INTO orders (id, note) VALUES (1, 'a'), (2, 'b')");
        exec(mesh.site("us"), db, ORDERS, UNGUARDED);

        assertThatThrownBy(() -> start(mesh)).isInstanceOf(FerryException.class)
                .hasMessageContaining("Trigger(s) at site 'us' would run again on the rows Ferry replicates there")
                .hasMessageContaining("`orders_created` (BEFORE INSERT ON " + db + ".orders)")
                .hasMessageContaining("DROP TRIGGER " + q(db) + ".`orders_created`")
                .hasMessageContaining("IF @ferry_applying IS NULL THEN");
        assertThat(runner.jobs()).as("no direction started").isEmpty();
        assertThat(count(mesh.site("us"), db, "orders")).as("nothing copied").isZero();
    }

    @Test
    void startUpRefusesACascadingForeignKeyAndAppliesNothing() {
        LinkedSites mesh = mesh("fkstart", cascadeSource(), site("us"), true);
        String db = mesh.database;
        exec(mesh.site("sh"), db, CATEGORY, filmCategory("ON DELETE RESTRICT ON UPDATE CASCADE"),
                "INSERT INTO category VALUES (1, 'Action'), (2, 'Comedy')",
                "INSERT INTO film_category VALUES (1, 1), (2, 1), (3, 2)");

        assertThatThrownBy(() -> start(mesh)).isInstanceOf(FerryException.class)
                .hasMessageContaining("Foreign key(s) at site 'sh' change rows by themselves, which the binlog does"
                        + " not carry")
                .hasMessageContaining("`fk_film_category_category` on " + db + ".film_category [category_id]"
                        + " REFERENCES " + db + ".category [category_id] ON UPDATE CASCADE.")
                .hasMessageContaining("make each RESTRICT (or NO ACTION) and have the application change the child"
                        + " rows itself")
                .hasMessageContaining("tables.exclude");
        assertThat(runner.jobs()).as("no direction started").isEmpty();
        assertThat(mesh.site("us").query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db)
                .get(0).get(0)).as("nothing created or copied at us").isEqualTo(0L);
    }

    @Test
    void checkRefusesAnOnDeleteCascadeAndAcceptsRestrictOrBothTablesLeftOut() throws IOException {
        LinkedSites mesh = mesh("fkcheck", cascadeSource(), site("us"), false);
        String db = mesh.database;
        TestDatabase sh = mesh.site("sh");
        exec(sh, db, CATEGORY, filmCategory("ON DELETE CASCADE ON UPDATE RESTRICT"));
        Path file = channelFile(mesh);
        assertThat(FerryCliAccess.run("prepare", "--config", file.toString())).isZero();

        Result refused = foreignKeys(file);
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        assertThat(refused.detail()).contains("`fk_film_category_category` on " + db + ".film_category [category_id]"
                + " REFERENCES " + db + ".category [category_id] ON DELETE CASCADE.");
        String table = q(db) + ".`film_category`";
        String drop = "ALTER TABLE " + table + " DROP FOREIGN KEY `fk_film_category_category`";
        String restrict = "ALTER TABLE " + table + " ADD CONSTRAINT `fk_film_category_category` FOREIGN KEY"
                + " (`category_id`) REFERENCES " + q(db) + ".`category` (`category_id`) ON UPDATE RESTRICT"
                + " ON DELETE RESTRICT";
        assertThat(refused.fix()).contains(drop + "; " + restrict, "tables.exclude");
        assertThat(FerryCliAccess.checkReport(List.of(refused))).startsWith("[FAIL] sh  foreign keys  ");
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isEqualTo(1);

        Files.writeString(file, mesh.yaml().replace("\nstate-dir:", "\n  exclude: ['" + db
                + "\\.(category|film_category)']\nstate-dir:"));
        assertThat(foreignKeys(file).status()).as("both tables left out").isEqualTo(Status.OK);

        channelFile(mesh);
        exec(sh, db, drop, restrict); // the fix as printed
        Result accepted = foreignKeys(file);
        assertThat(accepted.status()).as(accepted.detail()).isEqualTo(Status.OK);
        assertThat(accepted.detail()).isEqualTo("no foreign key that cascades on a replicated table");
        assertThat(FerryCliAccess.run("check", "--config", file.toString())).isZero();
    }

    @Test
    void aUserWhoCannotReadTriggersIsToldTheGrant() {
        LinkedSites mesh = mesh("trgpriv", site("sh"), site("us"), false);
        String db = mesh.database;
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");
        exec(sh, db, ORDERS);
        exec(us, db, ORDERS, GUARDED);
        String user = "ferry_" + db;
        us.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'writer-pw'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON " + q(db) + ".* TO '" + user
                        + "'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ferry.* TO '" + user + "'@'%'");
        ChannelConfig config = ChannelConfig.parse(String.join("\n", "channel: " + mesh.name, "sites:",
                "  sh: { url: \"" + sh.jdbcUrl() + "\", user: " + sh.adminUser() + ", password: \"${env:SH_PW}\" }",
                "  us: { url: \"" + us.jdbcUrl() + "\", user: " + user + ", password: \"${env:US_PW}\" }",
                "directions:", "  - { from: sh, to: us }", "tables:", "  include: ['" + db + "\\..*']", ""),
                "priv.yaml", Map.of("SH_PW", sh.adminPassword(), "US_PW", "writer-pw")::get);

        Result hidden = triggers(config);
        assertThat(hidden.status()).isEqualTo(Status.FAIL);
        assertThat(hidden.detail()).contains("User '" + user + "' at site 'us' cannot read the triggers of ["
                + db + ".orders]");
        assertThat(hidden.fix()).isEqualTo("as an admin: GRANT TRIGGER ON " + q(db) + ".* TO '" + user + "'@'%';");

        us.execute("GRANT TRIGGER ON " + q(db) + ".* TO '" + user + "'@'%'");
        Result seen = triggers(config);
        assertThat(seen.status()).as(seen.detail()).isEqualTo(Status.OK);
    }

    private static Result foreignKeys(Path file) {
        return single(ChannelCheck.run(ChannelConfig.load(file)), "sh", "foreign keys");
    }

    private static Result triggers(ChannelConfig config) {
        return single(ChannelCheck.run(config), "us", "triggers");
    }

    static Result single(List<Result> results, String site, String check) {
        List<Result> found = results.stream().filter(r -> r.site().equals(site) && r.check().equals(check)).toList();
        assertThat(found).as("%s %s in %s", site, check, results).hasSize(1);
        return found.get(0);
    }

    TestDatabase site(String name) {
        return TestServers.site(kind(), name);
    }

    /** Sites sh and us with a new database each; {@code initial}: sh->us starts with a copy. */
    LinkedSites mesh(String prefix, TestDatabase sh, TestDatabase us, boolean initial) {
        return LinkedSites.twoSites("tc" + ProcessHandle.current().pid() + "_" + CHANNELS.incrementAndGet(), prefix, sh, us,
                stateDir, initial);
    }

    /** The channel file of a mesh, with each site's password in a file. */
    private Path channelFile(LinkedSites mesh) throws IOException {
        mesh.passwordDir = dir;
        for (Map.Entry<String, TestDatabase> site : mesh.sites.entrySet()) {
            Files.writeString(dir.resolve(site.getKey() + ".pw"), site.getValue().adminPassword());
        }
        return Files.writeString(dir.resolve(mesh.name + ".yaml"), mesh.yaml());
    }
}
