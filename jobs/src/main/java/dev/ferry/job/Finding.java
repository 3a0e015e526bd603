package dev.ferry.job;

/** Something a check found wrong at a site: what, and the exact fix. */
public record Finding(String problem, String fix) {
    /** The problem and its fix as one sentence pair, as start-up errors print them. */
    public String message() {
        return problem + " Fix: " + fix;
    }
}
