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
        assertThat(new MySqlDialect(false).upsert(TABLE, ALL_KEY)).isEqualTo("INSERT INTO `shop``s`.`order items`"
                + " (`a`, `b`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `b` = VALUES(`b`)");
        // a bare `b` next to the row alias is ambiguous on MySQL 8.0.19+ (error 1052)
        assertThat(new MySqlDialect(true).upsert(TABLE, ALL_KEY)).isEqualTo("INSERT INTO `shop``s`.`order items`"
                + " (`a`, `b`) VALUES (?, ?) AS `new` ON DUPLICATE KEY UPDATE `b` = `new`.`b`");
    }

    @Test
    void deleteBindsKeyColumnsInKeyOrder() {
        assertThat(new MySqlDialect(true).deleteByKey(TABLE, ALL_KEY))
                .isEqualTo("DELETE FROM `shop``s`.`order items` WHERE `b` = ? AND `a` = ?");
    }

    private static final ColumnInfo TEXT = new ColumnInfo("select", "VARCHAR", "utf8mb4", 20);
    private static final ColumnInfo JSON = new ColumnInfo("na`me", "json", null, 0);

    @Test
    void insertFailsOnAnExistingKeyInsteadOfOverwriting() {
        assertThat(new MySqlDialect(true).insert(TABLE, SCHEMA))
                .isEqualTo("INSERT INTO `shop``s`.`order items` (`id`, `select`, `na``me`) VALUES (?, ?, ?)");
    }

    @Test
    void guardedUpdateAndDeleteCarryTheBeforeImageNullSafeAndExact() {
        MySqlDialect d = new MySqlDialect(true);
        ColumnInfo[] guards = {TEXT, JSON};
        assertThat(d.guardedUpdate(TABLE, SCHEMA, guards)).isEqualTo(
                "UPDATE `shop``s`.`order items` SET `id` = ?, `select` = ?, `na``me` = ? WHERE `id` = ?"
                        + " AND CAST(`select` AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY)"
                        + " AND `na``me` <=> CAST(? AS JSON)");
        assertThat(d.guardedDelete(TABLE, SCHEMA, guards)).isEqualTo(
                "DELETE FROM `shop``s`.`order items` WHERE `id` = ?"
                        + " AND CAST(`select` AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY)"
                        + " AND `na``me` <=> CAST(? AS JSON)");
        assertThat(d.matchesRow(TABLE, SCHEMA, new ColumnInfo[0]))
                .isEqualTo("UPDATE `shop``s`.`order items` SET `id` = `id` WHERE `id` = ?");
    }

    @Test
    void comparisonsAreExactPerType() {
        MySqlDialect d = new MySqlDialect(false);
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "binary", null, 4)))
                .isEqualTo("`c` <=> CAST(? AS BINARY(4))");
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "bit", null, 1))).isEqualTo("`c` <=> ?");
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "bit", null, 10)))
                .isEqualTo("CAST(`c` AS BINARY) <=> ?");
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "enum", "latin1", 1)))
                .isEqualTo("CAST(`c` AS BINARY) <=> CAST(CONVERT(? USING latin1) AS BINARY)");
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "datetime", null, 0))).isEqualTo("`c` <=> ?");
        assertThat(d.nullSafeEquals("`c`", new ColumnInfo("c", "time", null, 0))).isEqualTo("`c` <=> CAST(? AS TIME(6))");
    }

    @Test
    void theConflictProbeLocksTheRowAndOrdersVersions() {
        assertThat(new MySqlDialect(true).lockConflictRow(TABLE, SCHEMA, new ColumnInfo[] {TEXT},
                new ColumnInfo("na`me", "bigint", null, 19))).isEqualTo(
                "SELECT JSON_OBJECT('id', `id`, 'select', `select`, 'na`me', `na``me`) AS ferry_row,"
                        + " CAST(`select` AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY) AS ferry_fits,"
                        + " CASE WHEN ? IS NULL THEN IF(`na``me` IS NULL, 0, -1) WHEN `na``me` IS NULL OR ? > `na``me`"
                        + " THEN 1 WHEN ? = `na``me` THEN 0 ELSE -1 END AS ferry_order"
                        + " FROM `shop``s`.`order items` WHERE `id` = ? FOR UPDATE");
        assertThat(new MySqlDialect(true).lockByUniqueKey(TABLE, SCHEMA, java.util.List.of(TEXT))).isEqualTo(
                "SELECT `id` FROM `shop``s`.`order items`"
                        + " WHERE CAST(`select` AS BINARY) <=> CAST(CONVERT(? USING utf8mb4) AS BINARY) FOR UPDATE");
    }

    @Test
    void conflictRowsOfARunAreLockedAndReadInOneStatement() {
        assertThat(new MySqlDialect(true).lockConflictRows(TABLE, SCHEMA, new ColumnInfo[] {TEXT},
                new ColumnInfo("na`me", "bigint", null, 19), 2)).isEqualTo(
                "SELECT v.`i`, t.`id` IS NOT NULL AS ferry_found, JSON_OBJECT('id', t.`id`, 'select', t.`select`,"
                        + " 'na`me', t.`na``me`) AS ferry_row,"
                        + " TRUE AND CAST(t.`select` AS BINARY) <=> CAST(CONVERT(v.`g0` USING utf8mb4) AS BINARY) AS ferry_fits,"
                        + " CASE WHEN v.`ver` IS NULL THEN IF(t.`na``me` IS NULL, 0, -1) WHEN t.`na``me` IS NULL"
                        + " OR v.`ver` > t.`na``me` THEN 1 WHEN v.`ver` = t.`na``me` THEN 0 ELSE -1 END AS ferry_order"
                        + " FROM (SELECT ? AS `i`, ? AS `k0`, ? AS `g0`, ? AS `ver` UNION ALL SELECT ?, ?, ?, ?) AS v"
                        + " LEFT JOIN `shop``s`.`order items` AS t ON t.`id` = v.`k0` FOR UPDATE");
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
