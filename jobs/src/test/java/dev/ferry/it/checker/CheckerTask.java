package dev.ferry.it.checker;

/**
 * A thread's work in a checker run (a client, the schema changes, the faults). What ends it other than the run's
 * stop flag is kept, so the run can fail as a bug of the checker rather than report violations.
 */
abstract class CheckerTask implements Runnable {
    private volatile Throwable failure;

    /** The work; returns when the run stops. */
    abstract void work() throws Exception;

    @Override
    public final void run() {
        try {
            work();
        } catch (Exception | Error e) {
            failure = e;
        }
    }

    /** What ended the task other than the stop flag; null if nothing. */
    public Throwable failure() {
        return failure;
    }
}
