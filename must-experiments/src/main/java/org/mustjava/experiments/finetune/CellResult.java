package org.mustjava.experiments.finetune;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.io.AtomicFiles;

/**
 * A finished grid cell, {@code <cell>/cell.json}: which cell, its final evaluation, and the hash of
 * the config it ran with ({@link CellCompletion}).
 *
 * <p>The selection metric is not stored: it is read from {@link #metrics} by the name the task
 * configures now ({@link #value}), so changing which metric ranks the cells retrains nothing.
 *
 * @param status {@code complete}, or {@code diverged} when the loss guard stopped it (a high
 *     learning rate of the grid; it has no metrics and is never the best cell)
 * @param metrics every final eval result
 * @param seed the grid's seed, null when the grid has none
 */
public record CellResult(
    String pretraining,
    String task,
    double learningRate,
    long steps,
    Long seed,
    String status,
    Map<String, Double> metrics,
    String configHash,
    double trainSeconds) {
  public static final String FILE = "cell.json";
  public static final String COMPLETE = "complete";
  public static final String DIVERGED = "diverged";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
      .setFieldNamingPolicy(com.google.gson.FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  /** The final value of eval result {@code metric}; NaN when the cell has none (diverged, or no such metric). */
  public double value(String metric) {
    Double v = metrics.get(metric);
    return v == null ? Double.NaN : v;
  }

  public GridCell cell() {
    return new GridCell(pretraining, task, learningRate, steps, Optional.ofNullable(seed));
  }

  public void write(Path cellDirectory) throws IOException {
    Map<String, Double> ordered = new LinkedHashMap<>(metrics);
    CellResult copy = new CellResult(pretraining, task, learningRate, steps, seed, status, ordered,
        configHash, trainSeconds);
    AtomicFiles.writeString(cellDirectory.resolve(FILE), GSON.toJson(copy) + "\n");
  }

  /** The result in {@code cellDirectory}, empty when the cell has not finished. */
  public static Optional<CellResult> read(Path cellDirectory) throws IOException {
    Path file = cellDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      CellResult r = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), CellResult.class);
      if (r == null || r.pretraining == null || r.task == null || r.status == null) {
        throw new JsonParseException("missing fields (pretraining, task, status)");
      }
      return Optional.of(r.metrics == null ? new CellResult(r.pretraining, r.task, r.learningRate, r.steps, r.seed,
          r.status, Map.of(), r.configHash, r.trainSeconds) : r);
    } catch (JsonParseException e) {
      throw new IOException(file + ": malformed cell result: " + e.getMessage(), e);
    }
  }
}
