package dev.ferry.bench;

import java.time.Duration;

/**
 * CPU time of the lab's JVM and every process it started (the database servers): what one system costs to replicate,
 * with the same paced writers and pollers in it for each system. The router runs outside (wan.sh starts it), and other
 * processes of the machine are not counted.
 */
final class ProcessCpu {
    private ProcessCpu() {}

    /** User and system CPU so far of this JVM and its descendants (a process that ended is no longer counted). */
    static Duration ofThisJvmAndItsChildren() {
        Duration total = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            total = total.plus(p.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return total;
    }

    /** A reading taken when the measured window opens, on a thread of its own; {@code null} until then. */
    static final class AtWindowStart {
        private volatile Duration reading;
        private final Thread thread;

        AtWindowStart(long windowFromMs) {
            thread = new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, windowFromMs - System.currentTimeMillis())); // a point in time, not a wait
                } catch (InterruptedException e) {
                    return;
                }
                reading = ofThisJvmAndItsChildren();
            }, "cpu-at-window-start");
            thread.setDaemon(true);
            thread.start();
        }

        Duration reading() throws InterruptedException {
            thread.join();
            return reading;
        }
    }
}
