package dev.ferry.operators.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The advice in the warning of a failed heartbeat write (issue 19: an outage was answered with "grant INSERT"). */
class HeartbeatWriterTest {

    @Test
    void anUnreachableSiteIsNoMatterOfGrants() {
        assertThat(HeartbeatWriter.fixFor(new SQLException("Communications link failure", "08S01", 0)))
                .contains("unreachable").doesNotContain("grant");
    }

    @Test
    void aMissingPrivilegeNamesTheGrant() {
        assertThat(HeartbeatWriter.fixFor(new SQLException("INSERT command denied to user 'ferry'", "42000", 1142)))
                .contains("grant the Ferry user INSERT, UPDATE on ferry.*");
        assertThat(HeartbeatWriter.fixFor(new SQLException("Access denied for user 'ferry'", "28000", 1045)))
                .contains("grant");
    }
}
