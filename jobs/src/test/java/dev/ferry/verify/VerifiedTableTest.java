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

        assertThat(t.rowDigest()).isEqualTo("CAST(CONV(SUBSTRING(SHA2(CONCAT_WS('|',"
                + " IFNULL(HEX(CAST(`id` AS BINARY)), 'NULL'),"
                + " IFNULL(HEX(CAST(`f` + 0E0 AS BINARY)), 'NULL'),"
                + " IFNULL(HEX(CAST(`d` AS BINARY)), 'NULL')), 256), 1, 16), 16, 10) AS UNSIGNED)");
        assertThat(t.exactSelectList()).isEqualTo("`id` AS `id`, `f` + 0E0 AS `f`, `d` AS `d`");
        assertThat(t.rowsByKeys(2)).startsWith("SELECT `id`, CAST(")
                .endsWith(" FROM `shop`.`m``x` WHERE (`id`) IN ((?), (?))");
    }

    /** A batch of chunks in one round trip per site (TableComparison): its boundaries, then every chunk's sums. */
    @Test
    void aBatchOfChunksIsOneQueryForItsBoundariesAndOneForItsSums() {
        VerifiedTable t = new VerifiedTable(new TableId("shop", "t"), List.of("a", "b", "v"), List.of("a", "b"),
                Set.of());

        assertThat(t.nextBoundaries(true, 7, 64)).isEqualTo("SELECT `a`, `b` FROM (SELECT `a`, `b`, ROW_NUMBER()"
                + " OVER (ORDER BY `a`, `b`) AS ferry_row FROM (SELECT `a`, `b` FROM `shop`.`t` WHERE (`a`, `b`) >"
                + " (?, ?) ORDER BY `a`, `b` LIMIT 448) AS ferry_keys) AS ferry_numbered WHERE ferry_row % 7 = 0"
                + " ORDER BY `a`, `b`");
        String sums = t.chunkChecksums(true, 2, true);
        assertThat(sums).startsWith("SELECT CASE WHEN (`a`, `b`) <= (?, ?) THEN 0 WHEN (`a`, `b`) <= (?, ?) THEN 1"
                + " ELSE 2 END AS ferry_chunk, COUNT(*), COALESCE(BIT_XOR(" + t.rowDigest() + "), 0) FROM `shop`.`t`")
                .endsWith(" WHERE (`a`, `b`) > (?, ?) GROUP BY ferry_chunk");
        assertThat(t.chunkChecksums(false, 2, false)).endsWith(" WHERE (`a`, `b`) <= (?, ?) GROUP BY ferry_chunk");
        assertThat(t.chunkChecksums(true, 0, true)).startsWith("SELECT 0 AS ferry_chunk, COUNT(*)");
    }
}
