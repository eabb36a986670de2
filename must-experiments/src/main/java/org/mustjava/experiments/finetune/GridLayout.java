package org.mustjava.experiments.finetune;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mustjava.core.io.AtomicFiles;

/**
 * What a fine-tuning grid consists of, {@code <grid>/grid.json}: the pre-trainings (table rows, in
 * order), the downstream tasks (columns, with the metric that ranks their cells) and their grids,
 * and the seeds. {@link FineTuneGrid} writes it; the results writer reads it with the cells'
 * {@code cell.json} files, so a table can be rebuilt from the files alone.
 *
 * @param seeds null when the grid runs once per cell with the trainer's own seed
 */
public record GridLayout(List<String> pretrainings, List<TaskColumn> tasks, List<Long> seeds) {
  public static final String FILE = "grid.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  /** One downstream task of the grid. */
  public record TaskColumn(String name, String metric, boolean higherIsBetter, List<Double> learningRates, List<Long> steps) {}

  public GridLayout {
    pretrainings = List.copyOf(pretrainings);
    tasks = List.copyOf(tasks);
    seeds = seeds == null ? null : List.copyOf(seeds);
  }

  /** Every cell of (pre-training, task), in grid order: learning rates, then steps, then seeds. */
  public List<GridCell> cells(String pretraining, TaskColumn task) {
    List<GridCell> out = new ArrayList<>();
    for (double lr : task.learningRates()) {
      for (long steps : task.steps()) {
        if (seeds == null) {
          out.add(new GridCell(pretraining, task.name(), lr, steps, Optional.empty()));
        } else {
          for (long seed : seeds) out.add(new GridCell(pretraining, task.name(), lr, steps, Optional.of(seed)));
        }
      }
    }
    return out;
  }

  /** Every cell, pre-training by pre-training, task by task. */
  public List<GridCell> cells() {
    List<GridCell> out = new ArrayList<>();
    for (String p : pretrainings) for (TaskColumn t : tasks) out.addAll(cells(p, t));
    return out;
  }

  public void write(Path gridDirectory) throws IOException {
    Files.createDirectories(gridDirectory);
    AtomicFiles.writeString(gridDirectory.resolve(FILE), GSON.toJson(this) + "\n");
  }

  public static GridLayout read(Path gridDirectory) throws IOException {
    Path file = gridDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist: is " + gridDirectory + " a fine-tuning grid that has run?");
    }
    try {
      GridLayout g = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), GridLayout.class);
      if (g == null || g.pretrainings() == null || g.tasks() == null) throw new JsonParseException("no pretrainings or tasks");
      for (TaskColumn t : g.tasks()) {
        if (t.name() == null || t.metric() == null || t.learningRates() == null || t.steps() == null) {
          throw new JsonParseException("a task without name, metric, learning_rates or steps");
        }
      }
      return new GridLayout(g.pretrainings(), g.tasks(), g.seeds());
    } catch (JsonParseException e) {
      throw new IOException(file + ": malformed grid layout: " + e.getMessage(), e);
    }
  }
}
