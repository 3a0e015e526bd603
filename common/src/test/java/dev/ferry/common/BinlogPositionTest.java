package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinlogPositionTest {
    @Test
    void positionsCompareInCommitOrder() {
        BinlogPosition a = BinlogPosition.parse("mysql-bin.000009:4000:2:1");
        assertThat(a.compareTo(BinlogPosition.parse("mysql-bin.000010:4:0:0"))).as("the next file").isNegative();
        assertThat(a.compareTo(BinlogPosition.parse("mysql-bin.000009:4000:2:2"))).as("the next row").isNegative();
        assertThat(a.compareTo(BinlogPosition.parse("mysql-bin.000009:4000:10:0"))).as("event 10 after 2").isNegative();
        assertThat(a.compareTo(BinlogPosition.parse("mysql-bin.000009:399:9:9"))).as("by number, not text").isPositive();
        assertThat(a).isEqualTo(BinlogPosition.parse(a.toString()));
        assertThat(BinlogPosition.after("mysql-bin.000009:4000:2:1", null)).isTrue();
        assertThat(BinlogPosition.after(null, "mysql-bin.000009:4000:2:1")).isFalse();
    }

    @Test
    void snapshotRowsAndDdlHaveNoRowPosition() {
        assertThat(BinlogPosition.parse("snapshot")).isNull();
        assertThat(BinlogPosition.parse("binlog.000001:4")).isNull();
        assertThat(BinlogPosition.parse(null)).isNull();
    }

    @Test
    void seenPositionsNameEachWriter() {
        String seen = BinlogPosition.seen(Map.of(1, BinlogPosition.parse("b.000001:50:0:0"),
                0, BinlogPosition.parse("b.000002:7:1:0")));
        assertThat(seen).isEqualTo("0=b.000002:7:1:0;1=b.000001:50:0:0");
        assertThat(BinlogPosition.seenBy(seen, 1)).isEqualTo(BinlogPosition.parse("b.000001:50:0:0"));
        assertThat(BinlogPosition.seenBy(seen, 2)).isNull();
        assertThat(BinlogPosition.seenBy(null, 0)).isNull();
        assertThat(BinlogPosition.seen(Map.of())).isNull();
    }
}
