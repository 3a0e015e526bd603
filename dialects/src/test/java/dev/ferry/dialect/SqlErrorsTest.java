package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void lockErrorsOfEveryDatabaseAlsoAsACause() {
        SQLException wrapped = new SQLException("batch failed", "HY000", 0, new SQLException("deadlock", "40P01"));
        assertThat(SqlErrors.isDeadlock(wrapped)).isTrue();
        assertThat(SqlErrors.isDeadlock(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(SqlErrors.isLockWaitTimeout(new SQLException("lock wait", "HY000", 1205))).isTrue();
        assertThat(SqlErrors.isLockWaitTimeout(new SQLException("lock timeout", "55P03"))).isTrue();
        assertThat(SqlErrors.isLockWaitTimeout(new SQLException("deadlock", "40001", 1213))).isFalse();
    }

    @Test
    void retriableAndConnectionLoss() {
        assertThat(SqlErrors.isRetriableAlone(new SQLTransientConnectionException("gone"))).isTrue();
        assertThat(SqlErrors.isRetriableAlone(new SQLException("serialization", "40001"))).isTrue();
        assertThat(SqlErrors.isRetriableAlone(new SQLException("lock wait", "HY000", 1205))).isTrue();
        assertThat(SqlErrors.isRetriableAlone(new SQLException("no state"))).isFalse();
        assertThat(SqlErrors.isRetriableAlone(new SQLException("duplicate", "23000", 1062))).isFalse();
        assertThat(SqlErrors.isRetriableAlone(new SQLException("wrapped", "HY000", 0,
                new SQLException("serialization", "40001")))).isFalse();
        assertThat(SqlErrors.isConnectionLoss(new SQLException("link failure", "08S01"))).isTrue();
        assertThat(SqlErrors.isConnectionLoss(new SQLRecoverableException("closed"))).isTrue();
        assertThat(SqlErrors.isConnectionLoss(new SQLException("read", "HY000", 0, new IOException("reset")))).isTrue();
        assertThat(SqlErrors.isConnectionLoss(new SQLException("syntax", "42000", 1064))).isFalse();
    }
}
