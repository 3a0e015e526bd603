package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeEventWithoutTest {
    private static final TableId LINES = new TableId("shop", "lines");
    /** {@code (qty, id, total, label)} keyed by id, as a binlog with generated columns total and label has them. */
    private static final RowSchema SCHEMA = new RowSchema(new String[] {"qty", "id", "total", "label"}, new int[] {1});

    @Test
    void aRowChangeLosesTheNamedColumnsInBothImagesAndKeepsItsKey() {
        ChangeEvent update = new ChangeEvent(Op.UPDATE, LINES, SCHEMA, new Object[] {2, 7, 3.0, "#7"},
                new Object[] {3, 7, 4.5, "#7"}, "tx1", "binlog.000001:100", 42).withSeen("binlog.000002:9");
        ChangeEvent written = update.without(Set.of("total", "label"));
        assertThat(written.schema().columns()).containsExactly("qty", "id");
        assertThat(written.schema().keyIndexes()).containsExactly(1);
        assertThat(written.before()).containsExactly(2, 7);
        assertThat(written.after()).containsExactly(3, 7);
        assertThat(written.key()).containsExactly(7);
        assertThat(written.seen()).isEqualTo("binlog.000002:9");
        assertThat(written.txId()).isEqualTo("tx1");
        assertThat(written.position()).isEqualTo("binlog.000001:100");
    }

    @Test
    void aKeyColumnStaysAndAChangeWithoutSuchColumnsIsItself() {
        ChangeEvent delete = new ChangeEvent(Op.DELETE, LINES, SCHEMA, new Object[] {2, 7, 3.0, "#7"}, null, "tx2",
                "p", 0);
        assertThat(delete.without(Set.of("id")).schema().columns()).containsExactly("qty", "id", "total", "label");
        assertThat(delete.without(Set.of("other"))).isSameAs(delete);
        assertThat(delete.without(Set.of("total")).before()).containsExactly(2, 7, "#7");
    }
}
