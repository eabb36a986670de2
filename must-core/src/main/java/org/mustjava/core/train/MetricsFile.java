package org.mustjava.core.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.io.AtomicFiles;

/**
 * A stage's {@code metrics.json}: the latest evaluation, every evaluation so far, and the best one
 * by the chosen metric. Replaced atomically on each evaluation.
 *
 * <pre>{@code
 * {"step": 300, "metrics": {"segmentation/miou": 0.41, ...},
 *  "best": {"metric": "segmentation/miou", "step": 300, "value": 0.41},
 *  "history": [{"step": 100, "metrics": {...}}, ...]}
 * }</pre>
 */
public final class MetricsFile {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  /** One evaluation. */
  public record Evaluation(long step, Map<String, Double> metrics) {}

  /** The best evaluation by {@code metric}. */
  public record Best(String metric, long step, double value) {}

  private final Path file;
  private final List<Evaluation> history = new ArrayList<>();
  private Best best;

  /** Reads {@code file} if it exists. */
  public MetricsFile(Path file) throws IOException {
    this.file = file;
    if (Files.isRegularFile(file)) {
      try {
        Raw raw = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Raw.class);
        if (raw != null && raw.history != null) history.addAll(raw.history);
        if (raw != null) best = raw.best;
      } catch (JsonParseException e) {
        throw new IOException(file + ": malformed metrics file: " + e.getMessage(), e);
      }
    }
  }

  public Path path() {
    return file;
  }

  public List<Evaluation> history() {
    return List.copyOf(history);
  }

  public Optional<Evaluation> latest() {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  public Optional<Evaluation> at(long step) {
    return history.stream().filter(e -> e.step() == step).reduce((a, b) -> b);
  }

  public Optional<Best> best() {
    return Optional.ofNullable(best);
  }

  /**
   * Records an evaluation (replacing one at the same step) and writes the file; returns whether it
   * is a new best by {@code bestMetric} (never when {@code bestMetric} is empty).
   */
  public boolean record(long step, Map<String, Double> metrics, String bestMetric, boolean higherIsBetter)
      throws IOException {
    history.removeIf(e -> e.step() >= step);
    history.add(new Evaluation(step, new LinkedHashMap<>(metrics)));
    boolean improved = false;
    if (!bestMetric.isEmpty()) {
      Double v = metrics.get(bestMetric);
      if (v == null) {
        throw new IllegalArgumentException("best metric '" + bestMetric + "' is not among the eval results "
            + new java.util.TreeSet<>(metrics.keySet()));
      }
      boolean better = best == null || !best.metric().equals(bestMetric) || best.step() >= step
          || (higherIsBetter ? v > best.value() : v < best.value());
      if (better && !v.isNaN()) {
        best = new Best(bestMetric, step, v);
        improved = true;
      }
    }
    write();
    return improved;
  }

  private void write() throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    Evaluation last = history.get(history.size() - 1);
    json.put("step", last.step());
    json.put("metrics", last.metrics());
    if (best != null) json.put("best", best);
    json.put("history", history);
    AtomicFiles.writeString(file, GSON.toJson(json) + "\n");
  }

  private static final class Raw {
    List<Evaluation> history;
    Best best;
  }
}
