package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the four answers of {@link Retry} for the errors of every target, alone and as a cause, since the codes moved
 * into the dialects: lock wait time-out, deadlock, retriable, connection loss.
 */
class RetryClassificationTest {

    private record Case(String what, SQLException error, boolean lockWait, boolean deadlock, boolean retriable,
            boolean connectionLoss) {}

    private static final List<Case> CASES = List.of(
            new Case("MySQL lock wait", new SQLException("m", "HY000", 1205), true, false, true, false),
            new Case("MySQL deadlock", new SQLException("m", "40001", 1213), false, true, true, false),
            new Case("1213 without state", new SQLException("m", null, 1213), false, true, true, false),
            new Case("serialization failure", new SQLException("m", "40001"), false, false, true, false),
            new Case("PostgreSQL deadlock", new SQLException("m", "40P01"), false, true, true, false),
            new Case("PostgreSQL lock timeout", new SQLException("m", "55P03"), true, false, true, false),
            new Case("connection refused", new SQLException("m", "08001"), false, false, true, true),
            new Case("link failure", new SQLException("m", "08S01", 0), false, false, true, true),
            new Case("I/O error", new SQLException("m", "08006"), false, false, true, true),
            new Case("transient", new SQLTransientException("m"), false, false, true, false),
            new Case("recoverable", new SQLRecoverableException("m", "HY000"), false, false, true, true),
            new Case("I/O cause", new SQLException("m", "HY000", 0, new IOException("reset")), false, false, true, true),
            new Case("duplicate key", new SQLException("m", "23000", 1062), false, false, false, false),
            new Case("PostgreSQL duplicate", new SQLException("m", "23505"), false, false, false, false),
            new Case("Oracle deadlock", new SQLException("m", "61000", 60), false, false, false, false),
            new Case("access denied", new SQLException("m", "28000", 1045), false, false, false, false));

    @Test
    void eachErrorAlone() {
        for (Case c : CASES) {
            assertAnswers(c.what(), c.error(), c);
        }
    }

    /** A batch reports the statement's error as its cause: the same answers, two levels down too. */
    @Test
    void eachErrorAsACause() {
        for (Case c : CASES) {
            SQLException once = new SQLException("batch", "HY000", 0, c.error());
            assertAnswers(c.what() + " as cause", once, c);
            assertAnswers(c.what() + " as cause of a cause", new SQLException("outer", "XX000", 0, once), c);
        }
    }

    /**
     * An error without SQLSTATE (a driver's closed connection, the dialect's own binding error) is classified like any
     * other; it threw NullPointerException from isRetriable until session 18.
     */
    @Test
    void anErrorWithoutStateIsClassifiedToo() {
        SQLException noState = new SQLException("cannot bind");
        assertThat(Retry.isRetriable(noState)).isFalse();
        assertThat(Retry.isRetriable(new SQLException("batch", "HY000", 0, noState))).isFalse();
        assertThat(Retry.isRetriable(new SQLException("m", null, 0, new SQLException("m", "40001")))).isTrue();
        assertThat(Retry.isRetriable(new SQLRecoverableException("closed"))).as("a lost connection").isTrue();
        assertThat(Retry.isConnectionLoss(new SQLRecoverableException("closed"))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("m", null, 1213))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("m", "40001", 0, noState))).isTrue();
        assertThat(Retry.isRetriable(new SQLTransientException("m"))).isTrue();
        assertThat(Retry.isDeadlock(noState)).isFalse();
        assertThat(Retry.isLockWaitTimeout(noState)).isFalse();
        assertThat(Retry.isConnectionLoss(noState)).isFalse();
    }

    private static void assertAnswers(String what, SQLException e, Case c) {
        assertThat(Retry.isLockWaitTimeout(e)).as(what + ": lock wait time-out").isEqualTo(c.lockWait());
        assertThat(Retry.isDeadlock(e)).as(what + ": deadlock").isEqualTo(c.deadlock());
        assertThat(Retry.isRetriable(e)).as(what + ": retriable").isEqualTo(c.retriable());
        assertThat(Retry.isConnectionLoss(e)).as(what + ": connection loss").isEqualTo(c.connectionLoss());
    }
}
