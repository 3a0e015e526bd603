package dev.ferry.quickstart;

/**
 * {@code shop.orders} at both sites at one moment.
 *
 * @param shRows rows at sh, or -1 if they could not be counted
 * @param usRows rows at us, or -1 if they could not be counted (e.g. the table is not there yet)
 * @param inSync true if both sites hold exactly the same rows with the same values
 * @param ticksBehind if not in sync: us holds exactly what sh held this many changes (seconds) ago, or -1 if
 *                    us matches none of sh's recent states (e.g. during the initial copy)
 */
public record Status(long shRows, long usRows, boolean inSync, int ticksBehind) {

    /** The status as printed once a second, e.g. {@code sh 12 rows | us 12 rows | in sync}. */
    public String line() {
        String state;
        if (inSync) {
            state = "in sync";
        } else if (shRows < 0 || usRows < 0) {
            state = "not comparable yet";
        } else if (ticksBehind > 0) {
            state = "us matches sh as it was " + ticksBehind + " s ago";
        } else if (usRows < shRows) {
            state = "us catching up (" + rows(shRows - usRows) + " behind)";
        } else {
            state = "us catching up (changes on their way)";
        }
        return "sh " + rows(shRows) + " | us " + rows(usRows) + " | " + state;
    }

    private static String rows(long n) {
        return n < 0 ? "? rows" : n == 1 ? "1 row" : n + " rows";
    }
}
