package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Loss for metric depth (NYU-style data, depth in metres), masked to valid pixels.
 *
 * <ul>
 *   <li>{@code kind = "l1"}: mean absolute error over valid pixels of the batch;
 *   <li>{@code kind = "silog"}: scale-invariant log loss (Eigen et al. 2014, eq. 4) per image,
 *       {@code mean(g^2) - lambda mean(g)^2} with {@code g = log(max(p, min_depth)) - log(max(d,
 *       min_depth))} over the image's valid pixels ({@code lambda = 0.5} in Eigen et al., 0.85 in
 *       BTS), averaged over images with valid pixels. The prediction must be positive to get a
 *       gradient: pair it with a positive head activation (softplus, exp).
 * </ul>
 */
public final class MetricDepthLoss implements DepthLoss {
  private final String kind;
  private final double silogLambda;
  private final double minDepth;

  /**
   * @param kind "l1" or "silog"
   * @param silogLambda variance weight of silog, in [0, 1]
   * @param minDepth clamp before the logarithm of silog (metres)
   */
  @Configurable("MetricDepthLoss")
  public MetricDepthLoss(@Default("'l1'") String kind, @Default("0.85") double silogLambda,
      @Default("0.001") double minDepth) {
    if (!kind.equals("l1") && !kind.equals("silog")) {
      throw new IllegalArgumentException("MetricDepthLoss.kind must be 'l1' or 'silog', got '" + kind + "'");
    }
    if (!(silogLambda >= 0 && silogLambda <= 1)) {
      throw new IllegalArgumentException("MetricDepthLoss.silog_lambda must be in [0, 1], got " + silogLambda);
    }
    if (!(minDepth > 0)) throw new IllegalArgumentException("MetricDepthLoss.min_depth must be > 0, got " + minDepth);
    this.kind = kind;
    this.silogLambda = silogLambda;
    this.minDepth = minDepth;
  }

  public static MetricDepthLoss l1() {
    return new MetricDepthLoss("l1", 0.85, 1e-3);
  }

  public static MetricDepthLoss silog(double lambda) {
    return new MetricDepthLoss("silog", lambda, 1e-3);
  }

  @Override
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target,
      Operand<TFloat32> valid) {
    Operand<TFloat32> d = Masks.zeroInvalid(tf, target, valid);
    if (kind.equals("l1")) {
      return Masks.mean(tf, tf.math.abs(tf.math.sub(prediction, d)), valid);
    }
    Operand<TFloat32> eps = tf.constant((float) minDepth);
    Operand<TFloat32> g = tf.math.mul(
        tf.math.sub(tf.math.log(tf.math.maximum(prediction, eps)), tf.math.log(tf.math.maximum(d, eps))), valid);
    Operand<TFloat32> count = Masks.sumPerImage(tf, valid);
    Operand<TFloat32> meanSq = tf.math.divNoNan(Masks.sumPerImage(tf, tf.math.square(g)), count);
    Operand<TFloat32> mean = tf.math.divNoNan(Masks.sumPerImage(tf, g), count);
    Operand<TFloat32> perImage =
        tf.math.sub(meanSq, tf.math.mul(tf.constant((float) silogLambda), tf.math.square(mean)));
    Operand<TFloat32> hasPixels = tf.dtypes.cast(tf.math.greater(count, tf.constant(0f)), TFloat32.class);
    return tf.math.divNoNan(tf.reduceSum(perImage, tf.constant(0)), tf.reduceSum(hasPixels, tf.constant(0)));
  }
}
