package org.mustjava.models.layers;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Batch normalisation over the channel (last) dimension of NHWC or NC inputs, built on
 * {@code FusedBatchNormV3}.
 *
 * <p>Variables in the layer's scope: {@code gamma}, {@code beta} (trainable unless frozen, never
 * weight-decayed), {@code moving_mean}, {@code moving_variance} (never trainable).
 *
 * <ul>
 *   <li>Training context, not frozen: normalises with the batch statistics and registers, through
 *       {@link GraphContext#addMovingAverage}, the moving-average updates
 *       {@code moving -= (1 - momentum) * (moving - batch)} that the train step must run.
 *   <li>Evaluation context: normalises with the moving statistics; nothing is registered.
 *   <li>Frozen (for fine-tuning with small batches): always uses the moving statistics, never
 *       updates them, and {@code gamma}/{@code beta} are created non-trainable (Detectron's
 *       "FrozenBN"). Note that frozen affine parameters do not count as trainable parameters.
 * </ul>
 *
 * Defaults (momentum 0.99, epsilon 1e-3) are Keras' and TF Model Garden's, written once here: the
 * config's {@code BatchNorm} (which every head's {@code batch_norm} parameter defaults to, so
 * {@code BatchNorm.momentum = 0.9} reaches every head) and {@link #defaults()} use them.
 */
public final class BatchNorm {
  public static final float DEFAULT_MOMENTUM = 0.99f;
  public static final float DEFAULT_EPSILON = 1e-3f;

  private final float momentum;
  private final float epsilon;
  private final boolean frozen;
  private final boolean zeroGamma;

  private BatchNorm(float momentum, float epsilon, boolean frozen, boolean zeroGamma) {
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1), got " + momentum);
    }
    // FusedBatchNormV3 rejects epsilon < 1.001e-5 on some kernels.
    if (!(epsilon >= 1.001e-5f)) {
      throw new IllegalArgumentException("BatchNorm epsilon must be >= 1.001e-5, got " + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.frozen = frozen;
    this.zeroGamma = zeroGamma;
  }

  public static BatchNorm defaults() {
    return new BatchNorm(DEFAULT_MOMENTUM, DEFAULT_EPSILON, false, false);
  }

  /**
   * The config entry point: {@code @BatchNorm()} is the default {@code batch_norm} of the heads.
   *
   * @param momentum moving-average momentum
   * @param epsilon variance epsilon (at least 1.001e-5)
   * @param frozen moving statistics and fixed affine parameters (fine-tuning with small batches)
   */
  @Configurable("BatchNorm")
  public static BatchNorm configure(@Default("" + DEFAULT_MOMENTUM) double momentum,
      @Default("" + DEFAULT_EPSILON) double epsilon, @Default("False") boolean frozen) {
    return of((float) momentum, (float) epsilon, frozen);
  }

  public static BatchNorm of(float momentum, float epsilon, boolean frozen) {
    return new BatchNorm(momentum, epsilon, frozen, false);
  }

  public BatchNorm withMomentum(float m) {
    return new BatchNorm(m, epsilon, frozen, zeroGamma);
  }

  public BatchNorm withEpsilon(float e) {
    return new BatchNorm(momentum, e, frozen, zeroGamma);
  }

  public BatchNorm frozen(boolean f) {
    return new BatchNorm(momentum, epsilon, f, zeroGamma);
  }

  /** Initialises gamma to zero (used on the last BN of a residual branch, Goyal et al. 2017). */
  public BatchNorm withZeroGamma(boolean z) {
    return new BatchNorm(momentum, epsilon, frozen, z);
  }

  public float momentum() {
    return momentum;
  }

  public float epsilon() {
    return epsilon;
  }

  public boolean isFrozen() {
    return frozen;
  }

  /** Builds the normalisation; {@code ctx} is the layer's own scope. */
  public Operand<TFloat32> apply(GraphContext ctx, Operand<TFloat32> x) {
    int c = Layers.channels(x, "BatchNorm " + ctx.path());
    int rank = x.shape().numDimensions();
    if (rank != 4 && rank != 2) {
      throw new IllegalArgumentException("BatchNorm " + ctx.path() + ": expected a rank-4 (NHWC) or rank-2 input, got " + x.shape());
    }
    Shape shape = Shape.of(c);
    Operand<TFloat32> gamma = ctx.variable(
        "gamma", shape, zeroGamma ? Initializers.zeros() : Initializers.ones(), !frozen, false);
    Operand<TFloat32> beta = ctx.variable("beta", shape, Initializers.zeros(), !frozen, false);
    ModelVariable movingMean = ctx.getOrCreate("moving_mean", shape, Initializers.zeros(), false, false);
    ModelVariable movingVar = ctx.getOrCreate("moving_variance", shape, Initializers.ones(), false, false);
    Ops tf = ctx.tf();
    Operand<TFloat32> input = rank == 2
        ? tf.reshape(x, tf.constant(new int[] {-1, 1, 1, c})) : x;
    Operand<TFloat32> y;
    if (ctx.isTraining() && !frozen) {
      // Training mode takes empty mean/variance inputs (exponential_avg_factor 1); the moving
      // averages are maintained by explicit update ops instead.
      Operand<TFloat32> empty = tf.constant(new float[0]);
      FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(
          input, gamma, beta, empty, empty,
          FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC"));
      y = bn.y();
      // Registered as moving averages, so multi-tower training updates them from every tower.
      ctx.addMovingAverage("update_moving_mean", movingMean, bn.batchMean(), 1f - (float) momentum);
      ctx.addMovingAverage("update_moving_variance", movingVar, bn.batchVariance(), 1f - (float) momentum);
    } else {
      FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(
          input, gamma, beta,
          tf.identity(movingMean.variable()), tf.identity(movingVar.variable()),
          FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(false), FusedBatchNorm.dataFormat("NHWC"));
      y = bn.y();
    }
    return rank == 2 ? tf.reshape(y, tf.constant(new int[] {-1, c})) : y;
  }
}
