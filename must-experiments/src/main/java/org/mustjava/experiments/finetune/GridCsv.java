package org.mustjava.experiments.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mustjava.core.io.AtomicFiles;

/**
 * {@code <grid>/<pretraining>/<task>/grid.csv}: one row per cell of that pre-training and task, in
 * grid order, with every final eval result, and {@code best = yes} on the cell the task's metric
 * selects (per seed when the grid has seeds). Cells not finished yet have status {@code pending}.
 */
public final class GridCsv {
  public static final String FILE = "grid.csv";

  private GridCsv() {}

  /**
   * @param cells the grid's cells of one pre-training and task, in order
   * @param results the finished ones, by cell
   */
  public static String format(List<GridCell> cells, Map<GridCell, CellResult> results, GridLayout.TaskColumn task) {
    Set<String> metricNames = new TreeSet<>();
    for (CellResult r : results.values()) metricNames.addAll(r.metrics().keySet());
    Set<GridCell> best = new HashSet<>();
    Map<Optional<Long>, List<CellResult>> bySeed = new LinkedHashMap<>();
    for (GridCell c : cells) {
      CellResult r = results.get(c);
      if (r != null) bySeed.computeIfAbsent(c.seed(), k -> new ArrayList<>()).add(r);
    }
    for (List<CellResult> group : bySeed.values()) {
      BestCell.of(group, task.metric(), task.higherIsBetter()).ifPresent(r -> best.add(r.cell()));
    }
    StringBuilder sb = new StringBuilder("learning_rate,steps,seed,status");
    for (String m : metricNames) sb.append(',').append(csv(m));
    sb.append(",best\n");
    for (GridCell c : cells) {
      CellResult r = results.get(c);
      sb.append(GridCell.formatRate(c.learningRate())).append(',').append(c.steps()).append(',')
          .append(c.seed().map(String::valueOf).orElse("")).append(',').append(r == null ? "pending" : r.status());
      for (String m : metricNames) {
        Double v = r == null ? null : r.metrics().get(m);
        sb.append(',').append(v == null ? "" : Double.toString(v));
      }
      sb.append(',').append(best.contains(c) ? "yes" : "").append('\n');
    }
    return sb.toString();
  }

  public static void write(Path taskDirectory, List<GridCell> cells, Map<GridCell, CellResult> results,
      GridLayout.TaskColumn task) throws IOException {
    AtomicFiles.writeString(taskDirectory.resolve(FILE), format(cells, results, task));
  }

  static String csv(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) return field;
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
