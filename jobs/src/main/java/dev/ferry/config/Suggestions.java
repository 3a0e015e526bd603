package dev.ferry.config;

import java.util.List;
import java.util.Locale;

/** "Did you mean" for channel files: the known word a likely typo stands for. */
final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code word} if it is close enough to be a likely typo, else {@code null}. */
    static String closest(String word, List<String> candidates) {
        String w = normalize(word);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String n = normalize(c);
            if (n.replace("-", "").equals(w.replace("-", ""))) {
                return c;
            }
            int d = distance(w, n);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int threshold = Math.max(1, Math.min(3, best.length() / 3));
        return bestDistance <= threshold ? best : null;
    }

    /** {@code "; did you mean 'x'?"} to append to an "unknown value" problem, or {@code ""} if nothing is close. */
    static String didYouMean(String word, List<String> candidates) {
        String suggestion = closest(word, candidates);
        return suggestion == null ? "" : "; did you mean '" + suggestion + "'?";
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
