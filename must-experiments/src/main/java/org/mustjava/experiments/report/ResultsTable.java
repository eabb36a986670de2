package org.mustjava.experiments.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.experiments.finetune.BestCell;
import org.mustjava.experiments.finetune.CellResult;
import org.mustjava.experiments.finetune.GridCell;
import org.mustjava.experiments.finetune.GridLayout;

/**
 * The paper's results table, computed from fine-tuning grids: rows = pre-trainings, columns =
 * downstream tasks. Each entry is the pre-training's best grid cell for the task by the task's
 * metric; with seeds, the best cell of each seed, summarised as mean, sample standard deviation
 * (n - 1 in the denominator; undefined for one seed) and n, the number of seeds with a result.
 */
public record ResultsTable(List<String> pretrainings, List<Column> columns, Map<String, Map<String, Entry>> entries) {
  /** A downstream task and the metric its column shows. */
  public record Column(String task, String metric, boolean higherIsBetter) {}

  /**
   * One table entry.
   *
   * @param best the selected cell of each seed (one element without seeds), in seed order
   * @param cellsDone finished cells of this pre-training and task
   * @param cellsTotal cells of the grid for it
   */
  public record Entry(double mean, double sd, int n, List<CellResult> best, int cellsDone, int cellsTotal) {
    public boolean complete() {
      return cellsDone == cellsTotal;
    }
  }

  public ResultsTable {
    pretrainings = List.copyOf(pretrainings);
    columns = List.copyOf(columns);
  }

  /** The entry of a row and column; empty when no grid covers it. */
  public Optional<Entry> entry(String pretraining, String task) {
    return Optional.ofNullable(entries.getOrDefault(pretraining, Map.of()).get(task));
  }

  /** Reads the grids in {@code gridDirectories} ({@code grid.json} and every cell's {@code cell.json}). */
  public static ResultsTable read(List<Path> gridDirectories) throws IOException {
    List<String> rows = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    Map<String, Map<String, Entry>> entries = new LinkedHashMap<>();
    Map<String, Path> source = new LinkedHashMap<>();
    for (Path dir : gridDirectories) {
      GridLayout layout = GridLayout.read(dir);
      for (String p : layout.pretrainings()) if (!rows.contains(p)) rows.add(p);
      for (GridLayout.TaskColumn t : layout.tasks()) {
        Column c = new Column(t.name(), t.metric(), t.higherIsBetter());
        Optional<Column> known = columns.stream().filter(x -> x.task().equals(t.name())).findFirst();
        if (known.isEmpty()) {
          columns.add(c);
        } else if (!known.get().equals(c)) {
          throw new IOException("task '" + t.name() + "' is ranked differently in two grids: " + known.get() + " vs " + c
              + " (in " + dir + ")");
        }
        for (String p : layout.pretrainings()) {
          Path previous = source.put(p + "\u0000" + t.name(), dir);
          if (previous != null) {
            throw new IOException("pre-training '" + p + "' on task '" + t.name() + "' is in two grids: " + previous
                + " and " + dir);
          }
          List<GridCell> cells = layout.cells(p, t);
          List<CellResult> done = new ArrayList<>();
          for (GridCell cell : cells) CellResult.read(dir.resolve(cell.relativeDirectory())).ifPresent(done::add);
          entries.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(t.name(), entry(done, cells.size(), c, layout.seeds()));
        }
      }
    }
    return new ResultsTable(rows, columns, entries);
  }

  /** Selects the best cell per seed among {@code done} and summarises over seeds. */
  static Entry entry(List<CellResult> done, int total, Column column, List<Long> seeds) {
    List<CellResult> best = new ArrayList<>();
    List<Long> groups = seeds == null ? java.util.Collections.singletonList(null) : seeds;
    for (Long seed : groups) {
      List<CellResult> group = done.stream().filter(r -> java.util.Objects.equals(r.seed(), seed)).toList();
      BestCell.of(group, column.metric(), column.higherIsBetter()).ifPresent(best::add);
    }
    double[] values = best.stream().mapToDouble(r -> r.value(column.metric())).toArray();
    return new Entry(mean(values), sampleSd(values), values.length, best, done.size(), total);
  }

  static double mean(double[] v) {
    if (v.length == 0) return Double.NaN;
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  /** Sample standard deviation (n - 1); NaN for fewer than two values. */
  static double sampleSd(double[] v) {
    if (v.length < 2) return Double.NaN;
    double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / (v.length - 1));
  }
}
