package org.mustjava.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code results.csv}: one row per pre-training; per downstream task four columns:
 * {@code <task> <metric> mean}, {@code <task> sd}, {@code <task> n} and {@code <task> grid cell}
 * (sd empty for fewer than two seeds, mean empty without a result).
 */
public final class ResultsCsv {
  private ResultsCsv() {}

  public static String format(ResultsTable table) {
    List<String> header = new ArrayList<>();
    header.add("pretraining");
    for (ResultsTable.Column c : table.columns()) {
      header.add(c.task() + " " + c.metric() + " mean");
      header.add(c.task() + " sd");
      header.add(c.task() + " n");
      header.add(c.task() + " grid cell");
    }
    StringBuilder sb = new StringBuilder(line(header));
    for (String p : table.pretrainings()) {
      List<String> row = new ArrayList<>();
      row.add(p);
      for (ResultsTable.Column c : table.columns()) {
        ResultsTable.Entry e = table.entry(p, c.task()).orElse(null);
        row.add(e == null ? "" : number(e.mean()));
        row.add(e == null ? "" : number(e.sd()));
        row.add(e == null ? "" : Integer.toString(e.n()));
        row.add(e == null ? "" : ResultsMarkdown.cells(e));
      }
      sb.append(line(row));
    }
    return sb.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static String line(List<String> fields) {
    List<String> quoted = new ArrayList<>();
    for (String f : fields) {
      quoted.add(f.contains(",") || f.contains("\"") || f.contains("\n") ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    return String.join(",", quoted) + "\n";
  }
}
