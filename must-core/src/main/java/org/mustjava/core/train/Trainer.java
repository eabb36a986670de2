package org.mustjava.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.IteratorState;
import org.mustjava.core.checkpoint.PartialRestore;
import org.mustjava.core.checkpoint.RestoreReport;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.distributed.ClusterRuntime;
import org.mustjava.core.export.SavedModelExporter;
import org.mustjava.core.gradients.CustomGradients;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Precision;
import org.mustjava.core.summary.PngImages;
import org.mustjava.core.summary.SummaryWriter;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains one {@link Task} in one stage directory (Model Garden's trainer + controller): builds the
 * {@link TrainingGraph} once, resumes from the stage's latest checkpoint or starts fresh (optionally
 * initialised by a {@link PartialRestore}), runs the steps with logging, TensorBoard summaries,
 * checkpoints, the loss guard and periodic evaluation, and exports the best model.
 *
 * <p>Stage directory layout: {@code checkpoints/} (see {@link CheckpointManager}), {@code train/} and
 * {@code eval/} event files, {@code metrics.json} ({@link MetricsFile}), {@code export/best} and
 * {@code export/final} SavedModels.
 *
 * <p>Resume contract: a rerun in the same directory restores step, weights, optimiser slots and
 * BatchNorm statistics from the latest checkpoint and asks the task for its inputs from that step
 * on ({@link Task#buildInputs}); with a deterministic task the losses after the resume equal those
 * of an uninterrupted run. A rerun after the last step trains nothing (and says so); it only runs a
 * missing final evaluation and completes exports a killed or failed run left missing.
 */
public final class Trainer {
  private final long steps;
  private final Optimizer optimizer;
  private final LearningRateSchedule learningRate;
  private final double weightDecay;
  private final double clipNorm;
  private final int logEvery;
  private final int summaryEvery;
  private final int imageSummaryEvery;
  private final int checkpointEvery;
  private final int keepCheckpoints;
  private final int evalEvery;
  private final long evalBatches;
  private final double maxLoss;
  private final List<String> devices;
  private final long seed;
  private Optional<PartialRestore> initFrom;
  private final String bestMetric;
  private final boolean bestHigherIsBetter;
  private final boolean exportFinal;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final Precision precision;
  private final List<StepListener> listeners = new ArrayList<>();
  private ProgressLogger logger;

  /**
   * @param steps total training steps of the stage
   * @param optimizer how gradients are applied
   * @param learningRate schedule over {@code steps}
   * @param weightDecay L2 coefficient on the variables the model marks for decay (kernels; gradient
   *     {@code weightDecay * w}). The only place weight decay is configured: models mark variables,
   *     they add no decay term of their own.
   * @param clipNorm clip gradients to this global norm (0: no clipping)
   * @param logEvery progress line every N steps
   * @param summaryEvery scalar summaries every N steps
   * @param imageSummaryEvery image summaries every N steps (0: never)
   * @param checkpointEvery checkpoint every N steps (and always at the last step)
   * @param keepCheckpoints how many checkpoints to keep
   * @param evalEvery evaluate every N steps (0: only after the last step); evaluation saves a
   *     checkpoint of that step first
   * @param evalBatches batches per evaluation (0: the whole eval set)
   * @param maxLoss the loss guard's bound for every task loss and the total
   * @param devices one tower per device, e.g. {@code ['/device:CPU:0', '/device:CPU:1']}; empty: one
   *     tower, placed by TF. When this process is the chief of a cluster (tools/run-experiment
   *     --cluster), each worker task gets these towers, or one tower each when empty
   *     ({@link ClusterRuntime#towerDevices})
   * @param seed seeds every initializer (and whatever the task seeds from the context)
   * @param initFrom on a fresh start, initialise variables from another checkpoint
   * @param bestMetric eval result that selects {@code export/best} (e.g. {@code segmentation/miou});
   *     empty: no best export
   * @param bestHigherIsBetter whether larger {@code bestMetric} values are better
   * @param exportFinal export {@code export/final} after the last step
   * @param intraOpThreads TF threads per op (0: all cores)
   * @param interOpThreads TF ops in parallel (0: TF default)
   * @param precision the layers' compute type and loss scaling (default float32, no scaling);
   *     variables, checkpoints and exports stay float32 either way
   */
  @Configurable
  public Trainer(
      @Default("1000") long steps,
      @Default("@MomentumOptimizer()") Optimizer optimizer,
      @Default("@ConstantLearningRate()") LearningRateSchedule learningRate,
      @Default("0.0") double weightDecay,
      @Default("0.0") double clipNorm,
      @Default("100") int logEvery,
      @Default("100") int summaryEvery,
      @Default("0") int imageSummaryEvery,
      @Default("1000") int checkpointEvery,
      @Default("3") int keepCheckpoints,
      @Default("0") int evalEvery,
      @Default("0") long evalBatches,
      @Default("1e6") double maxLoss,
      @Default("[]") List<String> devices,
      @Default("0") long seed,
      Optional<PartialRestore> initFrom,
      @Default("''") String bestMetric,
      @Default("True") boolean bestHigherIsBetter,
      @Default("False") boolean exportFinal,
      @Default("0") int intraOpThreads,
      @Default("0") int interOpThreads,
      @Default("@Precision()") Precision precision) {
    require(steps > 0, "Trainer.steps must be positive: " + steps);
    require(logEvery > 0 && summaryEvery > 0 && checkpointEvery > 0,
        "Trainer.log_every, summary_every and checkpoint_every must be positive");
    require(imageSummaryEvery >= 0 && evalEvery >= 0 && evalBatches >= 0,
        "Trainer.image_summary_every, eval_every and eval_batches must be >= 0");
    require(keepCheckpoints >= 1, "Trainer.keep_checkpoints must be >= 1: " + keepCheckpoints);
    require(weightDecay >= 0 && clipNorm >= 0, "Trainer.weight_decay and clip_norm must be >= 0");
    this.steps = steps;
    this.optimizer = optimizer;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    this.logEvery = logEvery;
    this.summaryEvery = summaryEvery;
    this.imageSummaryEvery = imageSummaryEvery;
    this.checkpointEvery = checkpointEvery;
    this.keepCheckpoints = keepCheckpoints;
    this.evalEvery = evalEvery;
    this.evalBatches = evalBatches;
    this.maxLoss = maxLoss;
    this.devices = List.copyOf(devices);
    this.seed = seed;
    this.initFrom = initFrom == null ? Optional.empty() : initFrom;
    this.bestMetric = bestMetric;
    this.bestHigherIsBetter = bestHigherIsBetter;
    this.exportFinal = exportFinal;
    this.intraOpThreads = intraOpThreads;
    this.interOpThreads = interOpThreads;
    this.precision = precision;
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  public long steps() {
    return steps;
  }

  public long seed() {
    return seed;
  }

  public Precision precision() {
    return precision;
  }

  /** A root context for this trainer's graph: its seed and precision. */
  public GraphContext rootContext(Graph graph) {
    return GraphContext.create(graph, seed, precision);
  }

  public Trainer addListener(StepListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Where progress goes (default: stdout, with a bar on a terminal). */
  public Trainer withLogger(ProgressLogger logger) {
    this.logger = logger;
    return this;
  }

  /** Resolves a relative {@code init_from} checkpoint against {@code base} (a stage's model directory). */
  public Trainer withBaseDirectory(Path base) {
    initFrom = initFrom.map(r -> r.resolvedAgainst(base));
    return this;
  }

  /** Builds the training graph of {@code task} (for benchmarks and tests of the graph alone). */
  public TrainingGraph buildGraph(Task task, GraphContext root, long startStep, boolean withEval) {
    // Java gradients (e.g. SparseSoftmaxCrossEntropyWithLogits) must exist before addGradients.
    CustomGradients.ensureRegistered();
    return TrainingGraph.builder(task, root)
        .optimizer(optimizer)
        .schedule(learningRate)
        .weightDecay(weightDecay)
        .clipNorm(clipNorm)
        .devices(ClusterRuntime.towerDevices(devices))
        .totalSteps(steps)
        .startStep(startStep)
        .withEval(withEval)
        .build();
  }

  /** Session options for this trainer's devices and threads. */
  public org.tensorflow.proto.ConfigProto sessionConfig() {
    long cpus = devices.stream().filter(d -> d.toUpperCase(java.util.Locale.ROOT).contains("CPU")).count();
    return SessionConfigs.create((int) Math.max(1, cpus), intraOpThreads, interOpThreads);
  }

  /**
   * Trains {@code task} in {@code stageDir} to {@link #steps()} (resuming if checkpoints exist).
   *
   * @param operativeConfig the run's operative config, shown in TensorBoard's text tab ("" for none)
   * @throws LossDivergedException when the loss guard stops the run
   */
  public TrainResult train(Task task, Path stageDir, String operativeConfig) throws IOException {
    ProgressLogger log = logger != null ? logger : ProgressLogger.forStdout(steps);
    CpuKernels.adviceOnce().ifPresent(log::message);
    CheckpointManager checkpoints = new CheckpointManager(stageDir.resolve("checkpoints"), keepCheckpoints);
    Optional<CheckpointInfo> latest = checkpoints.latest();
    long start = latest.map(CheckpointInfo::step).orElse(0L);
    boolean withEval = !task.createMetrics().isEmpty();
    MetricsFile metricsFile = new MetricsFile(stageDir.resolve("metrics.json"));
    if (start >= steps) {
      boolean evalDone = !withEval || metricsFile.at(start).isPresent();
      if (evalDone) {
        boolean exported = exportMissing(task, checkpoints, metricsFile, stageDir, log);
        if (!exported) {
          log.message("stage " + stageDir + " is already trained (checkpoint at step " + start + " >= " + steps
              + " steps): nothing to train");
        }
        return new TrainResult(start, start, 0, Map.of(),
            metricsFile.at(start).map(MetricsFile.Evaluation::metrics).orElse(Map.of()), 0, 0);
      }
      log.message("stage " + stageDir + " is trained to step " + start + "; running its missing final evaluation");
    }

    // Resume the input stream from the iterator state saved with the checkpoint when there is one
    // (O(1) in the step); otherwise the task skips startStep x batch examples.
    boolean restoreIterator = latest.isPresent() && IteratorState.exists(latest.get().directory());
    try (Graph graph = new Graph()) {
      GraphContext root = rootContext(graph);
      TrainingGraph tg = buildGraph(task, root, restoreIterator ? 0 : start, withEval);
      if (!tg.unusedTrainables.isEmpty()) log.message(tg.unusedTrainablesWarning());
      List<CheckpointVariable> ckptVars = tg.checkpointVariables();
      Saver saver = new Saver(root.scope("saver").tf(), ckptVars);
      IteratorState iteratorState = tg.trainInputs.iterator() == null ? null
          : new IteratorState(root.scope("saver").tf(), tg.trainInputs.iterator());
      if (restoreIterator && iteratorState == null) {
        throw new IllegalStateException(latest.get().directory() + " holds an input iterator state, but the task's "
            + "training inputs have no iterator to restore it into");
      }
      try (Session session = ClusterRuntime.openSession(graph, sessionConfig());
          Run run = new Run(task, tg, saver, iteratorState, session, checkpoints, metricsFile, stageDir, log)) {
        session.initialize();
        if (latest.isPresent()) {
          saver.restore(session, latest.get().prefix());
          log.message("resumed from " + latest.get().directory() + " (step " + start + ")");
        } else {
          List<CheckpointVariable> model = ckptVars.stream()
              .filter(v -> !v.name().startsWith("optimizer/") && !v.name().equals(TrainingGraph.GLOBAL_STEP)).toList();
          Optional<RestoreReport> report = Optional.empty();
          if (initFrom.isPresent()) {
            report = Optional.of(initFrom.get().restore(session, root.tf(), model));
            log.message("initialised from " + initFrom.get().checkpoint() + ": " + report.get());
          }
          for (StepListener l : listeners) l.onInitialised(model, report);
        }
        long restoredStep = readStep(session, tg);
        if (restoredStep != start) {
          throw new IllegalStateException("checkpoint " + latest.map(CheckpointInfo::directory).orElse(null)
              + " holds global_step " + restoredStep + " but is named for step " + start);
        }
        try {
          return run.loop(start, operativeConfig, restoreIterator ? latest.get().directory() : null);
        } catch (RuntimeException e) {
          throw ClusterRuntime.explain(task.explainFailure(e));
        }
      }
    }
  }

  private static Path finalExportDir(Path stageDir) {
    return stageDir.resolve("export").resolve("final");
  }

  /**
   * Whether {@code stageDir} lacks the final export this trainer makes ({@code export_final}), e.g.
   * deleted by hand or lost to a killed export: a rerun of {@link #train} then exports it without
   * training. (Stage caches ask this before skipping a completed stage.)
   */
  public boolean finalExportMissing(Path stageDir) {
    return exportFinal && !java.nio.file.Files.isDirectory(finalExportDir(stageDir));
  }

  private static Path bestExportDir(Path stageDir) {
    return stageDir.resolve("export").resolve("best");
  }

  /**
   * Completes the exports of a stage whose training and evaluation are done but whose export was
   * killed or failed (exports are renamed into place, so a present directory is complete):
   * {@code export/final} from the latest checkpoint, {@code export/best} from the checkpoint of the
   * recorded best step if it is still kept. Returns whether it exported anything.
   */
  private boolean exportMissing(Task task, CheckpointManager checkpoints, MetricsFile metricsFile, Path stageDir,
      ProgressLogger log) throws IOException {
    boolean exported = false;
    Optional<CheckpointInfo> latest = checkpoints.latest();
    if (exportFinal && latest.isPresent() && !java.nio.file.Files.isDirectory(finalExportDir(stageDir))) {
      List<String> keys = SavedModelExporter.export(task, latest.get().prefix(), finalExportDir(stageDir), seed);
      log.message("stage " + stageDir + " is trained but its final export was missing: exported "
          + finalExportDir(stageDir) + " (step " + latest.get().step() + ") with signatures " + keys);
      exported = true;
    }
    Optional<MetricsFile.Best> best = metricsFile.best().filter(b -> b.metric().equals(bestMetric));
    if (!bestMetric.isEmpty() && best.isPresent() && !java.nio.file.Files.isDirectory(bestExportDir(stageDir))) {
      long step = best.get().step();
      Optional<CheckpointInfo> ckpt = checkpoints.checkpoints().stream().filter(c -> c.step() == step).findFirst();
      if (ckpt.isPresent()) {
        SavedModelExporter.export(task, ckpt.get().prefix(), bestExportDir(stageDir), seed);
        log.message("the best export was missing: exported " + bestExportDir(stageDir) + " (step " + step + ")");
        exported = true;
      } else {
        log.message("WARNING: " + bestExportDir(stageDir) + " is missing and the checkpoint of its best step " + step
            + " is no longer kept; it cannot be re-exported");
      }
    }
    return exported;
  }

  private static long readStep(Session session, TrainingGraph tg) {
    try (Result r = session.runner().fetch(tg.globalStepValue).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** State of one call to {@link #train}. */
  private final class Run implements AutoCloseable {
    private final Task task;
    private final TrainingGraph tg;
    private final Saver saver;
    private final IteratorState iteratorState;
    private final Session session;
    private final CheckpointManager checkpoints;
    private final MetricsFile metricsFile;
    private final Path stageDir;
    private final ProgressLogger log;
    private SummaryWriter trainWriter;
    private SummaryWriter evalWriter;
    private long lastCheckpoint = -1;

    Run(Task task, TrainingGraph tg, Saver saver, IteratorState iteratorState, Session session,
        CheckpointManager checkpoints, MetricsFile metricsFile, Path stageDir, ProgressLogger log) {
      this.task = task;
      this.tg = tg;
      this.saver = saver;
      this.iteratorState = iteratorState;
      this.session = session;
      this.checkpoints = checkpoints;
      this.metricsFile = metricsFile;
      this.stageDir = stageDir;
      this.log = log;
    }

    /** @param iteratorCheckpoint checkpoint whose input iterator state to restore, or {@code null} */
    TrainResult loop(long start, String operativeConfig, Path iteratorCheckpoint) throws IOException {
      lastCheckpoint = start;
      for (Op init : tg.trainInputs.initializers()) session.runner().addTarget(init).run();
      if (iteratorCheckpoint != null) {
        iteratorState.restore(session, iteratorCheckpoint);
        log.message("input stream restored from " + iteratorCheckpoint.resolve(IteratorState.BUNDLE_NAME));
      }
      trainWriter = new SummaryWriter(stageDir.resolve("train"));
      if (start > 0) trainWriter.sessionStart(start);
      if (!operativeConfig.isEmpty()) trainWriter.preformattedText("operative_config", operativeConfig, start);
      trainWriter.flush();

      List<String> lossNames = new ArrayList<>(tg.taskLosses.keySet());
      // Every per-step scalar in one vector: one fetched tensor per step keeps the loop cheap.
      List<Operand<TFloat32>> scalarList = new ArrayList<>(tg.taskLosses.values());
      scalarList.add(tg.weightDecayLoss);
      scalarList.add(tg.totalLoss);
      scalarList.add(tg.learningRate);
      scalarList.add(tg.gradientNorm);
      if (tg.lossScale != null) scalarList.add(tg.lossScale);
      // Corrupt records the input skipped (Pipeline.skip_corrupt) before this batch's examples.
      @SuppressWarnings("unchecked")
      Operand<TInt64> skippedPerExample =
          (Operand<TInt64>) tg.trainInputs.tensors().get(TaskInputs.CORRUPT_RECORDS_SKIPPED);
      boolean countSkipped = skippedPerExample != null;
      if (countSkipped) {
        Ops t = tg.root.scope("train").tf();
        scalarList.add(t.dtypes.cast(t.reduceSum(skippedPerExample, t.constant(0)), TFloat32.class));
      }
      long corruptSkipped = 0;
      long corruptSkippedLogged = 0;
      Operand<TFloat32> stepScalars = tg.root.scope("train").tf().withName("step_scalars").stack(scalarList);
      List<String> imageNames = new ArrayList<>(tg.summaryImages.keySet());
      LossGuard guard = new LossGuard(maxLoss);
      int batch = tg.trainInputs.batchSize();

      Map<String, Double> losses = Map.of();
      long windowStart = System.nanoTime();
      long windowSteps = 0;
      long excludedNanos = 0; // checkpoint and eval time, not part of the training rate
      double imagesPerSecond = Double.NaN;
      long loopStart = System.nanoTime();
      long runNanos = 0;
      for (long step = start + 1; step <= steps; step++) {
        boolean images = imageSummaryEvery > 0 && !imageNames.isEmpty() && step % imageSummaryEvery == 0;
        Session.Runner runner = session.runner().addTarget(tg.trainOp);
        runner.fetch(stepScalars);
        if (images) for (String n : imageNames) runner.fetch(tg.summaryImages.get(n));
        double lr;
        double norm;
        double lossScale;
        long runStart = System.nanoTime();
        Result result = runner.run();
        runNanos += System.nanoTime() - runStart;
        try (Result r = result) {
          losses = new LinkedHashMap<>();
          TFloat32 values = (TFloat32) r.get(0);
          for (int i = 0; i < lossNames.size(); i++) losses.put(lossNames.get(i), (double) values.getFloat(i));
          int k = lossNames.size();
          losses.put("weight_decay", (double) values.getFloat(k));
          losses.put("total", (double) values.getFloat(k + 1));
          lr = values.getFloat(k + 2);
          norm = values.getFloat(k + 3);
          int extra = k + 4; // the optional scalars, in the order they were stacked
          lossScale = tg.lossScale == null ? Double.NaN : values.getFloat(extra++);
          if (countSkipped) corruptSkipped += (long) values.getFloat(extra);
          // With loss scaling a non-finite norm is a skipped step that halved the scale; it is a
          // divergence only once the scale is down to 1.
          boolean skipped = tg.lossScale != null && !Double.isFinite(norm) && lossScale > 1;
          guard.check(step, losses, skipped ? 0 : norm, lastCheckpoint > 0
              ? "the last good checkpoint is step " + lastCheckpoint + " in " + checkpoints.directory()
              : "no checkpoint was written yet (a rerun starts from scratch)");
          if (images) {
            for (int i = 0; i < imageNames.size(); i++) {
              Tensor t = r.get(1 + i);
              long n = Math.min(3, t.shape().get(0));
              for (int j = 0; j < n; j++) trainWriter.image(imageNames.get(i) + "/image/" + j, PngImages.encode(t, j), step);
            }
          }
        }
        windowSteps++;
        for (StepListener l : listeners) l.onStep(step, losses, lr);
        if (step % summaryEvery == 0 || step % logEvery == 0 || step == steps) {
          long now = System.nanoTime();
          double seconds = (now - windowStart - excludedNanos) / 1e9;
          if (seconds > 0) imagesPerSecond = windowSteps * batch / seconds;
          if (step % summaryEvery == 0 || step == steps) {
            Map<String, Double> scalars = new LinkedHashMap<>();
            losses.forEach((name, v) -> scalars.put("loss/" + name, v));
            scalars.put("learning_rate", lr);
            scalars.put("gradient_norm", norm);
            if (tg.lossScale != null) scalars.put("loss_scale", lossScale);
            if (!Double.isNaN(imagesPerSecond)) scalars.put("images_per_second", imagesPerSecond);
            if (countSkipped) scalars.put(Evaluator.CORRUPT_RECORDS_SKIPPED, (double) corruptSkipped);
            trainWriter.scalars(scalars, step);
            trainWriter.flush();
          }
          if (step % logEvery == 0 || step == steps) {
            double secondsPerStep = batch / imagesPerSecond;
            log.report(step, losses, lr, imagesPerSecond, (steps - step) * secondsPerStep);
            if (corruptSkipped > corruptSkippedLogged) {
              log.message("skipped " + corruptSkipped + " corrupt training records so far in this run"
                  + " (Pipeline.skip_corrupt)");
              corruptSkippedLogged = corruptSkipped;
            }
          }
          windowStart = System.nanoTime();
          windowSteps = 0;
          excludedNanos = 0;
        }
        long before = System.nanoTime();
        boolean evalNow = tg.evalInputs != null && ((evalEvery > 0 && step % evalEvery == 0) || step == steps);
        if (step % checkpointEvery == 0 || step == steps || evalNow) save(step);
        if (evalNow) evaluate(step);
        excludedNanos += System.nanoTime() - before;
      }
      double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
      Map<String, Double> metrics = Map.of();
      if (tg.evalInputs != null) {
        if (start >= steps) evaluate(start); // the missing final evaluation
        metrics = metricsFile.at(steps).map(MetricsFile.Evaluation::metrics).orElse(Map.of());
      }
      if (exportFinal && start < steps) {
        List<String> keys = SavedModelExporter.export(task, checkpoints.latest().orElseThrow().prefix(),
            finalExportDir(stageDir), seed);
        log.message("exported " + finalExportDir(stageDir) + " with signatures " + keys);
      }
      exportMissing(task, checkpoints, metricsFile, stageDir, log); // a best export killed earlier
      if (countSkipped && start < steps) {
        log.message("skipped " + corruptSkipped + " corrupt training records in steps " + (start + 1) + "-" + steps
            + " (Pipeline.skip_corrupt)");
      }
      if (start < steps && runNanos > 0) {
        log.message(String.format(java.util.Locale.ROOT,
            "trained %d steps in %.1f s, %.1f s of it in the train step (loop overhead %.1f%%)",
            steps - start, loopSeconds, runNanos / 1e9, 100 * (loopSeconds / (runNanos / 1e9) - 1)));
      }
      return new TrainResult(start, steps, Math.max(0, steps - start), losses, metrics, loopSeconds, runNanos / 1e9);
    }

    private void save(long step) throws IOException {
      if (step == lastCheckpoint) return;
      checkpoints.save(session, saver, step, iteratorState == null ? null : dir -> iteratorState.save(session, dir));
      lastCheckpoint = step;
      for (StepListener l : listeners) l.onCheckpoint(step);
    }

    private void evaluate(long step) throws IOException {
      List<EvalMetric> metrics = task.createMetrics();
      Evaluator.Results results = Evaluator.evaluate(session, tg.evalInputs, tg.evalTensors, metrics, evalBatches);
      if (evalWriter == null) evalWriter = new SummaryWriter(stageDir.resolve("eval"));
      evalWriter.scalars(results.metrics(), step);
      evalWriter.flush();
      boolean best = metricsFile.record(step, results.metrics(), bestMetric, bestHigherIsBetter);
      log.message(String.format(java.util.Locale.ROOT, "eval at step %d over %d examples:\n%s", step,
          results.examples(), MetricsTable.format(results.metrics())));
      for (StepListener l : listeners) l.onEvaluation(step, results.metrics());
      if (best) {
        CheckpointInfo ckpt = checkpoints.latest().orElseThrow();
        Path dir = bestExportDir(stageDir);
        SavedModelExporter.export(task, ckpt.prefix(), dir, seed);
        log.message("new best " + bestMetric + " = " + MetricsTable.number(results.metrics().get(bestMetric))
            + ": exported " + dir);
      }
    }

    @Override
    public void close() {
      try {
        if (trainWriter != null) trainWriter.close();
        if (evalWriter != null) evalWriter.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing summary writers in " + stageDir, e);
      }
    }
  }
}
