package org.kextkit.harness.cli.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Suggest what a mistyped command or option name was probably meant to be: the known names within a
 * small edit distance (transpositions count as one edit), closest first.
 */
public final class Suggestions {
    private static final int MAX_DISTANCE = 2;
    private static final int MIN_LENGTH = 4;
    private static final int MAX_SUGGESTIONS = 3;

    private Suggestions() {
    }

    /**
     * Return up to three of the names closest to {@code typed} (all at the same, smallest distance);
     * none for very short input, where everything is close.
     */
    public static List<String> closest(String typed, Collection<String> names) {
        List<String> result = new ArrayList<>();
        if (typed.length() < MIN_LENGTH) {
            return result;
        }
        int best = MAX_DISTANCE;
        for (String name : names) {
            int d = distance(typed, name);
            if (d < best) {
                best = d;
                result.clear();
            }
            if (d == best) {
                result.add(name);
            }
        }
        result.sort(Comparator.naturalOrder());
        return result.size() > MAX_SUGGESTIONS ? result.subList(0, MAX_SUGGESTIONS) : result;
    }

    /** Return the optimal-string-alignment distance between {@code a} and {@code b}. */
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
