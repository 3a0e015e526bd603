package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void aSwapOfNeighboursIsOneEdit() {
        assertThat(Suggestions.distance("startup", "startpu")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void caseUnderscoresAndDashesDoNotCount() {
        assertThat(Suggestions.closest("serverId", SiteConfig.KEYS)).isEqualTo("server-id");
        assertThat(Suggestions.closest("state_dir", ChannelConfig.KEYS)).isEqualTo("state-dir");
        assertThat(Suggestions.closest("batchsize", ApplyConfig.KEYS)).isEqualTo("batch-size");
    }

    @Test
    void onlyACloseEnoughCandidateIsSuggested() {
        assertThat(Suggestions.closest("usr", SiteConfig.KEYS)).isEqualTo("user");
        // a third of the candidate's length, at least 1 and at most 3 edits
        assertThat(Suggestions.closest("tp", List.of("to"))).isEqualTo("to");
        assertThat(Suggestions.closest("xy", List.of("to"))).isNull();
        assertThat(Suggestions.closest("zzzz", SiteConfig.KEYS)).isNull();
        assertThat(Suggestions.closest("anything", List.of())).isNull();
    }

    @Test
    void didYouMeanIsEmptyWithoutASuggestion() {
        List<String> policies = List.of("source-wins", "target-wins", "manual");
        assertThat(Suggestions.didYouMean("manul", policies)).isEqualTo("; did you mean 'manual'?");
        assertThat(Suggestions.didYouMean("qqqqqqq", policies)).isEmpty();
    }
}
