package dev.ferry.operators.sink;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Which target errors are worth retrying. */
final class Retry {
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    /** Serialization failure (any database), PostgreSQL's deadlock and lock timeout. */
    private static final java.util.Set<String> RETRIABLE_STATES = java.util.Set.of("40001", "40P01", "55P03");

    private Retry() {}

    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof SQLRecoverableException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A deadlock: the server rolled back the whole transaction (MySQL/MariaDB 1213, PostgreSQL 40P01), where a lock
     * wait time-out (1205) rolls back only the statement.
     */
    static boolean isDeadlock(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == ER_LOCK_DEADLOCK || "40P01".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** A lock wait time-out (MySQL/MariaDB 1205, PostgreSQL 55P03): only the statement was rolled back. */
    static boolean isLockWaitTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                    || "55P03".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    static boolean isRetriable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException s
                    && (s.getErrorCode() == ER_LOCK_DEADLOCK || s.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                            || RETRIABLE_STATES.contains(s.getSQLState()))) {
                return true;
            }
        }
        return isConnectionLoss(e);
    }
}
