package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A restart loop read from Flink's exception history (the JSON shape of Flink 1.20's /jobs/:id/exceptions). */
class JobFailuresTest {
    private static final long NOW = 10_000_000L;
    private static final String TRACE = "org.apache.flink.runtime.JobException: Recovery is suppressed\\n\\tat x\\n"
            + "Caused by: java.sql.SQLException: Check constraint 'positive' is violated\\n\\tat y";

    @Test
    void twoRecentFailuresAreARestartLoopNamedByTheNewestRootCause() throws Exception {
        JsonNode entries = entries(entry(NOW - 5_000, TRACE), entry(NOW - 60_000, "java.lang.RuntimeException: older"));
        JobFailures f = JobFailures.of(entries, 2, "sh->us", "sh", NOW);
        assertThat(f.recent()).isEqualTo(2);
        assertThat(f.restarts()).isEqualTo(2);
        assertThat(f.lastAgeMs()).isEqualTo(5_000);
        assertThat(f.lastReason()).isEqualTo("java.sql.SQLException: Check constraint 'positive' is violated");
        assertThat(f.restartLoop()).isTrue();
    }

    @Test
    void oneFailureIsARestartNotALoop() throws Exception {
        JobFailures f = JobFailures.of(entries(entry(NOW - 5_000, TRACE)), 1, "sh->us", "sh", NOW);
        assertThat(f.restartLoop()).isFalse();
    }

    /** A site back after an outage: the job failed twice during it and has run since. */
    @Test
    void aJobThatHasRunAMinuteSinceItsLastFailureIsOutOfItsLoopWhileItsFailuresStayListed() throws Exception {
        long last = NOW - JobFailures.STABLE.toMillis();
        JobFailures f = JobFailures.of(entries(entry(last, TRACE), entry(last - 10_000, TRACE)), 2, "sh->us", "sh",
                NOW);
        assertThat(f.recent()).isEqualTo(2);
        assertThat(f.restartLoop()).isFalse();
        JobFailures aMomentEarlier = JobFailures.of(entries(entry(last + 1, TRACE), entry(last - 10_000, TRACE)), 2,
                "sh->us", "sh", NOW);
        assertThat(aMomentEarlier.restartLoop()).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws Exception {
        long old = NOW - JobFailures.WINDOW.toMillis() - 1;
        JobFailures f = JobFailures.of(entries(entry(old, TRACE), entry(old - 1000, TRACE)), 2, "sh->us", "sh", NOW);
        assertThat(f.recent()).isZero();
        assertThat(f.restartLoop()).isFalse();
        assertThat(f.lastReason()).as("still named").contains("Check constraint");
    }

    @Test
    void aKnownFailureIsExplainedWithItsFix() throws Exception {
        String purged = "java.lang.IllegalStateException: The connector is trying to read binlog starting at x, but this"
                + " is no longer available on the server.";
        JobFailures f = JobFailures.of(entries(entry(NOW - 1, purged)), 1, "sh->us", "sh", NOW);
        assertThat(f.lastReason()).contains("purged at site 'sh'").contains("Fix:");
    }

    private static String entry(long at, String trace) {
        return "{\"exceptionName\": \"x\", \"timestamp\": " + at + ", \"stacktrace\": \"" + trace + "\"}";
    }

    private static JsonNode entries(String... entries) throws Exception {
        return new ObjectMapper().readTree("[" + String.join(",", entries) + "]");
    }
}
