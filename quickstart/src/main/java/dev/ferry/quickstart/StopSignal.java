package dev.ferry.quickstart;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM. These handlers replace the JVM's own, which would run the shutdown hooks and
 * tear Flink down before the job could stop with a savepoint; the main loop does the stopping instead.
 */
final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger count = new AtomicInteger();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    void install(Runnable onSecondSignal) {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, s -> {
                    if (count.incrementAndGet() == 1) {
                        System.out.println();
                        System.out.println("SIG" + s.getName() + " received: stopping cleanly (again to force).");
                        requested.countDown();
                    } else {
                        onSecondSignal.run();
                    }
                });
                signals.add(signal);
                previous.add(old);
            } catch (IllegalArgumentException unsupported) {
                // e.g. a signal this platform does not have; Ctrl-C still ends the JVM the usual way
            }
        }
    }

    void uninstall() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException ignored) {
                // nothing to restore
            }
        }
        signals.clear();
        previous.clear();
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code nanos}; true if a stop was requested. */
    boolean await(long nanos) throws InterruptedException {
        return nanos > 0 ? requested.await(nanos, TimeUnit.NANOSECONDS) : requested();
    }
}
