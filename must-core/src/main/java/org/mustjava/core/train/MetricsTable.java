package org.mustjava.core.train;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics as people read them at the end of a run or an evaluation: one metric a line, names
 * aligned, values right-aligned at 4 significant digits (a raw {@code {a=0.123456789, ...}} map
 * hides the few digits that matter).
 *
 * <pre>
 *   accuracy  0.5000
 *   loss       2.346
 * </pre>
 */
public final class MetricsTable {
  private static final int SIGNIFICANT_DIGITS = 4;

  private MetricsTable() {}

  /** The table, one {@code "  name  value"} line per metric in the map's order, no final newline. */
  public static String format(Map<String, Double> metrics) {
    if (metrics.isEmpty()) return "  (none)";
    int nameWidth = 0;
    int valueWidth = 0;
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      nameWidth = Math.max(nameWidth, e.getKey().length());
      valueWidth = Math.max(valueWidth, number(e.getValue()).length());
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      if (out.length() > 0) out.append('\n');
      out.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s  %" + valueWidth + "s", e.getKey(),
          number(e.getValue())));
    }
    return out.toString();
  }

  /**
   * {@code value} at 4 significant digits, trailing zeros kept (0.5 -> {@code 0.5000}); plain
   * between 1e-4 and 1e6, scientific outside ({@code 1.235e+06}); {@code NaN} and infinities as Java
   * prints them.
   */
  public static String number(double value) {
    if (!Double.isFinite(value)) return Double.toString(value);
    if (value == 0) return "0.000";
    double magnitude = Math.abs(value);
    if (magnitude < 1e-4 || magnitude >= 1e6) {
      return String.format(Locale.ROOT, "%." + (SIGNIFICANT_DIGITS - 1) + "e", value);
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1; // of the leading digit
    return rounded.setScale(Math.max(0, SIGNIFICANT_DIGITS - 1 - exponent), RoundingMode.UNNECESSARY).toPlainString();
  }
}
