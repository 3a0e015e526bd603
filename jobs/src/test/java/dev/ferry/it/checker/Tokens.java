package dev.ferry.it.checker;

import java.util.List;

/**
 * Tokens name the writes of the checker's clients: {@code (site index + 1) * 10^12 + counter}, so that a token tells
 * the site that issued it and, per site, the order. Every row version, every delete and every transaction gets
 * its own token from its site's counter.
 */
public final class Tokens {
    static final long SITE_SPAN = 1_000_000_000_000L;

    private Tokens() {}

    public static long of(int siteIndex, long counter) {
        if (counter <= 0 || counter >= SITE_SPAN) {
            throw new IllegalArgumentException("token counter out of range: " + counter);
        }
        return (siteIndex + 1) * SITE_SPAN + counter;
    }

    /** The index of the site that issued the token. */
    public static int site(long token) {
        return (int) (token / SITE_SPAN) - 1;
    }

    /** {@code sh#123}: readable in reports. */
    public static String format(Long token, List<String> sites) {
        if (token == null) {
            return "none";
        }
        int site = site(token);
        String name = site >= 0 && site < sites.size() ? sites.get(site) : "?" + site;
        return name + "#" + token % SITE_SPAN;
    }
}
