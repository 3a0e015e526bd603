package dev.ferry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.TableId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifiedTableTest {

    @Test
    void floatColumnsAreDigestedAsTheExactDoubleTheyHoldOthersAsTheirText() {
        VerifiedTable t = new VerifiedTable(new TableId("shop", "m`x"), List.of("id", "f", "d"), List.of("id"),
                Set.of("f"));

        assertThat(t.rowDigest()).isEqualTo("CAST(CONV(SUBSTRING(MD5(CONCAT_WS('|',"
                + " IFNULL(HEX(CAST(`id` AS BINARY)), 'NULL'),"
                + " IFNULL(HEX(CAST(`f` + 0E0 AS BINARY)), 'NULL'),"
                + " IFNULL(HEX(CAST(`d` AS BINARY)), 'NULL'))), 1, 16), 16, 10) AS UNSIGNED)");
        assertThat(t.exactSelectList()).isEqualTo("`id` AS `id`, `f` + 0E0 AS `f`, `d` AS `d`");
        assertThat(t.rowByKey()).endsWith(" FROM `shop`.`m``x` WHERE (`id`) = (?)");
    }
}
