package dev.ferry.dialect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.common.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexChangeTest {
    private static final TableId T = new TableId("shop", "orders");

    @Test
    void readsAddsAndDropsInOrder() {
        assertThat(IndexChange.parse(T, "DROP `a``b`\n\nADD UNIQUE INDEX `ib` (`b2`, `c` DESC, `d` ASC) USING BTREE\n"
                + "ADD KEY `k` (`x`)")).containsExactly(
                new IndexChange(false, "a`b", false, List.of()),
                new IndexChange(true, "ib", true, List.of(new IndexChange.Part("b2", false),
                        new IndexChange.Part("c", true), new IndexChange.Part("d", false))),
                new IndexChange(true, "k", false, List.of(new IndexChange.Part("x", false))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "ADD INDEX `p` (`name`(10)); the prefix length (10) on `name` has no faithful form",
        "ADD FULLTEXT INDEX `f` (`body`); FULLTEXT indexes have no faithful form",
        "ADD SPATIAL INDEX `s` (`geo`); SPATIAL indexes have no faithful form",
        "ADD INDEX `e` ((lower(`name`))); is an expression",
        "ADD PRIMARY KEY (`id`); not an index change Ferry can read",
        "DROP `PRIMARY`; it changes the primary key",
    })
    void refusesWhatHasNoFaithfulForm(String line, String reason) {
        assertThatThrownBy(() -> IndexChange.parse(T, line)).isInstanceOf(UntranslatableDdlException.class)
                .hasMessageStartingWith("Index change '" + line + "' on table `shop`.`orders`: ")
                .hasMessageContaining(reason).hasMessageEndingWith("create the index at the target by hand (or leave it out)");
    }
}
