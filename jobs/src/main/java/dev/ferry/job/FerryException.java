package dev.ferry.job;

/**
 * A problem the user can fix: the message names the thing, the reason and the fix, and is shown
 * without a stack trace.
 */
public final class FerryException extends RuntimeException {
    public FerryException(String message) {
        super(message);
    }

    public FerryException(String message, Throwable cause) {
        super(message, cause);
    }
}
