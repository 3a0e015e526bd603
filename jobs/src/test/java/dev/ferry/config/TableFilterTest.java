package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class TableFilterTest {

    private final TableFilter filter = TableFilter.of(
            List.of("shop\\..*", "crm\\.customers"), List.of("shop\\.tmp_.*", "shop\\.order items_bak"));

    @Test
    void includeAndExclude() {
        assertThat(filter.includes("shop", "orders")).isTrue();
        assertThat(filter.includes("crm", "customers")).isTrue();
        assertThat(filter.includes("crm", "leads")).isFalse();
        assertThat(filter.includes("shop", "tmp_orders")).isFalse();
        assertThat(filter.includes("other", "orders")).isFalse();
    }

    @Test
    void patternsMustMatchTheWholeQualifiedName() {
        // escaped dot: 'shopx.orders' is not in database 'shop'
        assertThat(filter.includes("shopx", "orders")).isFalse();
        // matches(), not find(): 'crm.customers' must not match 'crm.customers2' or 'xcrm.customers'
        assertThat(filter.includes("crm", "customers2")).isFalse();
        assertThat(filter.includes("xcrm", "customers")).isFalse();
    }

    @Test
    void namesWithSpacesQuotesAndDots() {
        assertThat(filter.includes("shop", "order items")).isTrue();
        assertThat(filter.includes("shop", "order items_bak")).isFalse();
        assertThat(filter.includes("shop", "`orders`")).isTrue();
        assertThat(filter.includes("shop", "a.b")).isTrue();
        assertThat(filter.includes("shop.order items")).isTrue();

        TableFilter literal = TableFilter.of(List.of("shop\\.order items"), List.of());
        assertThat(literal.includes("shop", "order items")).isTrue();
        assertThat(literal.includes("shop", "order_items")).isFalse();
        assertThat(literal.includes("shop", "`order items`")).isFalse();
    }

    @Test
    void caseSensitive() {
        assertThat(filter.includes("SHOP", "orders")).isFalse();
        assertThat(TableFilter.of(List.of("(?i)shop\\..*"), List.of()).includes("SHOP", "Orders")).isTrue();
    }

    @Test
    void excludeWithoutMatchingIncludeIsStillExcluded() {
        TableFilter f = TableFilter.of(List.of(".*"), List.of("mysql\\..*", ".*\\.ferry_.*"));
        assertThat(f.includes("shop", "orders")).isTrue();
        assertThat(f.includes("mysql", "user")).isFalse();
        assertThat(f.includes("shop", "ferry_heartbeat")).isFalse();
    }

    @Test
    void accessorsSerializationAndEquality() {
        assertThat(filter.includePatterns()).containsExactly("shop\\..*", "crm\\.customers");
        assertThat(filter.excludePatterns()).containsExactly("shop\\.tmp_.*", "shop\\.order items_bak");
        TableFilter copy = ChannelConfigTest.roundTrip(filter);
        assertThat(copy).isEqualTo(filter).hasSameHashCodeAs(filter).hasToString(filter.toString());
        assertThat(copy.includes("shop", "orders")).isTrue();
        assertThat(copy.includes("shop", "tmp_x")).isFalse();
        assertThatThrownBy(() -> TableFilter.of(List.of("("), List.of())).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void fromChannelFile() {
        ChannelConfig config = ConfigFixtures.parse(ConfigFixtures.twoWay("").replace(
                "include: ['shop\\..*']", "include: ['shop\\..*']\n  exclude: ['shop\\.order items']"));
        assertThat(config.tableFilter().includes("shop", "orders")).isTrue();
        assertThat(config.tableFilter().includes("shop", "order items")).isFalse();
    }

    @Test
    void theDatabasesAnIncludeNamesLiterallyAreKnownWithoutAServer() {
        TableFilter f = TableFilter.of(List.of("shop\\..*", "crm\\.customers", "my\\-db\\..*", "log_.*\\..*", ".*",
                "(a|b)\\..*"), List.of());
        assertThat(f.literalDatabases()).containsExactly("crm", "my-db", "shop");
        assertThat(TableFilter.literalDatabase("log_.*\\..*")).isEmpty();
    }
}
