package dev.ferry.operators.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RetryTest {
    @Test
    void lockWaitsDeadlocksAndSerializationFailuresAreRetriedOnEveryTarget() {
        assertThat(Retry.isRetriable(new SQLException("lock wait timeout", "HY000", 1205))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("canceling statement due to lock timeout", "55P03"))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("wrapped", "XX000", 0,
                new SQLException("deadlock detected", "40P01")))).isTrue();
    }

    @Test
    void aDeadlockIsToldFromALockWaitTimeOut() {
        assertThat(Retry.isDeadlock(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(Retry.isDeadlock(new SQLException("wrapped", "XX000", 0,
                new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(Retry.isDeadlock(new SQLException("lock wait timeout", "40001", 1205))).isFalse();
        assertThat(Retry.isDeadlock(new SQLException("canceling statement due to lock timeout", "55P03"))).isFalse();
    }

    @Test
    void errorsThatARetryCannotCureAreNotRetried() {
        assertThat(Retry.isRetriable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Retry.isRetriable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Retry.isRetriable(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
    }

    @Test
    void aLostConnectionIsRetriedWithANewOne() {
        assertThat(Retry.isConnectionLoss(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(Retry.isRetriable(new SQLException("I/O error", "08006"))).isTrue();
    }
}
