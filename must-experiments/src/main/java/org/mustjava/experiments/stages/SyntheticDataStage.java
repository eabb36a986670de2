package org.mustjava.experiments.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.experiments.RunContext;

/**
 * Generates synthetic train and eval scenes into {@code MODEL_DIR/<directory>/train-*} and
 * {@code .../eval-*} (files the task config then names relative to the model directory), unless a
 * previous run completed them: completion is recorded in {@code <directory>/COMPLETE}, written
 * atomically after both sets; a crash before it regenerates the data.
 */
public final class SyntheticDataStage implements Stage {
  /** Marker file listing the generated shards. */
  public static final String COMPLETE = "COMPLETE";
  private final String directory;
  private final ConfigurableReference<List<Path>> train;
  private final ConfigurableReference<List<Path>> eval;

  /**
   * @param directory below the model directory
   * @param train e.g. {@code @train/SyntheticDataset} (its {@code output} is set here)
   * @param eval e.g. {@code @eval/SyntheticDataset}
   */
  @Configurable("SyntheticData")
  public SyntheticDataStage(@Default("'data'") String directory, ConfigurableReference<List<Path>> train,
      ConfigurableReference<List<Path>> eval) {
    this.directory = directory;
    this.train = train;
    this.eval = eval;
  }

  @Override
  public String name() {
    return directory;
  }

  @Override
  public void run(RunContext context) throws Exception {
    Path dir = context.modelDir().resolve(directory);
    Path marker = dir.resolve(COMPLETE);
    if (Files.isRegularFile(marker)) {
      context.err().println("data: " + dir + " is complete (" + marker.getFileName() + "): nothing to generate");
      return;
    }
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    List<Path> trainFiles = train.call(Map.of("output", dir.resolve("train").toString()));
    List<Path> evalFiles = eval.call(Map.of("output", dir.resolve("eval").toString()));
    StringBuilder list = new StringBuilder();
    for (Path p : trainFiles) list.append(p.getFileName()).append('\n');
    for (Path p : evalFiles) list.append(p.getFileName()).append('\n');
    AtomicFiles.writeString(marker, list.toString());
    context.err().printf(java.util.Locale.ROOT, "data: generated %d train and %d eval shards in %s (%.1f s)%n",
        trainFiles.size(), evalFiles.size(), dir, (System.nanoTime() - t0) / 1e9);
  }
}
