package org.mustjava.core.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Progress lines every N steps: step, losses, learning rate, images/s, ETA. On a terminal
 * ({@code System.console() != null}) the line is redrawn in place with a progress bar; otherwise
 * (logs, CI, child processes) each report is one plain line.
 */
public final class ProgressLogger {
  private final PrintStream out;
  private final boolean terminal;
  private final long totalSteps;
  private boolean lineOpen;

  public ProgressLogger(PrintStream out, boolean terminal, long totalSteps) {
    this.out = out;
    this.terminal = terminal;
    this.totalSteps = totalSteps;
  }

  /** Plain lines unless stdout is a terminal. */
  public static ProgressLogger forStdout(long totalSteps) {
    return new ProgressLogger(System.out, System.console() != null, totalSteps);
  }

  public void report(long step, Map<String, Double> losses, double learningRate, double imagesPerSecond,
      double secondsLeft) {
    StringBuilder sb = new StringBuilder();
    if (terminal) sb.append('\r').append(bar(step)).append(' ');
    sb.append(String.format(Locale.ROOT, "step %d/%d", step, totalSteps));
    losses.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
    sb.append(String.format(Locale.ROOT, " lr=%.4g %.1f img/s ETA %s", learningRate, imagesPerSecond,
        eta(secondsLeft)));
    if (terminal) {
      sb.append("\u001b[K"); // clear the rest of the previous, possibly longer, line
      out.print(sb);
      lineOpen = true;
      if (step >= totalSteps) finishLine();
    } else {
      out.println(sb);
    }
    out.flush();
  }

  /** A message on its own line (ends a progress line in place first). */
  public void message(String text) {
    finishLine();
    out.println(text);
    out.flush();
  }

  private void finishLine() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }

  String bar(long step) {
    int width = 24;
    int filled = totalSteps <= 0 ? width : (int) Math.min(width, width * step / totalSteps);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  static String eta(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) return "?";
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
