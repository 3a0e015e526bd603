package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.RowSchema;
import dev.ferry.common.TableId;
import org.junit.jupiter.api.Test;

class MySqlDialectTest {
    private static final TableId TABLE = new TableId("shop`s", "order items");
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"id", "select", "na`me"}, new int[] {0});
    private static final RowSchema ALL_KEY = new RowSchema(new String[] {"a", "b"}, new int[] {1, 0});

    @Test
    void quotesEachPartAndEscapesBackticks() {
        assertThat(new MySqlDialect(true).quoteTable(TABLE)).isEqualTo("`shop``s`.`order items`");
    }

    @Test
    void upsertUsesRowAliasOnNewMySql() {
        assertThat(new MySqlDialect(true).upsert(TABLE, SCHEMA)).isEqualTo(
                "INSERT INTO `shop``s`.`order items` (`id`, `select`, `na``me`) VALUES (?, ?, ?) AS `new`"
                        + " ON DUPLICATE KEY UPDATE `select` = `new`.`select`, `na``me` = `new`.`na``me`");
    }

    @Test
    void upsertUsesValuesOnMariaDb() {
        assertThat(new MySqlDialect(false).upsert(TABLE, SCHEMA)).isEqualTo(
                "INSERT INTO `shop``s`.`order items` (`id`, `select`, `na``me`) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE `select` = VALUES(`select`), `na``me` = VALUES(`na``me`)");
    }

    @Test
    void upsertOfAnAllKeyTableUpdatesNothing() {
        assertThat(new MySqlDialect(false).upsert(TABLE, ALL_KEY)).isEqualTo(
                "INSERT INTO `shop``s`.`order items` (`a`, `b`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `b` = `b`");
    }

    @Test
    void deleteBindsKeyColumnsInKeyOrder() {
        assertThat(new MySqlDialect(true).deleteByKey(TABLE, ALL_KEY))
                .isEqualTo("DELETE FROM `shop``s`.`order items` WHERE `b` = ? AND `a` = ?");
    }

    @Test
    void versionDecidesTheUpsertForm() {
        assertThat(MySqlDialect.forServerVersion("9.7.4").name()).isEqualTo("MySQL 8.0.19+");
        assertThat(MySqlDialect.forServerVersion("8.0.19").name()).isEqualTo("MySQL 8.0.19+");
        assertThat(MySqlDialect.forServerVersion("8.0.18-log").name()).isEqualTo("MySQL/MariaDB");
        assertThat(MySqlDialect.forServerVersion("11.4.5-MariaDB").name()).isEqualTo("MySQL/MariaDB");
        assertThat(MySqlDialect.forServerVersion("10.11.19-MariaDB-0+deb12u1").name()).isEqualTo("MySQL/MariaDB");
    }

    @Test
    void unknownUrlsNameTheUrl() {
        assertThatThrownBy(() -> Dialects.forUrl("jdbc:sqlserver://x", "1"))
                .hasMessageContaining("jdbc:sqlserver://x");
    }
}
