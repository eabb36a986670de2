package org.mustjava.experiments;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Diagnostic;
import org.mustjava.core.config.Injector;
import org.mustjava.core.distributed.ClusterRuntime;
import org.mustjava.core.distributed.ClusterSpec;
import org.mustjava.core.train.SessionConfigs;
import org.mustjava.experiments.launcher.Flags;
import org.mustjava.experiments.launcher.Launcher;
import org.mustjava.experiments.launcher.OperativeConfigFile;
import org.mustjava.experiments.paper.PaperExperiments;

/**
 * The launcher behind {@code tools/run-experiment}:
 *
 * <pre>
 * tools/run-experiment --list
 * tools/run-experiment --experiment NAME [--mini] [--binding 'A.b = v']... [--model_dir DIR] [--dry_run [--build_graphs]]
 * tools/run-experiment --config FILE [--binding 'A.b = v']... [--model_dir DIR] [--dry_run [--build_graphs]]
 * </pre>
 *
 * Loads every {@code ConfigurableModule} and {@link ExperimentModule}, reads the config files and
 * then the bindings, creates {@code Launcher} (whose {@code experiment} parameter names the
 * experiment), writes {@code MODEL_DIR/operative_config.conf} atomically and runs the experiment.
 *
 * <p>Exit status: 0 success; 2 configuration error (bad flags, bad config; the message on stderr,
 * nothing on stdout); 1 failure while running.
 */
public final class Main {
  public static final int OK = CommandLine.OK;
  public static final int RUNTIME_FAILURE = CommandLine.FAILURE;
  public static final int CONFIG_ERROR = CommandLine.USAGE_ERROR;

  /** Name of the operative config in the model directory (design.md section 5). */
  public static final String OPERATIVE_CONFIG = "operative_config.conf";

  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the launcher in-process; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags = new Flags();
    CommandLine commandLine = new CommandLine("tools/run-experiment",
        "Runs an experiment described by a config file (see docs/config.md).",
        "0 success, 1 failure while running, 2 configuration error", flags);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    ConfigRegistry registry;
    ExperimentRegistry experiments;
    try {
      registry = ConfigRegistry.fromServices();
      experiments = ExperimentRegistry.load(registry);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return CONFIG_ERROR;
    }
    if (flags.list) {
      if (!flags.configs.isEmpty() || !flags.bindings.isEmpty() || flags.dryRun || flags.experiment != null) {
        err.println("error: --list takes no other flags");
        return CONFIG_ERROR;
      }
      printList(experiments, out);
      return OK;
    }
    if (flags.mini && flags.experiment == null) {
      err.println("error: --mini needs --experiment NAME");
      return CONFIG_ERROR;
    }
    if (flags.experiment != null) {
      Optional<PaperExperiments.Entry> entry = PaperExperiments.byName(flags.experiment);
      if (entry.isEmpty()) {
        err.println("error: --experiment: no paper experiment '" + flags.experiment + "'; known: "
            + String.join(", ", PaperExperiments.ALL.stream().map(PaperExperiments.Entry::name).toList()));
        return CONFIG_ERROR;
      }
      List<String> configs = new java.util.ArrayList<>(flags.configs);
      configs.add(0, entry.get().config(PaperExperiments.experimentsDirectory(), flags.mini).toString());
      flags.configs = configs;
    }
    if (flags.configs.isEmpty() && flags.bindings.isEmpty()) {
      err.println("error: nothing to run: give --config FILE or --experiment NAME (or --list, --help)");
      return CONFIG_ERROR;
    }
    if (flags.buildGraphs && !flags.dryRun) {
      err.println("error: --build_graphs needs --dry_run");
      return CONFIG_ERROR;
    }
    if (!flags.dryRun && flags.modelDir == null) {
      err.println("error: --model_dir DIR is required to run (or use --dry_run)");
      return CONFIG_ERROR;
    }
    ClusterSpec cluster = null;
    if (flags.cluster != null) {
      try {
        cluster = ClusterSpec.parse(flags.cluster);
      } catch (IllegalArgumentException e) {
        err.println("error: --cluster: " + e.getMessage());
        return CONFIG_ERROR;
      }
    }
    if (cluster != null && !flags.dryRun) {
      ClusterRuntime.startChief(cluster, SessionConfigs.create(1, 0, 0));
      err.println("chief (task 0) of " + cluster + "; the workers must be running: tools/run-worker --cluster "
          + cluster + " --task N");
    }
    return launch(flags, registry, out, err);
  }

  private static void printList(ExperimentRegistry experiments, PrintStream out) {
    int width = 0;
    for (ExperimentRegistry.Entry e : experiments.entries()) {
      width = Math.max(width, e.name().length());
    }
    for (PaperExperiments.Entry e : PaperExperiments.ALL) {
      width = Math.max(width, e.name().length());
    }
    for (ExperimentRegistry.Entry e : experiments.entries()) {
      out.println(String.format("%-" + width + "s  %s", e.name(), e.description()));
    }
    out.println();
    out.println("Paper experiments (--experiment NAME runs experiments/NAME.conf; add --mini for experiments/mini/NAME.conf):");
    for (PaperExperiments.Entry e : PaperExperiments.ALL) {
      out.println(String.format("%-" + width + "s  %s", e.name(), e.description()));
    }
  }

  private static int launch(Flags flags, ConfigRegistry registry, PrintStream out, PrintStream err) {
    Injector injector = null;
    try {
      ConfigLoader loader = new ConfigLoader(registry);
      for (String dir : flags.searchPaths) {
        loader.addSearchPath(Path.of(dir));
      }
      for (String file : flags.configs) {
        loader.parseFile(Path.of(file));
      }
      for (String binding : flags.bindings) {
        loader.parseBinding(binding);
      }
      Config config = loader.build();
      for (Diagnostic note : config.notes()) {
        err.println(note.format());
      }
      injector = new Injector(config);
      Experiment experiment = injector.create(Launcher.class).experiment();
      if (experiment == null) {
        throw new ConfigException(null, "the config does not say which experiment to run: bind Launcher.experiment,"
            + " e.g. 'Launcher.experiment = @PrintConfig()' (--list shows the experiments)");
      }
      if (flags.dryRun) {
        out.print(injector.operativeConfig());
        RunContext context = new RunContext(flags.modelDir == null ? null : Path.of(flags.modelDir), injector, out, err);
        experiment.dryRun(context);
        if (flags.buildGraphs) experiment.buildGraphs(context);
        warnUnused(injector, flags.verbose, err);
        return OK;
      }
      OperativeConfigFile operative = new OperativeConfigFile(Path.of(flags.modelDir).resolve(OPERATIVE_CONFIG));
      operative.write(injector.operativeConfig());
      experiment.run(new RunContext(Path.of(flags.modelDir), injector, out, err));
      // Configurables the run created lazily (factories called while training) extend the config.
      operative.write(injector.operativeConfig());
      warnUnused(injector, flags.verbose, err);
      return OK;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return CONFIG_ERROR;
    } catch (Exception | LinkageError | AssertionError | OutOfMemoryError | StackOverflowError e) {
      err.println("error: the run failed: " + describe(e));
      if (flags.verbose) {
        e.printStackTrace(err);
      } else {
        err.println("(--verbose prints the stack trace)");
      }
      if (injector != null) {
        warnUnused(injector, flags.verbose, err);
      }
      return RUNTIME_FAILURE;
    }
  }

  /**
   * A failure in one message: the project's exceptions speak for themselves; others keep their
   * class (an {@code IllegalStateException: ...}). Causes with something new to say follow.
   */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder(text(e));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() == null || !out.toString().contains(c.getMessage())) {
        out.append("\n  caused by: ").append(text(c));
      }
    }
    return out.toString();
  }

  private static String text(Throwable e) {
    boolean ours = e.getClass().getName().startsWith("org.mustjava.");
    return ours && e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
  }

  /**
   * Warns of bindings nothing read: each one written in a file given on the command line (or a
   * --binding), a count of those in included files. Includes such as experiments/mini/common/*.conf
   * define stages for several experiments, most of which one experiment does not list; --verbose
   * names them all.
   */
  private static void warnUnused(Injector injector, boolean verbose, PrintStream err) {
    List<Diagnostic> included = new java.util.ArrayList<>();
    for (Diagnostic d : injector.unusedBindings()) {
      boolean fromInclude = d.position() != null && d.position().source().includedFrom() != null;
      if (fromInclude && !verbose) {
        included.add(d);
      } else {
        err.println(d.format());
      }
    }
    if (!included.isEmpty()) {
      java.util.SortedSet<String> files = new java.util.TreeSet<>();
      for (Diagnostic d : included) files.add(d.position().source().path().map(p -> String.valueOf(p.getFileName())).orElse(d.position().source().name()));
      err.println("note: " + included.size() + " binding(s) in included files were not used by this experiment ("
          + String.join(", ", files) + "); --verbose lists them");
    }
  }
}
