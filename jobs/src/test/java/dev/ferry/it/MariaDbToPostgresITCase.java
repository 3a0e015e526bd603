package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ServerKind;
import org.junit.jupiter.api.Test;

class MariaDbToPostgresITCase extends PostgresTargetITBase {
    @Override
    ServerKind sourceKind() {
        return ServerKind.MARIADB;
    }

    /**
     * MariaDB's CREATE OR REPLACE TABLE of a table PostgreSQL has: the target's table is replaced too, its old rows
     * gone as at the source (before, its columns were altered and the old rows stayed, or the change was held).
     */
    @Test
    void createOrReplaceTableReplacesTheTargetsTableAndItsRows() throws Exception {
        source.execute("CREATE TABLE " + t("items") + " (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO " + t("items") + " VALUES (1, 'a')");
        job = start(config("transactional"));
        awaitSame("items");
        source.execute("CREATE OR REPLACE TABLE " + t("items") + " (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + t("items") + " VALUES (2, 42)");
        awaitSame("items");
        assertThat(pg.query("SELECT id, v FROM " + PgSite.table(database, "items"))).containsExactly(
                java.util.List.of("2", "42"));
        assertNoConflicts();
    }
}
