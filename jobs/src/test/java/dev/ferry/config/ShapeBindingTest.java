package dev.ferry.config;

import static dev.ferry.config.ConfigFixtures.errors;
import static dev.ferry.config.ConfigFixtures.twoWay;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ChannelConfigException.Problem;
import org.junit.jupiter.api.Test;

/** What Jackson's binding of the file's shape ({@link FileShape}, {@link ShapeBinder}) reports. */
class ShapeBindingTest {

    @Test
    void anUnknownKeyNamesItsLine() {
        ChannelConfigException e = errors(twoWay("apply:\n  mode: transactional\n  writers: 2\n"));
        assertThat(e.getMessage()).isEqualTo("demo.yaml: apply.writers: unknown key (line 18). Fix: remove it; valid"
                + " keys in 'apply' are: mode, parallelism, batch-size.");
        assertThat(e.problems()).extracting(Problem::path).containsExactly("apply.writers");
    }

    @Test
    void unknownKeysInTwoSectionsAreBothReported() {
        String yaml = twoWay("conflicts:\n  default: { priority: sh, comapre: all }\n")
                .replace("    user: ferry\n    password: \"${env:US_PASSWORD}\"",
                        "    user: ferry\n    pasword: \"${env:US_PASSWORD}\"");
        ChannelConfigException e = errors(yaml);
        assertThat(e.getMessage().lines()).contains(
                "demo.yaml: sites.us.pasword: unknown key (line 10); did you mean 'password'? "
                        + "Fix: rename 'pasword' to 'password'.",
                "demo.yaml: conflicts.default.comapre: unknown key (line 17); did you mean 'compare'? "
                        + "Fix: rename 'comapre' to 'compare'.");
        // the misspelt password also leaves the site without one
        assertThat(e.problems()).extracting(Problem::path)
                .containsExactly("sites.us.pasword", "sites.us.password", "conflicts.default.comapre");
    }

    @Test
    void textWhereANumberBelongsNamesTheKeyWithoutAStackTrace() {
        ChannelConfigException e = errors(twoWay("apply: { parallelism: four }\n"));
        assertThat(e.getMessage()).isEqualTo("demo.yaml: apply.parallelism: expected an integer, got text. Fix: write"
                + " a whole number of at least 1 without quotes, e.g. 'parallelism: 4'.");
        assertThat(e.getCause()).isNull();
        assertThat(e.getMessage()).doesNotContain("Exception", "jackson", "\tat ");
    }

    @Test
    void anEmptyValueIsNotAMissingKey() {
        assertThat(errors(twoWay("state-dir:\n")).getMessage())
                .startsWith("demo.yaml: state-dir: has no value.");
    }
}
