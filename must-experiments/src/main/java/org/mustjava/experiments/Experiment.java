package org.mustjava.experiments;

/**
 * A runnable experiment (one paper table, a stage pipeline, a smoke test). Implementations are
 * {@link org.mustjava.core.config.Configurable}s whose class carries an {@link
 * ExperimentDescription} and is listed by an {@link ExperimentModule}; a config chooses one with
 * {@code Launcher.experiment = @Name()}.
 *
 * <p>Construction should resolve everything the experiment needs (take components as
 * constructor parameters bound by {@code @Name()} or factories bound by {@code @Name}): the
 * launcher's {@code --dry_run} constructs the experiment, prints the operative config, calls
 * {@link #dryRun} and stops.
 */
public interface Experiment {
  /** Runs the experiment; outputs go under {@link RunContext#modelDir()}. */
  void run(RunContext context) throws Exception;

  /**
   * What {@code --dry_run} adds after the operative config, on {@link RunContext#out()} as
   * {@code #} comment lines (so the output stays a valid config): e.g. which stages would run.
   * {@link RunContext#modelDir()} is null when no {@code --model_dir} was given. Must not write
   * anything. The default adds nothing.
   */
  default void dryRun(RunContext context) throws Exception {}

  /**
   * What {@code --dry_run --build_graphs} adds after {@link #dryRun}: builds the TensorFlow graphs
   * the experiment would run, without running them or writing anything, and reports them on {@link
   * RunContext#out()} as {@code #} comment lines. The default says the experiment builds none.
   */
  default void buildGraphs(RunContext context) throws Exception {
    context.out().println("# --build_graphs: this experiment builds no graphs in a dry run");
  }
}
