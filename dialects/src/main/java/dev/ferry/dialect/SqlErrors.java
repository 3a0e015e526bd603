package dev.ferry.dialect;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.BiPredicate;

/**
 * Classifies an error from any database Ferry knows, for code that does not know which one raised it: each
 * {@link DialectFactory} is asked about every exception in the cause chain. The codes of different databases do not
 * collide for these questions.
 */
public final class SqlErrors {
    private SqlErrors() {}

    /** Whether the connection broke (SQLSTATE class 08, or an I/O failure underneath). */
    public static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof SQLRecoverableException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** A deadlock: the server rolled back the whole transaction (see {@link DialectFactory#isDeadlock}). */
    public static boolean isDeadlock(SQLException e) {
        return anyCause(e, DialectFactory::isDeadlock);
    }

    /** A lock wait time-out: only the statement was rolled back (see {@link DialectFactory#isLockWaitTimeout}). */
    public static boolean isLockWaitTimeout(SQLException e) {
        return anyCause(e, DialectFactory::isLockWaitTimeout);
    }

    /**
     * Whether this error alone, not its causes, may pass if the work is tried again: a transient exception, or an
     * error a database calls retriable (see {@link DialectFactory#isRetriable}). A lost connection is another reason.
     */
    public static boolean isRetriableAlone(Throwable t) {
        return t instanceof SQLTransientException
                || t instanceof SQLException s && Dialects.factories().stream().anyMatch(f -> f.isRetriable(s));
    }

    private static boolean anyCause(SQLException e, BiPredicate<DialectFactory, SQLException> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (DialectFactory f : Dialects.factories()) {
                    if (test.test(f, s)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
