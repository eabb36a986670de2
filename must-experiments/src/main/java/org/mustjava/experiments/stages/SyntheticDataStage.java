package org.mustjava.experiments.stages;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.experiments.RunContext;

/**
 * Generates synthetic train and eval scenes into {@code MODEL_DIR/<directory>/train-*} and
 * {@code .../eval-*} (files the task config then names relative to the model directory). The
 * stage cache decides whether to: the datasets' bindings are in this stage's fingerprint, so
 * changing e.g. {@code train/SyntheticDataset.num_scenes} regenerates the data in a clean
 * directory (and retrains what reads it), and an interrupted generation starts over.
 */
public final class SyntheticDataStage implements Stage {
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
    long t0 = System.nanoTime();
    List<Path> trainFiles = train.call(Map.of("output", dir.resolve("train").toString()));
    List<Path> evalFiles = eval.call(Map.of("output", dir.resolve("eval").toString()));
    context.err().printf(Locale.ROOT, "data: generated %d train and %d eval shards in %s (%.1f s)%n",
        trainFiles.size(), evalFiles.size(), dir, (System.nanoTime() - t0) / 1e9);
  }
}
