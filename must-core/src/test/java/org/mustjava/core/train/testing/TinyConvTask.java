package org.mustjava.core.train.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.EvalMetric;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A two-task test problem on random 8x8 images: conv 3x3 (optionally with BatchNorm) + ReLU + mean
 * pool, then a 2-output "regression" head and a 1-output "aux" head, both with MSE to fixed random
 * projections of the image. Batches are a stateless function of the batch index, so training is
 * deterministic and resumable.
 */
public final class TinyConvTask implements Task {
  public static final int SIZE = 8;
  private final int batchSize;
  private final boolean batchNorm;
  private final long dataSeed;
  private final int evalBatches;
  private double auxWeight = 0.5;
  private boolean explodeAux;
  private boolean unusedVariables;
  private boolean iteratorState;
  private long spikeBatch = -1;

  public TinyConvTask(int batchSize, boolean batchNorm, long dataSeed, int evalBatches) {
    this.batchSize = batchSize;
    this.batchNorm = batchNorm;
    this.dataSeed = dataSeed;
    this.evalBatches = evalBatches;
  }

  /** Multiplies the aux loss by 1e30 (overflows to Inf): for the loss-guard test. */
  public TinyConvTask explodeAux() {
    this.explodeAux = true;
    return this;
  }

  /**
   * Hands the training input's iterator to the trainer, which then saves its state with every
   * checkpoint and restores it on resume instead of skipping to the step.
   */
  public TinyConvTask withIteratorState() {
    this.iteratorState = true;
    return this;
  }

  /**
   * Multiplies the aux loss by 1e34 on batch {@code index} (0-based): finite, but its gradients times
   * a loss scale of 2^15 are not. For the loss-scaling test (set {@code Trainer.max_loss} above 1e35).
   */
  public TinyConvTask spikeAuxAt(long index) {
    this.spikeBatch = index;
    return this;
  }

  /**
   * Adds trainable variables the losses send no gradient to: {@code extra/unread/{kernel,bias}} (a
   * convolution whose output nothing reads, like an FPN level no head uses), {@code
   * extra/frozen/kernel} (read through a {@code StopGradient}) and {@code extra/shape_only/kernel}
   * (read only through its {@code Size}). The predictions do not change.
   */
  public TinyConvTask withUnusedVariables() {
    this.unusedVariables = true;
    return this;
  }

  /** The variables {@link #withUnusedVariables()} adds. */
  public static final List<String> UNUSED_VARIABLES =
      List.of("extra/unread/kernel", "extra/unread/bias", "extra/frozen/kernel", "extra/shape_only/kernel");

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    Ops tf = ctx.scope(mode == Mode.TRAIN ? "train_input" : "eval_input").tf();
    StepIndexDataset ds = mode == Mode.TRAIN
        ? new StepIndexDataset(tf, "train", startStep, Long.MAX_VALUE)
        : new StepIndexDataset(tf, "eval", 1_000_000, 1_000_000 + evalBatches);
    Operand<TFloat32> image = tf.random.statelessRandomNormal(
        tf.constant(Shape.of(batchSize, SIZE, SIZE, 3)), tf.stack(List.of(tf.constant(dataSeed), ds.index)));
    // Targets: fixed random projections of the mean colour (learnable by the model).
    Operand<TFloat32> mean = tf.math.mean(image, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> proj = tf.random.statelessRandomNormal(tf.constant(Shape.of(3, 3)), tf.constant(new long[] {7, 7}));
    Operand<TFloat32> target = tf.linalg.matMul(mean, proj);
    Map<String, Operand<?>> tensors = new LinkedHashMap<>();
    tensors.put("image", image);
    tensors.put("target", target);
    if (spikeBatch >= 0) {
      Operand<TFloat32> factor = tf.select(tf.math.equal(ds.index, tf.constant(spikeBatch)), tf.constant(1e34f), tf.constant(1f));
      tensors.put("aux_factor", tf.fill(tf.constant(new int[] {batchSize}), factor));
    }
    return new TaskInputs(tensors, List.of(ds.initializer), batchSize,
        iteratorState && mode == Mode.TRAIN ? ds.iterator : null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
    Operand<TFloat32> image = (Operand<TFloat32>) inputs.get("image");
    GraphContext body = ctx.scope("backbone");
    Ops tf = body.tf();
    Operand<TFloat32> k = body.variable("kernel", Shape.of(3, 3, 3, 8), Initializers.heNormal(), true, true);
    Operand<TFloat32> x = tf.nn.conv2d(image, k, List.of(1L, 1L, 1L, 1L), "SAME");
    if (batchNorm) x = batchNorm(body.scope("bn"), x);
    else x = tf.nn.biasAdd(x, body.variable("bias", Shape.of(8), Initializers.zeros(), true, false));
    x = tf.nn.relu(x);
    Operand<TFloat32> pooled = tf.math.mean(x, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> reg = dense(ctx.scope("heads").scope("regression"), pooled, 2);
    if (unusedVariables) reg = addUnusedVariables(ctx.scope("extra"), image, pooled, reg);
    Operand<TFloat32> aux = dense(ctx.scope("heads").scope("aux"), pooled, 1);
    Map<String, Map<String, Operand<?>>> predictions = new LinkedHashMap<>();
    predictions.put("regression", Map.of("value", reg));
    predictions.put("aux", Map.of("value", aux));
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    if (mode != Mode.PREDICT) {
      Operand<TFloat32> target = (Operand<TFloat32>) inputs.get("target");
      Ops lt = ctx.scope("losses").tf();
      Operand<TFloat32> t2 = lt.slice(target, lt.constant(new int[] {0, 0}), lt.constant(new int[] {-1, 2}));
      Operand<TFloat32> t1 = lt.slice(target, lt.constant(new int[] {0, 2}), lt.constant(new int[] {-1, 1}));
      losses.put("regression", mse(lt, reg, t2));
      Operand<TFloat32> auxLoss = lt.math.mul(mse(lt, aux, t1), lt.constant((float) auxWeight));
      if (inputs.containsKey("aux_factor")) {
        auxLoss = lt.math.mul(auxLoss, lt.math.mean((Operand<TFloat32>) inputs.get("aux_factor"), lt.constant(0)));
      }
      if (explodeAux) auxLoss = lt.math.mul(lt.math.mul(auxLoss, lt.constant(1e30f)), lt.constant(1e30f));
      losses.put("aux", auxLoss);
    }
    return new ModelOutputs(losses, predictions);
  }

  @Override
  public Map<String, Operand<?>> servingInputs(GraphContext ctx) {
    return Map.of("image", ctx.tf().withName("image").placeholder(TFloat32.class,
        org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, SIZE, SIZE, 3))));
  }

  @Override
  public Map<String, Operand<?>> summaryImages(GraphContext ctx, Map<String, Operand<?>> inputs, ModelOutputs outputs) {
    @SuppressWarnings("unchecked")
    Operand<TFloat32> image = (Operand<TFloat32>) inputs.get("image");
    Ops tf = ctx.scope("summary").tf();
    return Map.of("input", tf.math.sigmoid(image));
  }

  @Override
  public List<EvalMetric> createMetrics() {
    return List.of(new MeanAbsoluteError());
  }

  /** Mean absolute error of the regression head. */
  static final class MeanAbsoluteError implements EvalMetric {
    private double sum;
    private long count;

    @Override
    public String name() {
      return "regression";
    }

    @Override
    public List<String> requiredTensors() {
      return List.of("regression/value", "inputs/target");
    }

    @Override
    public void update(Map<String, Tensor> t) {
      TFloat32 p = (TFloat32) t.get("regression/value");
      TFloat32 y = (TFloat32) t.get("inputs/target");
      for (long i = 0; i < p.shape().get(0); i++) {
        for (long j = 0; j < 2; j++) {
          sum += Math.abs(p.getFloat(i, j) - y.getFloat(i, j));
          count++;
        }
      }
    }

    @Override
    public Map<String, Double> result() {
      return Map.of("mae", count == 0 ? Double.NaN : sum / count);
    }

    @Override
    public void reset() {
      sum = 0;
      count = 0;
    }
  }

  private static Operand<TFloat32> addUnusedVariables(
      GraphContext ctx, Operand<TFloat32> image, Operand<TFloat32> pooled, Operand<TFloat32> reg) {
    Ops tf = ctx.tf();
    GraphContext unread = ctx.scope("unread");
    tf.nn.biasAdd(
        tf.nn.conv2d(image, unread.variable("kernel", Shape.of(3, 3, 3, 4), Initializers.heNormal(), true, true),
            List.of(1L, 1L, 1L, 1L), "SAME"),
        unread.variable("bias", Shape.of(4), Initializers.ones(), true, false));
    // 0 * (pooled x frozen): the forward value depends on the kernel, a gradient cannot reach it.
    Operand<TFloat32> frozen = ctx.scope("frozen").variable("kernel", Shape.of(8, 2), Initializers.glorotUniform(), true, true);
    reg = tf.math.add(reg, tf.math.mul(tf.linalg.matMul(pooled, tf.stopGradient(frozen)), tf.constant(0f)));
    // size / 16 = 1: an integer path only.
    Operand<TFloat32> shaped = ctx.scope("shape_only").variable("kernel", Shape.of(4, 4), Initializers.glorotUniform(), true, true);
    Operand<TFloat32> one = tf.math.div(tf.dtypes.cast(tf.size(shaped), TFloat32.class), tf.constant(16f));
    return tf.math.mul(reg, one);
  }

  private static Operand<TFloat32> mse(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.mean(tf.math.squaredDifference(a, b), tf.constant(new int[] {0, 1}));
  }

  private static Operand<TFloat32> dense(GraphContext ctx, Operand<TFloat32> x, int out) {
    Ops tf = ctx.tf();
    Operand<TFloat32> w = ctx.variable("kernel", Shape.of(8, out), Initializers.glorotUniform(), true, true);
    Operand<TFloat32> b = ctx.variable("bias", Shape.of(out), Initializers.zeros(), true, false);
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  /** Minimal BatchNorm with moving statistics registered as the context's moving averages. */
  private static Operand<TFloat32> batchNorm(GraphContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> gamma = ctx.variable("gamma", Shape.of(8), Initializers.ones(), true, false);
    Operand<TFloat32> beta = ctx.variable("beta", Shape.of(8), Initializers.zeros(), true, false);
    ModelVariable movingMean = ctx.getOrCreate("moving_mean", Shape.of(8), Initializers.zeros(), false, false);
    ModelVariable movingVar = ctx.getOrCreate("moving_variance", Shape.of(8), Initializers.ones(), false, false);
    Operand<TFloat32> mean;
    Operand<TFloat32> var;
    if (ctx.isTraining()) {
      var axes = tf.constant(new int[] {0, 1, 2});
      mean = tf.math.mean(x, axes);
      var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), axes);
      ctx.addMovingAverage("update_moving_mean", movingMean, tf.stopGradient(mean), 0.1f);
      ctx.addMovingAverage("update_moving_variance", movingVar, tf.stopGradient(var), 0.1f);
    } else {
      mean = tf.identity(movingMean.variable());
      var = tf.identity(movingVar.variable());
    }
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(var, tf.constant(1e-3f)));
    return tf.math.add(tf.math.mul(tf.math.mul(tf.math.sub(x, mean), inv), gamma), beta);
  }
}
