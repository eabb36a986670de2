package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.graph.MovingAverage;
import org.mustjava.core.graph.NativeGraph;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The graph of one training stage, built once: input pipeline(s), one model tower per device,
 * losses, gradients, the optimiser update, the global step, and (optionally) the eval model.
 *
 * <p>Train step = {@link #trainOp}: gradients of every tower are computed, averaged, optionally
 * clipped by global norm, then applied to the trainable variables only; BatchNorm statistic updates
 * run with it; the global step is incremented last. The updates wait for all
 * gradients: variables are ref-typed, and a read by a later gradient op would otherwise see a
 * half-updated model (wrong and nondeterministic gradients).
 *
 * <p>Objective: sum of task losses (each already weighted by the task) plus
 * {@code weightDecay / 2 * sum ||w||^2} over the trained variables among {@link
 * GraphContext#weightDecayVariables()}, so the decay gradient is {@code weightDecay * w} (the usual
 * "weight decay 1e-4" of SGD recipes). This is the only weight decay: models mark variables for
 * decay but add no decay term themselves.
 *
 * <p>Unused variables: a trainable variable the task losses send no gradient to (e.g. the P7 output
 * conv of an FPN whose heads read P2..P6 only, or a variable read only through {@code Shape} or
 * {@code StopGradient}) is left out of the update, as TensorFlow's Python optimisers do: it is neither
 * trained nor decayed, stays in checkpoints, and is listed in {@link #unusedTrainables} (the trainer
 * logs a warning naming them). Reachability is checked before {@code Graph.addGradients} by {@link
 * GradientPaths}, which would otherwise fail on them or return no gradient. Leaving them out rather
 * than failing keeps one model config usable for several head sets (a fine-tuned detector restores
 * the pre-trained P2..P7 FPN as it is); an empty set of trained variables is an error.
 *
 * <p>Devices: with n > 1 devices the batch is split into n equal slices along dimension 0, each
 * tower is built on its device ({@link GraphContext#onDevice}) with shared variables, and the
 * gradients are averaged on the variables' device. {@code Graph.addGradients} gives the ops it
 * creates no device, so each tower's new gradient ops are placed on the tower's device afterwards
 * ({@link NativeGraph#setRequestedDevice}): the backward pass runs where its forward pass ran.
 * BatchNorm normalises each slice with its own statistics (as per-replica BN in TF's
 * MirroredStrategy); its moving averages are updated once per step from the mean of the towers'
 * batch statistics ({@link GraphContext#addMovingAverage}).
 *
 * <p>Precision: the layers compute in the root context's {@link org.mustjava.core.graph.Precision};
 * everything here is float32. With loss scaling, the gradients are taken of {@code objective *
 * scale} and divided by the scale ({@link DynamicLossScale}); a step whose gradient norm is not
 * finite applies nothing (BatchNorm statistics still update, the global step still advances) and
 * halves the scale.
 */
public final class TrainingGraph {
  /** Name of the int64 step variable (a checkpoint key). */
  public static final String GLOBAL_STEP = "global_step";

  public final GraphContext root;
  public final Variable<TInt64> globalStep;
  public final Operand<TInt64> globalStepValue;
  public final TaskInputs trainInputs;
  /** Task losses averaged over towers, in task order. */
  public final Map<String, Operand<TFloat32>> taskLosses;
  public final Operand<TFloat32> weightDecayLoss;
  public final Operand<TFloat32> totalLoss;
  public final Operand<TFloat32> learningRate;
  public final Operand<TFloat32> gradientNorm;
  /** This step's loss scale (null without loss scaling, see {@link org.mustjava.core.graph.Precision}). */
  public final Operand<TFloat32> lossScale;
  public final Op trainOp;
  public final Map<String, Operand<?>> summaryImages;
  /** The eval model (null without eval): fetchable tensors by metric name, and the eval inputs. */
  public final TaskInputs evalInputs;
  public final Map<String, Operand<?>> evalTensors;
  /** Trainable variables with no gradient path from the task losses (not updated, not decayed). */
  public final List<String> unusedTrainables;

  private TrainingGraph(GraphContext root, Variable<TInt64> step, Operand<TInt64> stepValue,
      TaskInputs trainInputs, Map<String, Operand<TFloat32>> taskLosses, Operand<TFloat32> wd,
      Operand<TFloat32> total, Operand<TFloat32> lr, Operand<TFloat32> norm, Operand<TFloat32> lossScale, Op trainOp,
      Map<String, Operand<?>> images, TaskInputs evalInputs, Map<String, Operand<?>> evalTensors,
      List<String> unused) {
    this.root = root;
    this.globalStep = step;
    this.globalStepValue = stepValue;
    this.trainInputs = trainInputs;
    this.taskLosses = taskLosses;
    this.weightDecayLoss = wd;
    this.totalLoss = total;
    this.learningRate = lr;
    this.gradientNorm = norm;
    this.lossScale = lossScale;
    this.trainOp = trainOp;
    this.summaryImages = images;
    this.evalInputs = evalInputs;
    this.evalTensors = evalTensors;
    this.unusedTrainables = unused;
  }

  /** Every variable a checkpoint holds: the context's variables (model, BN, slots) and the step. */
  public List<CheckpointVariable> checkpointVariables() {
    List<CheckpointVariable> out = new ArrayList<>();
    for (ModelVariable v : root.variables()) out.add(CheckpointVariable.of(v));
    out.add(CheckpointVariable.of(GLOBAL_STEP, globalStep, Shape.scalar()));
    return out;
  }

  public static Builder builder(Task task, GraphContext root) {
    return new Builder(task, root);
  }

  /** Options of the graph; the {@link Trainer} fills them from its configuration. */
  public static final class Builder {
    private final Task task;
    private final GraphContext root;
    private Optimizer optimizer = new MomentumOptimizer(0.9, false);
    private LearningRateSchedule schedule = new ConstantLearningRate(0.1);
    private double weightDecay;
    private double clipNorm;
    private List<String> devices = List.of();
    private long totalSteps = 1;
    private long startStep;
    private boolean withEval;

    private Builder(Task task, GraphContext root) {
      this.task = task;
      this.root = root;
    }

    public Builder optimizer(Optimizer o) { this.optimizer = o; return this; }
    public Builder schedule(LearningRateSchedule s) { this.schedule = s; return this; }
    public Builder weightDecay(double wd) { this.weightDecay = wd; return this; }
    /** 0 disables clipping. */
    public Builder clipNorm(double c) { this.clipNorm = c; return this; }
    /** Empty or one entry: a single tower. */
    public Builder devices(List<String> d) { this.devices = List.copyOf(d); return this; }
    public Builder totalSteps(long n) { this.totalSteps = n; return this; }
    public Builder startStep(long s) { this.startStep = s; return this; }
    public Builder withEval(boolean e) { this.withEval = e; return this; }

    public TrainingGraph build() {
      Graph g = root.graph();
      Ops tf = root.tf();
      // Global step: int64, created like GraphContext variables (root, no device, init scope).
      Ops init = tf.withInitScope();
      Variable<TInt64> step = new Variable<>(g.opBuilder("VariableV2", GLOBAL_STEP, init.scope())
          .setAttr("shape", Shape.scalar())
          .setAttr("dtype", org.tensorflow.proto.DataType.DT_INT64)
          .build());
      init.withName(GLOBAL_STEP + "_assign").assign(step, init.constant(0L));
      Operand<TInt64> stepValue = tf.withName(GLOBAL_STEP + "_read").identity(step);

      TaskInputs inputs = task.buildInputs(root.withTraining(true), Mode.TRAIN, startStep);
      List<String> devs = devices.isEmpty() ? List.of("") : devices;
      int n = devs.size();
      if (inputs.batchSize() % n != 0) {
        throw new IllegalArgumentException(
            "batch size " + inputs.batchSize() + " does not split evenly across " + n + " devices " + devs);
      }
      List<Map<String, Operand<?>>> slices = split(tf, inputs, n);

      List<GraphContext> towerContexts = new ArrayList<>();
      List<Map<String, Operand<TFloat32>>> towerLosses = new ArrayList<>();
      List<Op> towerZeroUpdates = List.of();
      List<List<MovingAverage>> towerAverages = new ArrayList<>();
      Map<String, Operand<?>> images = Map.of();
      for (int t = 0; t < n; t++) {
        GraphContext ctx = devs.get(t).isEmpty() ? root.withTraining(true) : root.withTraining(true).onDevice(devs.get(t));
        int updatesBefore = root.updateOps().size();
        int averagesBefore = root.movingAverages().size();
        ModelOutputs out = task.buildModel(ctx, slices.get(t), Mode.TRAIN);
        if (out.losses().isEmpty()) throw new IllegalStateException(task.getClass().getSimpleName() + " built no losses");
        if (t == 0) {
          List<Op> all = root.updateOps();
          towerZeroUpdates = all.subList(updatesBefore, all.size());
          images = task.summaryImages(ctx, slices.get(0), out);
        }
        List<MovingAverage> averages = root.movingAverages();
        towerAverages.add(averages.subList(averagesBefore, averages.size()));
        towerContexts.add(ctx);
        towerLosses.add(out.losses());
      }
      List<Op> bnUpdates = n == 1 ? towerZeroUpdates
          : crossTowerUpdates(root.scope("moving_averages").tf(), towerZeroUpdates, towerAverages);

      // Variables to train: trainable and reachable by a gradient from the task losses (checked
      // before addGradients, which fails or returns no gradient for the others; see the class comment).
      Set<Operation> reachable = GradientPaths.reachableFrom(towerLosses.get(0).values());
      List<ModelVariable> used = new ArrayList<>();
      List<String> unused = new ArrayList<>();
      for (ModelVariable v : root.trainableVariables()) {
        if (reachable.contains(v.variable().op())) used.add(v);
        else unused.add(v.name());
      }
      requireTrainedVariables(used, unused);

      // Objective per tower: task losses + decay of the trained variables.
      Set<ModelVariable> usedSet = new HashSet<>(used);
      List<ModelVariable> decayed = root.weightDecayVariables().stream().filter(usedSet::contains).toList();
      List<Operand<TFloat32>> towerObjectives = new ArrayList<>();
      Operand<TFloat32> wdLoss = null;
      for (int t = 0; t < n; t++) {
        Ops ttf = towerContexts.get(t).tf();
        Operand<TFloat32> wdTower = weightDecayLoss(ttf, decayed, weightDecay);
        if (t == 0) wdLoss = wdTower;
        List<Operand<TFloat32>> terms = new ArrayList<>(towerLosses.get(t).values());
        terms.add(wdTower);
        towerObjectives.add(ttf.math.addN(terms));
      }

      // Loss scaling (Precision): the gradients are taken of objective * scale and divided by it.
      DynamicLossScale lossScale = root.precision().lossScaling() ? new DynamicLossScale(root, root.precision()) : null;
      List<Operand<TFloat32>> differentiated = towerObjectives;
      if (lossScale != null) {
        differentiated = new ArrayList<>();
        for (int t = 0; t < n; t++) differentiated.add(lossScale.scaled(towerContexts.get(t).tf(), towerObjectives.get(t)));
      }

      Output<?>[] refs = used.stream().map(v -> v.variable().asOutput()).toArray(Output<?>[]::new);
      List<Output<?>[]> rawGrads = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Set<GraphOperation> before = devs.get(t).isEmpty() ? Set.of() : allOperations(g);
        rawGrads.add(g.addGradients(t == 0 ? "gradients" : "gradients_" + t,
            new Output<?>[] {differentiated.get(t).asOutput()}, refs, null));
        // addGradients gives its ops no device: put tower t's backward pass on tower t's device.
        if (!devs.get(t).isEmpty()) {
          for (GraphOperation op : allOperations(g)) {
            if (!before.contains(op)) NativeGraph.setRequestedDevice(op, devs.get(t));
          }
        }
      }
      // Safety net: an op whose gradient function returns nothing for a float input is unknown to
      // GradientPaths; such a variable gets no gradient here and is left out like the others.
      List<ModelVariable> trained = new ArrayList<>();
      List<List<Operand<TFloat32>>> towerGrads = new ArrayList<>();
      for (int t = 0; t < n; t++) towerGrads.add(new ArrayList<>());
      for (int i = 0; i < used.size(); i++) {
        boolean missing = false;
        for (Output<?>[] grads : rawGrads) missing |= GradientPaths.isMissing(grads[i]);
        if (missing) {
          unused.add(used.get(i).name());
          continue;
        }
        trained.add(used.get(i));
        for (int t = 0; t < n; t++) towerGrads.get(t).add(rawGrads.get(t)[i].expect(TFloat32.class));
      }
      requireTrainedVariables(trained, unused);
      used = trained;
      Ops otf = root.scope("train").tf();
      List<Operand<TFloat32>> grads = new ArrayList<>();
      for (int i = 0; i < used.size(); i++) {
        if (n == 1) {
          grads.add(towerGrads.get(0).get(i));
        } else {
          List<Operand<TFloat32>> parts = new ArrayList<>();
          for (List<Operand<TFloat32>> tg : towerGrads) parts.add(tg.get(i));
          grads.add(otf.math.div(otf.math.addN(parts), otf.constant((float) n)));
        }
      }
      if (lossScale != null) grads = lossScale.unscaled(otf, grads);
      Operand<TFloat32> norm = GradientClipping.globalNorm(otf, grads);
      // With loss scaling, a step whose gradients are not finite (the norm tells) applies nothing.
      Operand<org.tensorflow.types.TBool> finite = lossScale == null ? null : otf.withName("gradients_finite").math.isFinite(norm);
      if (clipNorm > 0) grads = GradientClipping.clipByGlobalNorm(otf, grads, norm, clipNorm);
      // Updates start only when every gradient exists (see the class comment).
      List<Op> gradOps = new ArrayList<>();
      for (Operand<TFloat32> gr : grads) gradOps.add(asOp(gr));
      gradOps.add(asOp(norm));
      // One barrier op, so each gated gradient has one control edge (not one per gradient).
      Op ready = otf.withName("gradients_ready").withControlDependencies(gradOps).noOp();
      Ops after = otf.withControlDependencies(List.of(ready));
      List<Operand<TFloat32>> gated = new ArrayList<>();
      for (Operand<TFloat32> gr : grads) {
        gated.add(lossScale == null ? after.identity(gr) : DynamicLossScale.onlyIfFinite(after, gr, finite));
      }

      Operand<TFloat32> lr = otf.withName("learning_rate").identity(schedule.build(otf, stepValue, totalSteps));
      Operand<TFloat32> gatedLr = lossScale == null ? after.identity(lr) : DynamicLossScale.onlyIfFinite(after, lr, finite);
      Op apply = optimizer.apply(root, used, gated, gatedLr);
      List<Op> updates = new ArrayList<>(bnUpdates);
      if (lossScale == null) {
        updates.add(apply);
      } else {
        // The step counts whether or not it applied anything (the step is the loop's, not the optimiser's).
        updates.add(DynamicLossScale.afterSkippableUpdate(otf, apply, finite));
        updates.add(lossScale.update(otf.withSubScope("loss_scale"), finite));
      }
      Op increment = otf.withControlDependencies(updates).assignAdd(step, otf.constant(1L));
      Op trainOp = otf.withName("train_op").withControlDependencies(List.of(increment)).noOp();

      Map<String, Operand<TFloat32>> taskLosses = new LinkedHashMap<>();
      for (String name : towerLosses.get(0).keySet()) {
        if (n == 1) {
          taskLosses.put(name, towerLosses.get(0).get(name));
        } else {
          List<Operand<TFloat32>> parts = new ArrayList<>();
          for (Map<String, Operand<TFloat32>> tl : towerLosses) parts.add(tl.get(name));
          taskLosses.put(name, otf.math.div(otf.math.addN(parts), otf.constant((float) n)));
        }
      }
      List<Operand<TFloat32>> totalTerms = new ArrayList<>(taskLosses.values());
      totalTerms.add(wdLoss);
      Operand<TFloat32> total = otf.withName("total_loss").math.addN(totalTerms);

      TaskInputs evalInputs = null;
      Map<String, Operand<?>> evalTensors = Map.of();
      if (withEval) {
        GraphContext ectx = root.withTraining(false);
        evalInputs = task.buildInputs(ectx, Mode.EVAL, 0);
        ModelOutputs eout = task.buildModel(ectx, evalInputs.tensors(), Mode.EVAL);
        Map<String, Operand<?>> et = new LinkedHashMap<>();
        evalInputs.tensors().forEach((k, v) -> et.put("inputs/" + k, v));
        et.putAll(eout.flatPredictions());
        evalTensors = validRowsOnly(ectx.scope("eval_valid_rows").tf(), et, evalInputs);
        Map<String, Operand<?>> withLosses = new LinkedHashMap<>(evalTensors);
        eout.losses().forEach((k, v) -> withLosses.put("losses/" + k, v));
        evalTensors = withLosses;
      }
      return new TrainingGraph(root, step, stepValue, inputs, taskLosses, wdLoss, total, lr, norm,
          lossScale == null ? null : lossScale.scale(), trainOp, images, evalInputs, evalTensors, unused);
    }
  }

  private static Set<GraphOperation> allOperations(Graph g) {
    Set<GraphOperation> ops = new HashSet<>();
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) ops.add(it.next());
    return ops;
  }

  /**
   * The update ops of a multi-tower step: tower 0's plain update ops, except that every moving
   * average (BatchNorm statistics) is updated once, from the mean of all towers' batch values
   * (the mean of the towers' statistics, as cross-replica BatchNorm's moving averages; for equal
   * tower batches the mean of batch means is the whole-batch mean, the mean of variances omits
   * the spread between tower means).
   */
  private static List<Op> crossTowerUpdates(Ops tf, List<Op> towerZeroUpdates, List<List<MovingAverage>> towers) {
    Set<Op> replaced = new HashSet<>();
    for (MovingAverage m : towers.get(0)) replaced.add(m.update());
    List<Op> out = new ArrayList<>();
    for (Op op : towerZeroUpdates) if (!replaced.contains(op)) out.add(op);
    for (int i = 0; i < towers.get(0).size(); i++) {
      MovingAverage first = towers.get(0).get(i);
      List<Operand<TFloat32>> values = new ArrayList<>();
      for (List<MovingAverage> tower : towers) {
        if (tower.size() != towers.get(0).size() || !tower.get(i).variable().name().equals(first.variable().name())) {
          throw new IllegalStateException("towers registered different moving averages (tower 0 has "
              + towers.get(0).size() + ", another " + tower.size() + "); the model must build the same in every tower");
        }
        values.add(tower.get(i).batchValue());
      }
      Operand<TFloat32> mean = tf.math.div(tf.math.addN(values), tf.constant((float) values.size()));
      Operand<TFloat32> read = tf.identity(first.variable().variable());
      out.add(tf.assignSub(first.variable().variable(), tf.math.mul(tf.math.sub(read, mean), tf.constant(first.decay()))));
    }
    return out;
  }

  /**
   * Drops the padding rows ({@link TaskInputs#EXAMPLE_VALID} zero) from every batch-major tensor (rank
   * >= 1), so metrics see exactly the examples of the eval set; without that input, returns
   * {@code tensors} as they are.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Operand<?>> validRowsOnly(Ops tf, Map<String, Operand<?>> tensors, TaskInputs inputs) {
    Operand<?> validity = inputs.tensors().get(TaskInputs.EXAMPLE_VALID);
    if (validity == null) return tensors;
    Operand<org.tensorflow.types.TBool> valid = validity.type() == org.tensorflow.types.TBool.class
        ? (Operand<org.tensorflow.types.TBool>) validity
        : tf.math.notEqual(tf.dtypes.cast(validity, TFloat32.class), tf.constant(0f));
    Operand<TInt64> rows = tf.reshape(tf.where(valid), tf.constant(new int[] {-1}));
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    tensors.forEach((name, t) -> {
      int rank = t.shape().numDimensions();
      out.put(name, rank >= 1 ? tf.gather(t, rows, tf.constant(0)) : t);
    });
    return out;
  }

  private static void requireTrainedVariables(List<ModelVariable> trained, List<String> unused) {
    if (trained.isEmpty()) {
      throw new IllegalStateException("no trainable variable gets a gradient from the task losses; without one: "
          + unused);
    }
  }

  /**
   * The warning the trainer logs for {@link #unusedTrainables} (empty when there are none): the
   * variables, what happens to them, and how to get rid of them.
   */
  public String unusedTrainablesWarning() {
    if (unusedTrainables.isEmpty()) return "";
    return "WARNING: " + unusedTrainables.size() + " trainable variables get no gradient from the task losses"
        + " and are neither trained nor decayed (they stay in checkpoints): " + unusedTrainables
        + ". If that is not intended: make a head read them (or return a loss), or drop them from the model,"
        + " e.g. set FPN.max_level = 6 when no head reads P7.";
  }

  private static Op asOp(Operand<?> o) {
    Operation op = o.op();
    return new Op() {
      @Override
      public Operation op() {
        return op;
      }

      @Override
      public org.tensorflow.ExecutionEnvironment env() {
        return op.env();
      }
    };
  }

  static Operand<TFloat32> weightDecayLoss(Ops tf, List<ModelVariable> vars, double weightDecay) {
    if (weightDecay == 0 || vars.isEmpty()) return tf.constant(0f);
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (ModelVariable v : vars) {
      Operand<TFloat32> w = tf.identity(v.variable());
      terms.add(tf.reduceSum(tf.math.square(w), GradientClipping.allAxes(tf, w)));
    }
    Operand<TFloat32> sum = terms.size() == 1 ? terms.get(0) : tf.math.addN(terms);
    return tf.math.mul(sum, tf.constant((float) (weightDecay / 2)));
  }

  /** Splits every input along dimension 0 into {@code n} equal slices. */
  private static List<Map<String, Operand<?>>> split(Ops tf, TaskInputs inputs, int n) {
    List<Map<String, Operand<?>>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new LinkedHashMap<>());
    for (Map.Entry<String, Operand<?>> e : new java.util.TreeMap<>(inputs.tensors()).entrySet()) {
      if (n == 1) {
        out.get(0).put(e.getKey(), e.getValue());
        continue;
      }
      var parts = tf.withSubScope("split_" + e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_"))
          .split(tf.constant(0), e.getValue(), (long) n);
      for (int i = 0; i < n; i++) out.get(i).put(e.getKey(), parts.output().get(i));
    }
    return out;
  }
}
