package dev.ferry.dialect.check;

/**
 * The outcome of one check of a site, as a database's checks report it: what was seen and, unless it passed, the
 * fix. The caller adds the site's and the check's names.
 */
public record Verdict(Status status, String detail, String fix) {
    /** Passed, worth a look, or in the way of Ferry. */
    public enum Status { OK, WARN, FAIL }

    public static Verdict ok(String detail) {
        return new Verdict(Status.OK, detail, null);
    }

    public static Verdict warn(String detail, String fix) {
        return new Verdict(Status.WARN, detail, fix);
    }

    public static Verdict fail(String problem, String fix) {
        return new Verdict(Status.FAIL, problem, fix);
    }

    /** The problem and its fix as one sentence pair, as start-up errors print them. */
    public String message() {
        return detail + " Fix: " + fix;
    }
}
