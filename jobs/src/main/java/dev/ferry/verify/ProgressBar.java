package dev.ferry.verify;

import java.io.PrintStream;

/** One line on a terminal that redraws itself: what is being compared and how far along it is. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** Shows {@code done} of about {@code expected} chunks (the expected count is an estimate). */
    void show(String what, int done, long expected) {
        long total = Math.max(expected, done);
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        out.print("\r" + what + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total
                + " chunks ");
        out.flush();
    }

    void done(String line) {
        out.print("\r" + " ".repeat(WIDTH + 80) + "\r");
        out.println(line);
    }
}
