package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.TableFilter;
import io.debezium.function.Predicates;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The patterns Ferry hands to Flink CDC's tableList, matched by Debezium's own code (Flink CDC 3.5.0 joins them with
 * commas into table.include.list, which Debezium splits and compiles case-insensitively).
 */
class SourceTableListTest {

    private static Predicate<String> debezium(List<String> patterns) {
        return Predicates.includes(String.join(",", patterns), (String name) -> name);
    }

    @Test
    void excludedTablesAreLeftOutByTheIncludeListItself() {
        TableFilter filter = TableFilter.of(List.of("shop\\..*", "crm\\.customers"),
                List.of("shop\\.tmp_.*", "shop\\.audit"));
        Predicate<String> included = debezium(SourceTableList.patterns(filter));
        for (String name : List.of("shop.orders", "shop.tmp_x", "shop.audit", "shop.audit2", "crm.customers",
                "crm.other", "shop.TMP_x", "SHOP.orders", "shop.tmp", "shopx.orders")) {
            assertThat(included.test(name)).as(name).isEqualTo(filter.includes(name));
        }
        assertThat(included.test("shop.tmp_x")).isFalse();
        assertThat(included.test("shop.audit2")).isTrue();
    }

    @Test
    void commasInsidePatternsSurviveDebeziumsListSplitting() {
        TableFilter filter = TableFilter.of(List.of("shop\\.t\\d{1,3}"), List.of("shop\\.t9{2,}"));
        Predicate<String> included = debezium(SourceTableList.patterns(filter));
        assertThat(included.test("shop.t12")).isTrue();
        assertThat(included.test("shop.t1234")).isFalse();
        assertThat(included.test("shop.t99")).isFalse();
        assertThat(included.test("shop.t9")).isTrue();
    }

    @Test
    void ferrysOwnTablesMatchExactly() {
        Predicate<String> included = debezium(List.of(SourceTableList.exactly("ferry.ferry_commit")));
        assertThat(included.test("ferry.ferry_commit")).isTrue();
        assertThat(included.test("ferryXferry_commit")).isFalse();
        assertThat(included.test("FERRY.ferry_commit")).isFalse();
    }
}
