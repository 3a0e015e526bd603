package dev.ferry.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** MySQL server_ids for test servers, whoever starts them. */
final class ServerIds {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ServerIds() {
    }

    /** Unique per JVM, and across JVMs as long as their pids differ modulo 2,000,000. Never 0. */
    static int next() {
        long pid = ProcessHandle.current().pid() % 2_000_000L;
        return (int) (pid * 1000 + SEQUENCE.getAndIncrement() % 999 + 1);
    }
}
