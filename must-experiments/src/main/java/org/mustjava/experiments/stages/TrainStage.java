package org.mustjava.experiments.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TrainResult;
import org.mustjava.core.train.Trainer;
import org.mustjava.experiments.RunContext;

/**
 * Trains one task in {@code MODEL_DIR/<name>} with a {@link Trainer}: checkpoints, {@code train/}
 * and {@code eval/} event files, {@code metrics.json}. Rerunning after it finished trains nothing;
 * after an interruption it resumes from the latest checkpoint. The operative config the stage
 * last ran with is kept in {@code <name>/stage_config.conf}; a rerun with a different config
 * says so (and continues from the checkpoints, which must fit the new model).
 */
public final class TrainStage implements Stage {
  public static final String STAGE_CONFIG = "stage_config.conf";
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

  @Override
  public void run(RunContext context) throws Exception {
    Path dir = context.modelDir().resolve(name);
    String config = context.operativeConfig();
    Path recorded = dir.resolve(STAGE_CONFIG);
    if (Files.isRegularFile(recorded) && !Files.readString(recorded).equals(config)) {
      context.err().println(name + ": the operative config differs from the one this stage last ran with ("
          + recorded + "); continuing from its checkpoints with the new config");
    }
    Files.createDirectories(dir);
    AtomicFiles.writeString(recorded, config);
    trainer.withLogger(new ProgressLogger(context.err(), System.console() != null, trainer.steps()));
    TrainResult result = trainer.train(task.withBaseDirectory(context.modelDir()), dir, config);
    if (result.stepsRun() > 0) {
      context.err().println(name + ": trained steps " + (result.startStep() + 1) + ".." + result.finalStep()
          + "; final metrics " + result.metrics());
    }
  }
}
