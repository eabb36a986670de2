package org.mustjava.experiments.stages;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mustjava.experiments.RunContext;

/**
 * One step of an experiment (generate data, train a teacher, pseudo-label, train the student,
 * fine-tune, tabulate results), writing its outputs into its own directory below the model
 * directory, {@code MODEL_DIR/<name>}.
 *
 * <p>A {@link StagedExperiment} runs stages in order through the stage cache (docs/design.md
 * section 5): it fingerprints what produces each stage's outputs ({@link StageFingerprint}: the
 * stage's own operative config, the fingerprints of the stages it reads, the files it reads from
 * elsewhere, {@link #fingerprintMaterial()}), skips a stage whose completed outputs carry the same
 * fingerprint, and otherwise moves the old outputs aside and runs the stage in an empty directory
 * (or lets a {@link #resumable()} stage continue its own interrupted run). So a stage itself need
 * not check for previous outputs, and must not read or write outside its directory except its
 * inputs.
 *
 * <p>What a new stage must get right:
 * <ul>
 *   <li>Everything that decides its outputs is in its configuration, i.e. reachable from its
 *       constructor's parameters (objects by {@code @Name()}, factories by {@code @Name}: both are
 *       recorded when the stage is built). Anything else goes into {@link #fingerprintMaterial()}.
 *   <li>The paths it reads are in that configuration as strings (e.g. {@code train_files =
 *       ['data/train-*']}, {@code checkpoint = 'student/checkpoints'}), or listed by {@link
 *       #inputs()}; a path below another stage's directory makes that stage an input.
 *   <li>It writes only below {@code MODEL_DIR/<name>}; other stages' directories are read-only.
 * </ul>
 */
public interface Stage {
  /** The stage's output directory below the model directory, e.g. {@code teachers/detection}; also its name in logs. */
  String name();

  /**
   * Produces the outputs in {@code context.modelDir().resolve(name())}, which exists. It is empty
   * unless the stage is {@link #resumable()} and its previous run, with the same fingerprint, was
   * interrupted.
   */
  void run(RunContext context) throws Exception;

  /**
   * Paths the stage reads besides those its configuration names (relative paths are relative to
   * the model directory; a glob in the last component, {@code *}, is allowed). The default: none.
   */
  default List<String> inputs() {
    return List.of();
  }

  /**
   * Whether an interrupted run (same fingerprint, not completed) continues in its directory, as
   * training continues from its checkpoints. If false (the default) the partial outputs are moved
   * aside and the stage starts clean.
   */
  default boolean resumable() {
    return false;
  }

  /**
   * Outputs a completed run of this stage should have left in {@code directory} but that are not
   * there (removed by hand, lost to a killed step after the stage was marked complete), as a short
   * description; empty when nothing is missing (the default). A stage with missing outputs is not
   * skipped: a {@link #resumable()} one continues (and makes them), another runs again.
   */
  default Optional<String> missingOutputs(Path directory) {
    return Optional.empty();
  }

  /**
   * Whether several launchers may run this stage at the same time because it divides its work
   * among them itself (the fine-tuning grid claims one cell at a time). The experiment then takes
   * no exclusive lock for it; such a stage should also be {@link #resumable()}, so a launcher
   * joining a run in progress continues it instead of moving it aside. Default: false.
   */
  default boolean runsConcurrently() {
    return false;
  }

  /**
   * What else decides the outputs, beyond configuration and inputs: e.g. a version of the output
   * format, or the parameters of a stage built in Java (a grid cell's learning rate and steps)
   * rather than by the config. One or more lines; changing it reruns the stage. Default: none.
   */
  default String fingerprintMaterial() {
    return "";
  }

  /**
   * Parameters, as {@code Configurable.parameter} in any scope, left out of the config part of the
   * fingerprint, so that changing them keeps the stage cached: ones that change only how the stage
   * reports progress ({@code Trainer.log_every}), or, for a part of a {@link StageGroup}, the
   * group's axes (a grid's list of learning rates; the part puts its own value in {@link
   * #fingerprintMaterial()}, so adding a learning rate to a grid leaves the other cells cached).
   * Default: none.
   */
  default Set<String> fingerprintExcludes() {
    return Set.of();
  }

  /**
   * For {@code tools/run-experiment --dry_run --build_graphs}: builds the TensorFlow graphs this
   * stage would run, without running a step or writing anything, and describes each in one line
   * ({@link DryRunGraphs#build}); or says in one line why it builds none in a dry run (e.g. it loads
   * SavedModels that earlier stages export). Default: a stage without a graph.
   */
  default List<String> buildGraphs(RunContext context) throws Exception {
    return List.of("no TensorFlow graph to build");
  }
}
