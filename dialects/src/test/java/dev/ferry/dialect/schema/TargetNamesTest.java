package dev.ferry.dialect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetNamesTest {

    @Test
    void appliesTheCase() {
        assertThat(new TargetNames(IdentifierCase.PRESERVE, 30, "X").of("MixedCase")).isEqualTo("MixedCase");
        assertThat(new TargetNames(IdentifierCase.UPPER, 30, "X").of("MixedCase")).isEqualTo("MIXEDCASE");
        assertThat(new TargetNames(IdentifierCase.LOWER, 30, "X").of("MixedCase")).isEqualTo("mixedcase");
    }

    @Test
    void derivedNamesKeepTheirStartAndEndInAHashWhenTooLong() {
        TargetNames names = new TargetNames(IdentifierCase.LOWER, 20, "X");
        assertThat(names.derived("Orders", "ByName")).isEqualTo("orders_byname");
        String a = names.derived("orders", "by_customer_and_day");
        String b = names.derived("orders", "by_customer_and_month");
        assertThat(a).hasSize(20).startsWith("orders_by_c").isNotEqualTo(b);
        // multi-byte letters are never cut in half
        assertThat(names.derived("éééééééééé", "x")).matches("é{5}_[0-9a-f]{8}");
    }

    @Test
    void tooSmallALimitIsAConfigurationError() {
        assertThatThrownBy(() -> new TargetNames(IdentifierCase.UPPER, 8, "Oracle"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8");
    }
}
