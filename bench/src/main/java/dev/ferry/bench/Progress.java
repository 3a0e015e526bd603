package dev.ferry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the benchmark tells as it goes: time-stamped progress lines, and the problems kept for the report. */
final class Progress {
    private final long startNanos = System.nanoTime();
    private final List<String> problems = new ArrayList<>();

    /** Prints {@code line} with the seconds since the start. */
    void say(String line) {
        System.out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsedSeconds(), line);
        System.out.flush();
    }

    /** Notes something that went wrong; the report lists it at the end. */
    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    double elapsedSeconds() {
        return seconds(System.nanoTime() - startNanos);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
