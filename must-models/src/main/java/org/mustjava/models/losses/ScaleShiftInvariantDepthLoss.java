package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Scale-and-shift-invariant depth loss for relative depth (as MiDaS trains, Ranftl et al. 2020,
 * eq. 4 "ssimse"), used for depth pseudo labels that are only defined up to an affine map.
 *
 * <p>Per image, the scale s and shift t minimising {@code sum_valid (s p + t - d)^2} are solved in
 * closed form (centred least squares: s = cov(p, d) / var(p), t = mean(d) - s mean(p), over valid
 * pixels); the image's loss is {@code sum_valid (s p + t - d)^2 / (2 M)} with M its valid-pixel
 * count. Gradients flow through s and t, as in MiDaS. The batch loss averages the images that
 * have valid pixels. An image whose prediction is constant over its valid pixels gets s = 0.
 * MiDaS's multi-scale gradient-matching regulariser is not included.
 */
public final class ScaleShiftInvariantDepthLoss implements DepthLoss {
  @Configurable("ScaleShiftInvariantDepthLoss")
  public ScaleShiftInvariantDepthLoss() {}

  @Override
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target,
      Operand<TFloat32> valid) {
    Operand<TFloat32> d = Masks.zeroInvalid(tf, target, valid);
    Operand<TFloat32> p = tf.math.mul(prediction, valid);
    Operand<TFloat32> count = Masks.sumPerImage(tf, valid); // [B]
    Operand<TFloat32> meanP = tf.math.divNoNan(Masks.sumPerImage(tf, p), count);
    Operand<TFloat32> meanD = tf.math.divNoNan(Masks.sumPerImage(tf, d), count);
    Operand<TFloat32> pc = tf.math.mul(tf.math.sub(p, broadcast(tf, meanP)), valid);
    Operand<TFloat32> dc = tf.math.mul(tf.math.sub(d, broadcast(tf, meanD)), valid);
    Operand<TFloat32> scale = tf.math.divNoNan(
        Masks.sumPerImage(tf, tf.math.mul(pc, dc)), Masks.sumPerImage(tf, tf.math.square(pc)));
    Operand<TFloat32> shift = tf.math.sub(meanD, tf.math.mul(scale, meanP));
    Operand<TFloat32> aligned = tf.math.add(
        tf.math.mul(broadcast(tf, scale), prediction), broadcast(tf, shift));
    Operand<TFloat32> squared = tf.math.mul(tf.math.square(tf.math.sub(aligned, d)), valid);
    Operand<TFloat32> perImage =
        tf.math.divNoNan(Masks.sumPerImage(tf, squared), tf.math.mul(count, tf.constant(2f)));
    Operand<TFloat32> hasPixels = tf.dtypes.cast(tf.math.greater(count, tf.constant(0f)), TFloat32.class);
    return tf.math.divNoNan(tf.reduceSum(perImage, tf.constant(0)), tf.reduceSum(hasPixels, tf.constant(0)));
  }

  /** [B] to [B, 1, 1] for broadcasting against [B, H, W]. */
  private static Operand<TFloat32> broadcast(Ops tf, Operand<TFloat32> perImage) {
    return tf.reshape(perImage, tf.constant(new int[] {-1, 1, 1}));
  }
}
