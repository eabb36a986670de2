package org.mustjava.experiments.finetune;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.PartialRestore;
import org.mustjava.core.checkpoint.RestoreReport;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.core.config.Injector;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.train.LearningRateSchedule;
import org.mustjava.core.train.LossDivergedException;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TrainResult;
import org.mustjava.core.train.Trainer;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.stages.DryRunGraphs;
import org.mustjava.experiments.stages.Stage;

/**
 * The fine-tuning grid (design.md sections 1.4 and 5): for every pre-training x downstream task x
 * learning rate x steps (x seed), backbone + FPN are restored from the pre-trained checkpoint, the
 * heads start fresh, the whole model is trained with the task's recipe and evaluated on its eval
 * split. Outputs under {@code MODEL_DIR/<name>/}:
 * <ul>
 *   <li>{@code grid.json}: the grid's layout ({@link GridLayout});
 *   <li>{@code <pretraining>/<task>/<lr>_<steps>[_seed<k>]/}: a {@link Trainer} stage directory
 *       ({@code checkpoints/}, {@code train/}, {@code eval/}, {@code metrics.json}) plus
 *       {@code cell_config.conf} (what the cell ran with), {@code restore_report.json} (what was
 *       restored and what started fresh) and, once finished, {@code cell.json} ({@link CellResult});
 *   <li>{@code <pretraining>/<task>/grid.csv}: every cell's metrics and the best cells ({@link GridCsv}).
 * </ul>
 *
 * <p>Each cell is resumable (a killed cell continues from its last checkpoint) and skipped once
 * complete for its config ({@link CellCompletion}). Several launchers may run the same grid at
 * once: each cell is claimed ({@link CellClaim}) by the launcher that runs it; the others run other
 * cells, then wait for the claimed ones (taking over claims whose process died), so every launcher
 * ends with the whole grid done.
 *
 * <pre>
 * FineTuneGrid.pretrainings = [@must/Pretraining(), @random/Pretraining()]
 * FineTuneGrid.tasks = [@cifar100/DownstreamTask(), @pascal_seg/DownstreamTask()]
 * FineTuneGrid.seeds = [1, 2, 3]          # optional; cells get a _seed<k> suffix
 * </pre>
 */
public final class FineTuneGrid implements Stage {
  /** What was restored and what started fresh, per cell. */
  public static final String RESTORE_REPORT = "restore_report.json";

  private final String name;
  private final List<Pretraining> pretrainings;
  private final List<DownstreamTask> tasks;
  private final Optional<List<Long>> seeds;
  private final double pollSeconds;
  private final Duration claimTimeout;
  private final List<StepListener> listeners = new ArrayList<>();

  /**
   * @param name the grid's directory below the model directory
   * @param pretrainings the table's rows
   * @param tasks the table's columns, each with its grid
   * @param seeds repeat every cell with these trainer seeds (None: once, with the trainer's seed)
   * @param pollSeconds how often a launcher looks again at cells other launchers hold
   * @param remoteClaimTimeoutSeconds a claim of another machine without a heartbeat for this long
   *     is taken over ({@link CellClaim}); claims of this machine are checked by process instead
   */
  @Configurable("FineTuneGrid")
  public FineTuneGrid(
      @Default("'finetune'") String name,
      List<Pretraining> pretrainings,
      List<DownstreamTask> tasks,
      Optional<List<Long>> seeds,
      @Default("10.0") double pollSeconds,
      @Default("600.0") double remoteClaimTimeoutSeconds) {
    if (name.isBlank() || Path.of(name).isAbsolute() || name.contains("..")) {
      throw new IllegalArgumentException("FineTuneGrid.name must be a relative directory name: '" + name + "'");
    }
    if (pretrainings.isEmpty() || tasks.isEmpty()) {
      throw new IllegalArgumentException("FineTuneGrid needs at least one pretraining and one task");
    }
    requireUnique("FineTuneGrid.pretrainings", pretrainings.stream().map(Pretraining::name).toList());
    requireUnique("FineTuneGrid.tasks", tasks.stream().map(DownstreamTask::name).toList());
    Optional<List<Long>> s = seeds == null ? Optional.empty() : seeds;
    if (s.isPresent()) {
      if (s.get().isEmpty()) throw new IllegalArgumentException("FineTuneGrid.seeds is empty (None runs each cell once)");
      requireUnique("FineTuneGrid.seeds", s.get().stream().map(String::valueOf).toList());
    }
    if (!(pollSeconds > 0) || !(remoteClaimTimeoutSeconds > 0)) {
      throw new IllegalArgumentException("FineTuneGrid.poll_seconds and remote_claim_timeout_seconds must be > 0: "
          + pollSeconds + ", " + remoteClaimTimeoutSeconds);
    }
    this.name = name;
    this.pretrainings = List.copyOf(pretrainings);
    this.tasks = List.copyOf(tasks);
    this.seeds = s.map(List::copyOf);
    this.pollSeconds = pollSeconds;
    this.claimTimeout = Duration.ofMillis((long) (remoteClaimTimeoutSeconds * 1000));
  }

  private static void requireUnique(String what, List<String> names) {
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException(what + " has duplicate names: " + names);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** Observes every cell's trainer (tests: slow a cell down, see its steps). */
  public FineTuneGrid addListener(StepListener listener) {
    listeners.add(listener);
    return this;
  }

  public GridLayout layout() {
    List<GridLayout.TaskColumn> columns = new ArrayList<>();
    for (DownstreamTask t : tasks) {
      columns.add(new GridLayout.TaskColumn(t.name(), t.metric(), t.higherIsBetter(), t.learningRates(), t.steps()));
    }
    return new GridLayout(pretrainings.stream().map(Pretraining::name).toList(), columns, seeds.orElse(null));
  }

  /** An interrupted grid continues: finished cells stay, a cell in progress resumes. */
  @Override
  public boolean resumable() {
    return true;
  }

  /** Launchers share the grid by claiming cells ({@link CellClaim}). */
  @Override
  public boolean runsConcurrently() {
    return true;
  }

  /** How often and how patiently launchers poll each other's claims decides nothing of the results. */
  @Override
  public java.util.Set<String> fingerprintExcludes() {
    return java.util.Set.of("FineTuneGrid.poll_seconds", "FineTuneGrid.remote_claim_timeout_seconds");
  }

  @Override
  public void run(RunContext context) throws Exception {
    Path gridDir = context.modelDir().resolve(name);
    GridLayout layout = layout();
    layout.write(gridDir);
    Map<String, Pretraining> byPretraining = new HashMap<>();
    for (Pretraining p : pretrainings) byPretraining.put(p.name(), p);
    Map<String, DownstreamTask> byTask = new HashMap<>();
    for (DownstreamTask t : tasks) byTask.put(t.name(), t);

    List<GridCell> remaining = new ArrayList<>(layout.cells());
    int total = remaining.size();
    int ran = 0;
    context.err().println(name + ": " + total + " cells (" + pretrainings.size() + " pre-trainings x " + tasks.size()
        + " tasks x learning rates x steps" + (seeds.isPresent() ? " x " + seeds.get().size() + " seeds" : "") + ")");
    while (true) {
      Map<String, String> checkpointIds = new HashMap<>(); // per pass: an upstream stage may have moved on
      List<GridCell> heldByOthers = new ArrayList<>();
      for (GridCell cell : remaining) {
        Pretraining pretraining = byPretraining.get(cell.pretraining());
        DownstreamTask task = byTask.get(cell.task());
        Path cellDir = gridDir.resolve(cell.relativeDirectory());
        CellPlan plan = plan(context, cell, pretraining, task, checkpointIds);
        if (CellCompletion.completed(cellDir, plan.config).isPresent()) {
          context.err().println(name + "/" + cell.relativeDirectory() + ": complete, skipped");
          continue;
        }
        Optional<CellClaim> claim = CellClaim.tryAcquire(CellClaim.fileFor(cellDir), claimTimeout);
        if (claim.isEmpty()) {
          heldByOthers.add(cell);
          continue;
        }
        try (CellClaim held = claim.get()) {
          held.tookOverFrom().ifPresent(stale -> context.err().println(
              name + "/" + cell.relativeDirectory() + ": took over a stale claim (" + stale + ")"));
          // Another launcher may have finished it between the check above and the claim.
          if (CellCompletion.completed(cellDir, plan.config).isEmpty()) {
            runCell(context, cell, task, pretraining, cellDir, plan);
            ran++;
          }
        }
        writeGridCsv(gridDir, layout, cell.pretraining(), cell.task());
      }
      remaining = heldByOthers;
      if (remaining.isEmpty()) break;
      context.err().printf(Locale.ROOT, "%s: waiting for %d cells other launchers hold (e.g. %s: %s); looking again in %.1f s%n",
          name, remaining.size(), remaining.get(0).relativeDirectory(),
          CellClaim.holder(CellClaim.fileFor(gridDir.resolve(remaining.get(0).relativeDirectory()))).orElse("released"),
          pollSeconds);
      Thread.sleep((long) (pollSeconds * 1000));
    }
    for (String p : layout.pretrainings()) for (GridLayout.TaskColumn t : layout.tasks()) writeGridCsv(gridDir, layout, p, t.name());
    context.err().println(name + ": all " + total + " cells complete (" + ran + " trained by this launcher)");
    logBest(context, gridDir, layout);
  }

  /**
   * Builds (without training) the task, trainer and schedule of the first cell of every
   * pre-training and task, so that config errors in a task's scope show before anything runs;
   * returns the cells' configs. The pre-trained checkpoints must exist.
   */
  List<String> buildFirstCells(RunContext context) throws IOException {
    List<String> configs = new ArrayList<>();
    Map<String, String> checkpointIds = new HashMap<>();
    GridLayout layout = layout();
    for (Pretraining p : pretrainings) {
      for (int i = 0; i < tasks.size(); i++) {
        GridCell first = layout.cells(p.name(), layout.tasks().get(i)).get(0);
        configs.add(plan(context, first, p, tasks.get(i), checkpointIds).config);
      }
    }
    return configs;
  }

  /**
   * {@code --dry_run --build_graphs}: the training + eval graph of the first cell of every task (the
   * first learning rate and steps), built from the task's scope as a cell would build it. The
   * graph does not depend on the pre-training (only the initial values do), so it is built once per
   * task, with the first pre-training; its checkpoint need not exist.
   */
  @Override
  public List<String> buildGraphs(RunContext context) {
    Path base = context.modelDir() != null ? context.modelDir() : Path.of("");
    GridLayout layout = layout();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      GridCell first = layout.cells(pretrainings.get(0).name(), layout.tasks().get(i)).get(0);
      CellObjects cell = cellObjects(context.injector(), base, first, pretrainings.get(0), tasks.get(i));
      Task task = cell.task.withBaseDirectory(base);
      boolean withEval = !task.createMetrics().isEmpty();
      lines.add(DryRunGraphs.build(tasks.get(i).name() + " (" + first.describe() + ")" + (withEval ? ", training + eval" : ""),
          g -> cell.trainer.buildGraph(task, g, 0, withEval)));
    }
    return lines;
  }

  /** What a cell runs with, built in an injector of its own so that its config is exactly its own. */
  private record CellPlan(String config, Task task, Trainer trainer, Optional<PartialRestore> restore) {}

  /** A cell's task, trainer (with the cell's steps, rate, seed, init_from) and that injector. */
  private record CellObjects(Injector injector, Task task, Trainer trainer, Optional<PartialRestore> restore) {}

  private static CellObjects cellObjects(Injector injector, Path modelDir, GridCell cell, Pretraining pretraining,
      DownstreamTask task) {
    Injector cellInjector = new Injector(injector.config());
    Map<String, Object> scheduleArgs = Map.of("rate", cell.learningRate());
    LearningRateSchedule schedule = (LearningRateSchedule) call(cellInjector, task.schedule(), scheduleArgs);
    Optional<PartialRestore> restore = pretraining.restore(modelDir);
    Map<String, Object> trainerArgs = new LinkedHashMap<>();
    trainerArgs.put("steps", cell.steps());
    trainerArgs.put("learning_rate", schedule);
    trainerArgs.put("init_from", restore);
    cell.seed().ifPresent(s -> trainerArgs.put("seed", s));
    Trainer trainer = (Trainer) call(cellInjector, task.trainer(), trainerArgs);
    Task built = (Task) call(cellInjector, task.task(), Map.of());
    return new CellObjects(cellInjector, built, trainer, restore);
  }

  private CellPlan plan(RunContext context, GridCell cell, Pretraining pretraining, DownstreamTask task,
      Map<String, String> checkpointIds) throws IOException {
    CellObjects objects = cellObjects(context.injector(), context.modelDir(), cell, pretraining, task);
    Injector cellInjector = objects.injector;
    Optional<PartialRestore> restore = objects.restore;
    Trainer trainer = objects.trainer;
    Task built = objects.task;
    String checkpointId = checkpointIds.get(pretraining.name());
    if (checkpointId == null) {
      checkpointId = checkpointIdentity(context.modelDir(), pretraining, restore);
      checkpointIds.put(pretraining.name(), checkpointId);
    }
    String config = "# fine-tuning cell " + name + "/" + cell.relativeDirectory() + "\n"
        + "# pretraining: " + pretraining.name() + ", " + checkpointId + "\n"
        + "# task: " + task.name() + "\n"
        + "# learning_rate = " + GridCell.formatRate(cell.learningRate()) + " (" + task.schedule() + ".rate)"
        + ", steps = " + cell.steps() + cell.seed().map(s -> ", seed = " + s).orElse("") + " (Trainer)\n"
        + cellInjector.operativeConfig();
    return new CellPlan(config, built, trainer, restore);
  }

  private static Object call(Injector injector, ConfigurableReference<?> ref, Map<String, ?> explicit) {
    String configurable = injector.config().registry().displayName(ref.configurable());
    return injector.call(configurable, ref.scope(), explicit);
  }

  /**
   * The pre-trained checkpoint a cell starts from, as part of its config: the configured location,
   * the checkpoint it resolves to and a hash of its bundle index (which holds a checksum of every
   * tensor), so a retrained upstream stage invalidates the cells built on it.
   */
  private static String checkpointIdentity(Path modelDir, Pretraining pretraining, Optional<PartialRestore> restore)
      throws IOException {
    if (restore.isEmpty()) return "random initialisation";
    CheckpointInfo info;
    try {
      info = restore.get().resolve();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("pretraining '" + pretraining.name() + "': " + e.getMessage()
          + " (has the stage that writes it run?)", e);
    }
    Path index = Path.of(info.prefix() + ".index");
    String digest = Files.isRegularFile(index) ? CellCompletion.sha256(Files.readAllBytes(index)) : "no index file";
    return "checkpoint " + pretraining.checkpoint().orElseThrow() + " -> " + info.directory().getFileName()
        + " (index sha256 " + digest + "), restoring " + pretraining.prefixes()
        + (pretraining.expected().isEmpty() ? "" : ", differences expected under " + pretraining.expected());
  }

  private void runCell(RunContext context, GridCell cell, DownstreamTask task, Pretraining pretraining, Path cellDir,
      CellPlan plan) throws IOException {
    String where = name + "/" + cell.relativeDirectory();
    if (CellCompletion.begin(cellDir, plan.config)) {
      context.err().println(where + ": its config changed since it last ran: old outputs deleted, starting over");
    }
    context.err().println(where + ": fine-tuning " + task.name() + " from " + pretraining.name() + ", " + cell.describe());
    Trainer trainer = plan.trainer;
    trainer.withLogger(new ProgressLogger(context.err(), System.console() != null, trainer.steps()));
    trainer.addListener(new RestoreReportWriter(cellDir.resolve(RESTORE_REPORT), where, pretraining, plan.restore,
        context.err()));
    for (StepListener l : listeners) trainer.addListener(l);
    long t0 = System.nanoTime();
    String status = CellResult.COMPLETE;
    Map<String, Double> metrics;
    try {
      TrainResult result = trainer.train(plan.task.withBaseDirectory(context.modelDir()), cellDir, plan.config);
      metrics = result.metrics();
      if (metrics.isEmpty()) {
        throw new IllegalStateException(where + ": the task produced no eval metrics: give its MultiTaskTrainingTask"
            + " eval_files and metrics");
      }
      if (!metrics.containsKey(task.metric())) {
        throw new IllegalStateException(where + ": DownstreamTask '" + task.name() + "'.metric = '" + task.metric()
            + "' is not among the eval results " + new TreeSet<>(metrics.keySet()));
      }
    } catch (LossDivergedException e) {
      // A grid's high learning rates may diverge; the cell is finished, without a result.
      context.err().println(where + ": diverged (" + e.getMessage() + "); recorded as such");
      status = CellResult.DIVERGED;
      metrics = Map.of();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    new CellResult(cell.pretraining(), cell.task(), cell.learningRate(), cell.steps(), cell.seed().orElse(null), status,
        metrics, CellCompletion.hash(plan.config), seconds).write(cellDir);
    context.err().printf(Locale.ROOT, "%s: %s %s = %s (%.1f s)%n", where, status, task.metric(),
        metrics.getOrDefault(task.metric(), Double.NaN), seconds);
  }

  private void writeGridCsv(Path gridDir, GridLayout layout, String pretraining, String taskName) throws IOException {
    GridLayout.TaskColumn column = layout.tasks().stream().filter(t -> t.name().equals(taskName)).findFirst().orElseThrow();
    List<GridCell> cells = layout.cells(pretraining, column);
    Path taskDir = gridDir.resolve(pretraining).resolve(taskName);
    Map<GridCell, CellResult> results = new HashMap<>();
    for (GridCell c : cells) {
      CellResult.read(gridDir.resolve(c.relativeDirectory())).ifPresent(r -> results.put(c, r));
    }
    Files.createDirectories(taskDir);
    GridCsv.write(taskDir, cells, results, column);
  }

  private void logBest(RunContext context, Path gridDir, GridLayout layout) throws IOException {
    for (String p : layout.pretrainings()) {
      for (GridLayout.TaskColumn t : layout.tasks()) {
        List<CellResult> results = new ArrayList<>();
        for (GridCell c : layout.cells(p, t)) CellResult.read(gridDir.resolve(c.relativeDirectory())).ifPresent(results::add);
        Optional<CellResult> best = BestCell.of(results, t.metric(), t.higherIsBetter());
        context.err().println(name + ": best " + p + " / " + t.name() + ": "
            + best.map(b -> t.metric() + " = " + b.value(t.metric()) + " at " + b.cell().describe()).orElse("no cell has a result"));
      }
    }
  }

  /** Writes {@code restore_report.json} when a cell starts fresh, and logs it. */
  private static final class RestoreReportWriter implements StepListener {
    private final Path file;
    private final String where;
    private final Pretraining pretraining;
    private final Optional<PartialRestore> restore;
    private final PrintStream log;

    RestoreReportWriter(Path file, String where, Pretraining pretraining, Optional<PartialRestore> restore,
        PrintStream log) {
      this.file = file;
      this.where = where;
      this.pretraining = pretraining;
      this.restore = restore;
      this.log = log;
    }

    /** {@code heads/classification/dense/kernel} -> {@code heads/classification/}. */
    private static String group(String variable) {
      String[] parts = variable.split("/");
      return parts.length > 2 ? parts[0] + "/" + parts[1] + "/" : parts.length == 2 ? parts[0] + "/" : variable;
    }

    @Override
    public void onInitialised(List<CheckpointVariable> model, Optional<RestoreReport> report) {
      List<String> restored = report.map(RestoreReport::restored).orElse(List.of());
      Set<String> restoredSet = new HashSet<>(restored);
      List<String> fresh = model.stream().map(CheckpointVariable::name)
          .filter(n -> !restoredSet.contains(n)).toList();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pretraining", pretraining.name());
      json.put("checkpoint", restore.map(r -> r.resolve().directory().toString()).orElse(null));
      json.put("prefixes", restore.isPresent() ? pretraining.prefixes() : List.of());
      json.put("restored", restored);
      json.put("initialised_fresh", fresh);
      report.ifPresent(r -> {
        json.put("missing_from_checkpoint", r.missing());
        json.put("extra_in_checkpoint", r.extra());
        json.put("shape_mismatches", r.shapeMismatches());
      });
      try {
        AtomicFiles.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      Set<String> freshGroups = new TreeSet<>();
      for (String n : fresh) freshGroups.add(group(n));
      log.println(where + ": " + (restore.isPresent()
          ? "restored " + restored.size() + " variables under " + pretraining.prefixes() + " from " + restore.get().checkpoint()
          : "random initialisation (nothing restored)")
          + "; initialised fresh: " + fresh.size() + " variables under " + freshGroups + " (" + file.getFileName() + ")");
    }
  }
}
