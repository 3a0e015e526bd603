package dev.ferry.operators.sink;

import dev.ferry.dialect.SqlErrors;
import java.sql.SQLException;

/**
 * Which target errors are worth retrying. The databases' codes are their dialects' ({@link SqlErrors}); the sink
 * asks here, without knowing which database raised the error.
 */
final class Retry {
    private Retry() {}

    static boolean isConnectionLoss(SQLException e) {
        return SqlErrors.isConnectionLoss(e);
    }

    /**
     * A deadlock: the server rolled back the whole transaction (MySQL/MariaDB 1213, PostgreSQL 40P01), where a lock
     * wait time-out rolls back only the statement.
     */
    static boolean isDeadlock(SQLException e) {
        return SqlErrors.isDeadlock(e);
    }

    /** A lock wait time-out (MySQL/MariaDB 1205, PostgreSQL 55P03): only the statement was rolled back. */
    static boolean isLockWaitTimeout(SQLException e) {
        return SqlErrors.isLockWaitTimeout(e);
    }

    /**
     * Retriable anywhere in the chain, or a lost connection. An error without SQLSTATE is classified like any other
     * (until session 18 it threw NullPointerException here, so a closed connection failed the job with that instead
     * of being retried).
     */
    static boolean isRetriable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (SqlErrors.isRetriableAlone(t)) {
                return true;
            }
        }
        return SqlErrors.isConnectionLoss(e);
    }
}
