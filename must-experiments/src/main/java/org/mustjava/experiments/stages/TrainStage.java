package org.mustjava.experiments.stages;

import java.nio.file.Path;
import java.util.Set;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.OperativeConfig;
import org.mustjava.core.train.MetricsTable;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TrainResult;
import org.mustjava.core.train.Trainer;
import org.mustjava.experiments.RunContext;

/**
 * Trains one task in {@code MODEL_DIR/<name>} with a {@link Trainer}: checkpoints, {@code train/}
 * and {@code eval/} event files, {@code metrics.json}, exports. The stage cache skips it when it
 * completed under the same fingerprint (its task, model and trainer bindings, and the stages
 * whose outputs its files name, e.g. {@code data/train-*}). It is resumable: after an
 * interruption under the same fingerprint it continues from its latest checkpoint; under a
 * changed one, the old checkpoints are superseded and training starts from step 0. A relative
 * {@code Trainer.init_from} checkpoint (e.g. {@code 'teachers/classification/checkpoints'}, to
 * continue from another stage's weights) is read relative to the model directory.
 */
public final class TrainStage implements Stage {
  private final String name;
  private final Task task;
  private final Trainer trainer;

  /**
   * @param name output directory below the model directory, e.g. {@code teachers/segmentation}
   * @param task e.g. {@code @MultiTaskTrainingTask()}
   * @param trainer e.g. {@code @Trainer()}
   */
  @Configurable("TrainStage")
  public TrainStage(String name, Task task, Trainer trainer) {
    if (name.isBlank() || Path.of(name).isAbsolute() || name.contains("..")) {
      throw new IllegalArgumentException("TrainStage.name must be a relative directory name: '" + name + "'");
    }
    this.name = name;
    this.task = task;
    this.trainer = trainer;
  }

  @Override
  public String name() {
    return name;
  }

  /** The trainer (tests attach listeners to it). */
  Trainer trainer() {
    return trainer;
  }

  @Override
  public boolean resumable() {
    return true;
  }

  /** Logging, summary frequency and thread counts: the same weights, checkpoints and metrics either way. */
  /** The final export, when the trainer makes one (a rerun then exports it without training). */
  @Override
  public java.util.Optional<String> missingOutputs(java.nio.file.Path directory) {
    return trainer.finalExportMissing(directory) ? java.util.Optional.of("export/final") : java.util.Optional.empty();
  }

  @Override
  public Set<String> fingerprintExcludes() {
    return Set.of("Trainer.log_every", "Trainer.summary_every", "Trainer.image_summary_every",
        "Trainer.intra_op_threads", "Trainer.inter_op_threads");
  }

  /** The training graph (+ eval graph when the task has metrics), as {@link #run} would build it at step 0. */
  @Override
  public java.util.List<String> buildGraphs(RunContext context) {
    Path base = context.modelDir() != null ? context.modelDir() : Path.of("");
    Task based = task.withBaseDirectory(base);
    boolean withEval = !based.createMetrics().isEmpty();
    return java.util.List.of(DryRunGraphs.build(withEval ? "training graph + eval" : "training graph",
        g -> trainer.buildGraph(based, g, 0, withEval)));
  }

  @Override
  public void run(RunContext context) throws Exception {
    Path dir = context.modelDir().resolve(name);
    // TensorBoard's text tab shows what this stage used, not the whole run's config.
    String config = context.injector().operativeConfigOf(this).map(OperativeConfig::text).orElse("");
    trainer.withLogger(new ProgressLogger(context.err(), System.console() != null, trainer.steps()))
        .withBaseDirectory(context.modelDir());
    TrainResult result = trainer.train(task.withBaseDirectory(context.modelDir()), dir, config);
    if (result.stepsRun() > 0) {
      context.err().println(name + ": trained steps " + (result.startStep() + 1) + ".." + result.finalStep()
          + "; final metrics:\n" + MetricsTable.format(result.metrics()));
    }
  }
}
