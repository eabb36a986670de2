package org.mustjava.experiments.launcher;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.cli.CommandLine;

/**
 * Command-line flags of {@code tools/run-experiment} (design.md section 4). Repeatable values are
 * kept whole: bindings contain commas ({@code A.b = [1, 2]}).
 */
@Parameters(separators = "=")
public final class Flags {
  @Parameter(names = "--list", description = "Print each registered experiment, one per line, with a one-line description, and exit.")
  public boolean list;

  @Parameter(names = "--config", description = "Config file (*.conf, gin syntax) to run; repeat to apply several in order.",
      splitter = CommandLine.WholeValue.class)
  public List<String> configs = new ArrayList<>();

  @Parameter(names = "--experiment", description = "A paper experiment by name (--list shows them): runs its config, "
      + "experiments/NAME.conf, or experiments/mini/NAME.conf with --mini; --config files given too are applied after it.")
  public String experiment;

  @Parameter(names = "--mini", description = "With --experiment: the CPU-sized variant of the paper experiment.")
  public boolean mini;

  @Parameter(names = "--binding", description = "A config statement applied after the files, e.g. 'Trainer.steps = 10'; repeatable.",
      splitter = CommandLine.WholeValue.class)
  public List<String> bindings = new ArrayList<>();

  @Parameter(names = "--model_dir", description = "Output directory of the run (required unless --dry_run); "
      + "the operative config is written to MODEL_DIR/operative_config.conf.")
  public String modelDir;

  @Parameter(names = "--dry_run", description = "Resolve the config and build the experiment, print the operative config, train nothing.")
  public boolean dryRun;

  @Parameter(names = "--build_graphs", description = "With --dry_run: also build every stage's TensorFlow graph (each training "
      + "graph; the first cell of every fine-tuning task) without running a step, printing op counts and build times as "
      + "# lines; input files not there yet stand in as names. Paper-scale graphs take minutes and GBs of memory.")
  public boolean buildGraphs;

  @Parameter(names = "--verbose", description = "On a failure while running, also print the Java stack trace.")
  public boolean verbose;

  @Parameter(names = "--search_path", description = "Directory where includes not found next to their including file are looked up; repeatable.",
      splitter = CommandLine.WholeValue.class)
  public List<String> searchPaths = new ArrayList<>();

  @Parameter(names = "--cluster", description = "Train on a TensorFlow cluster: worker=host:port,host:port,... "
      + "This process is task 0 (the chief: variables, checkpoints, summaries); start the others with tools/run-worker.")
  public String cluster;
}
