package dev.ferry.it;

import static dev.ferry.it.Sites.await;
import static dev.ferry.it.Sites.rows;
import static dev.ferry.it.TwoWayITBase.exec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.job.ChannelCheck;
import dev.ferry.job.ChannelCheck.Result;
import dev.ferry.job.ChannelCheck.Status;
import dev.ferry.testing.DatabaseServer;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MySqlTriggerAndCascadeITCase extends TriggerAndCascadeITBase {
    /** A MySQL whose foreign keys are InnoDB's own (as MySQL 8.x's are): its cascades are not in the binlog. */
    private static DatabaseServer nativeForeignKeys;

    @BeforeAll
    static void servers() {
        TestServers.assumeAvailable(ServerKind.MYSQL);
    }

    @AfterAll
    static void stopNativeForeignKeys() {
        if (nativeForeignKeys != null) {
            nativeForeignKeys.close();
        }
    }

    @Override
    ServerKind kind() {
        return ServerKind.MYSQL;
    }

    @Override
    TestDatabase cascadeSource() {
        if (nativeForeignKeys == null) {
            nativeForeignKeys = DatabaseServer.start(ServerKind.MYSQL, "nativefk",
                    Map.of("innodb_native_foreign_keys", "ON"));
        }
        return nativeForeignKeys;
    }

    /**
     * MySQL 9.7's own foreign keys (innodb_native_foreign_keys=OFF) write the rows a cascade changes to the
     * binlog, so Ferry accepts them, and the cascaded changes arrive as rows in both directions.
     */
    @Test
    void cascadesTheBinlogCarriesAreAcceptedAndReplicateExactly() throws Exception {
        LinkedSites mesh = mesh("fklogged", site("sh"), site("us"), false);
        String db = mesh.database;
        for (TestDatabase site : mesh.sites.values()) {
            exec(site, db, CATEGORY, filmCategory("ON DELETE CASCADE ON UPDATE CASCADE"),
                    "CREATE TABLE probe (id BIGINT PRIMARY KEY)");
        }
        Result fk = single(ChannelCheck.run(mesh.config()), "sh", "foreign keys");
        assertThat(fk.status()).isEqualTo(Status.OK);
        assertThat(fk.detail()).contains("1 cascading foreign key(s); this server logs their changes as row events");
        start(mesh);
        mesh.awaitReaders("probe", "(id) VALUES (%d)");
        TestDatabase sh = mesh.site("sh");
        TestDatabase us = mesh.site("us");

        exec(sh, db, "INSERT INTO category VALUES (1, 'Action'), (2, 'Comedy'), (3, 'Drama')",
                "INSERT INTO film_category VALUES (1, 1), (2, 1), (3, 2), (4, 3)");
        awaitFilmCategories(us, db, List.of(List.of("1", "1"), List.of("2", "1"), List.of("3", "2"), List.of("4", "3")));
        exec(sh, db, "UPDATE category SET category_id = 10 WHERE category_id = 1");
        awaitFilmCategories(us, db, List.of(List.of("1", "10"), List.of("2", "10"), List.of("3", "2"),
                List.of("4", "3")));
        exec(us, db, "DELETE FROM category WHERE category_id = 3");
        awaitFilmCategories(sh, db, List.of(List.of("1", "10"), List.of("2", "10"), List.of("3", "2")));
        Sites.awaitSameRows(sh, us, db, "category", TIMEOUT);
        Sites.assertSameRows(sh, us, db, "film_category");
        assertThat(problems).isEmpty();
    }

    /** Waits for exactly these (film_id, category_id) rows, in any order. */
    private static void awaitFilmCategories(TestDatabase site, String db, List<List<String>> expected) {
        try {
            await(() -> Set.copyOf(rows(site, db, "film_category")).equals(Set.copyOf(expected)), TIMEOUT,
                    "film_category at " + site.name() + " to be " + expected);
        } finally {
            assertThat(rows(site, db, "film_category")).as("film_category at %s", site.name())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
