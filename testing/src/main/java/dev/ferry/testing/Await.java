package dev.ferry.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests: poll it with a deadline, never sleep for a fixed time and hope. */
public final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Await() {}

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} at the deadline. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        until(condition, timeout, what, Duration.ofNanos(POLL_NANOS));
    }

    /** As {@link #until(BooleanSupplier, Duration, String)}, polling every {@code interval} (an expensive check). */
    public static void until(BooleanSupplier condition, Duration timeout, String what, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(interval.toNanos());
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * Polls {@code condition} every 100 ms for the whole of {@code period} (a fault that lasts that long), failing
     * as soon as it does not hold.
     */
    public static void holds(BooleanSupplier condition, Duration period, String what) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding: " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
