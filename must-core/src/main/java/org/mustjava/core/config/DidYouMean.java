package org.mustjava.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** "did you mean ..." suggestions by edit distance (Damerau-Levenshtein, optimal string alignment). */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * Up to three candidates close to {@code word}, closest first, formatted as {@code ; did you
   * mean 'X'?} (or {@code 'X' or 'Y'}), or "" when nothing is close.
   */
  static String suggest(String word, Collection<String> candidates) {
    List<String> close = closest(word, candidates);
    if (close.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("; did you mean ");
    for (int i = 0; i < close.size(); i++) {
      if (i > 0) {
        out.append(i == close.size() - 1 ? " or " : ", ");
      }
      out.append('\'').append(close.get(i)).append('\'');
    }
    return out.append('?').toString();
  }

  static List<String> closest(String word, Collection<String> candidates) {
    // A typo budget that grows with length; very short names only match up to letter case.
    int n = word.length();
    int budget = n < 3 ? 1 : n < 6 ? 1 : n < 12 ? 2 : 3;
    int best = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      boolean close = n < 3 ? c.equalsIgnoreCase(word) : d <= budget;
      if (!c.equals(word) && close) {
        best = Math.min(best, d);
      }
    }
    // Only the closest candidates: a one-letter typo should not also suggest a three-letter one.
    List<String> close = new ArrayList<>();
    for (String c : candidates) {
      if (!c.equals(word) && distance(word, c) == best && !close.contains(c)) {
        close.add(c);
      }
    }
    close.sort(null);
    return close.size() > 3 ? close.subList(0, 3) : close;
  }

  /** Edit distance where a case change costs nothing extra beyond one edit and a transposition is one edit. */
  static int distance(String a, String b) {
    if (a.equalsIgnoreCase(b)) {
      return a.equals(b) ? 0 : 1;
    }
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[][] d = new int[x.length() + 1][y.length() + 1];
    for (int i = 0; i <= x.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= y.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[x.length()][y.length()];
  }
}
