package org.mustjava.experiments.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mustjava.experiments.finetune.CellResult;
import org.mustjava.experiments.finetune.GridCell;

/**
 * {@code results.md}: the results table as the paper prints it (rows = pre-trainings, columns =
 * downstream tasks with their metric), then a second table naming the grid cell behind each entry.
 */
public final class ResultsMarkdown {
  private ResultsMarkdown() {}

  public static String format(ResultsTable table) {
    StringBuilder sb = new StringBuilder("# Results\n\n");
    sb.append("Rows: pre-trainings. Columns: downstream tasks, with the metric on their eval split "
        + "(\u2191 higher is better, \u2193 lower is better). Each entry is the pre-training's best fine-tuning grid cell "
        + "for the task; with several seeds, the best cell of each seed, as mean \u00b1 sample standard deviation over "
        + "n seeds.\n\n");
    sb.append(resultsTable(table)).append('\n');
    sb.append("## Grid cells behind each entry\n\n");
    sb.append(cellsTable(table));
    List<String> notes = incomplete(table);
    if (!notes.isEmpty()) {
      sb.append("\nNot every grid cell has finished:\n");
      for (String n : notes) sb.append("- ").append(n).append('\n');
    }
    return sb.toString();
  }

  /** The first table alone (what the launcher prints). */
  public static String resultsTable(ResultsTable table) {
    List<String> header = new ArrayList<>();
    header.add("pre-training");
    for (ResultsTable.Column c : table.columns()) {
      header.add(c.task() + ": " + c.metric() + (c.higherIsBetter() ? " \u2191" : " \u2193"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (String p : table.pretrainings()) {
      List<String> row = new ArrayList<>();
      row.add(p);
      for (ResultsTable.Column c : table.columns()) row.add(table.entry(p, c.task()).map(ResultsMarkdown::value).orElse(""));
      rows.add(row);
    }
    return markdown(header, rows);
  }

  static String cellsTable(ResultsTable table) {
    List<String> header = new ArrayList<>();
    header.add("pre-training");
    for (ResultsTable.Column c : table.columns()) header.add(c.task());
    List<List<String>> rows = new ArrayList<>();
    for (String p : table.pretrainings()) {
      List<String> row = new ArrayList<>();
      row.add(p);
      for (ResultsTable.Column c : table.columns()) row.add(table.entry(p, c.task()).map(ResultsMarkdown::cells).orElse(""));
      rows.add(row);
    }
    return markdown(header, rows);
  }

  /** {@code 0.4123 ± 0.0100 (n=3)}, {@code 0.4123} for one run, {@code n/a} without a result. */
  public static String value(ResultsTable.Entry e) {
    if (e.n() == 0) return "n/a";
    String mean = number(e.mean());
    if (e.best().size() == 1 && e.best().get(0).seed() == null) return mean;
    return e.n() > 1 ? mean + " \u00b1 " + number(e.sd()) + " (n=" + e.n() + ")" : mean + " (n=1)";
  }

  /** The selected cells: {@code lr 0.04, 300 steps}, grouped over seeds that chose the same one. */
  public static String cells(ResultsTable.Entry e) {
    if (e.best().isEmpty()) return "none finished with a result";
    Map<String, List<String>> bySetting = new LinkedHashMap<>();
    for (CellResult r : e.best()) {
      String setting = "lr " + GridCell.formatRate(r.learningRate()) + ", " + r.steps() + " steps";
      bySetting.computeIfAbsent(setting, k -> new ArrayList<>()).add(Optional.ofNullable(r.seed()).map(String::valueOf).orElse(""));
    }
    if (e.best().get(0).seed() == null) return bySetting.keySet().iterator().next();
    List<String> parts = new ArrayList<>();
    bySetting.forEach((setting, seeds) -> parts.add((seeds.size() == 1 ? "seed " : "seeds ") + String.join(", ", seeds)
        + ": " + setting));
    return String.join("; ", parts);
  }

  static String number(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  static List<String> incomplete(ResultsTable table) {
    List<String> notes = new ArrayList<>();
    for (String p : table.pretrainings()) {
      for (ResultsTable.Column c : table.columns()) {
        table.entry(p, c.task()).filter(e -> !e.complete()).ifPresent(e -> notes.add(
            p + " / " + c.task() + ": " + e.cellsDone() + " of " + e.cellsTotal() + " cells"));
      }
    }
    return notes;
  }

  static String markdown(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? "---|" : "---:|");
    sb.append('\n');
    for (List<String> row : rows) sb.append("| ").append(String.join(" | ", row.stream().map(s -> s.replace("|", "\\|")).toList())).append(" |\n");
    return sb.toString();
  }
}
