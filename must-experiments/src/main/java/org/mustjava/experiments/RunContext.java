package org.mustjava.experiments;

import java.io.PrintStream;
import java.nio.file.Path;
import org.mustjava.core.config.Injector;

/**
 * What a running {@link Experiment} gets from the launcher: its output directory, the injector
 * that built it (to create further configurables; everything it creates shows up in the operative
 * config) and the streams to report on.
 */
public final class RunContext {
  private final Path modelDir;
  private final Injector injector;
  private final PrintStream out;
  private final PrintStream err;

  public RunContext(Path modelDir, Injector injector, PrintStream out, PrintStream err) {
    this.modelDir = modelDir;
    this.injector = injector;
    this.out = out;
    this.err = err;
  }

  /**
   * {@code --model_dir}: where the run writes checkpoints, summaries, metrics and results (null
   * only in {@link Experiment#dryRun} without {@code --model_dir}).
   */
  public Path modelDir() {
    return modelDir;
  }

  public Injector injector() {
    return injector;
  }

  /** The operative config so far (what {@code MODEL_DIR/operative_config.conf} holds). */
  public String operativeConfig() {
    return injector.operativeConfig();
  }

  /** Standard output of the launcher (tests capture it). */
  public PrintStream out() {
    return out;
  }

  /** Standard error of the launcher: progress and warnings. */
  public PrintStream err() {
    return err;
  }
}
