package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Surface-normal loss {@code 1 - cos(angle)} between the L2-normalised prediction and the unit
 * target normal, averaged over valid pixels (0 when none).
 */
public final class NormalsCosineLoss {
  private static final float EPSILON = 1e-12f;

  @Configurable("NormalsCosineLoss")
  public NormalsCosineLoss() {}

  /** Divides by the L2 norm over the last axis (guarded against zero vectors). */
  public static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> v) {
    Operand<TFloat32> sq = tf.reduceSum(tf.math.square(v), tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
    return tf.math.mul(v, tf.math.rsqrt(tf.math.maximum(sq, tf.constant(EPSILON))));
  }

  /**
   * @param prediction float32 [B, H, W, 3], any length
   * @param target float32 [B, H, W, 3], unit length where valid
   * @param valid float32 [B, H, W]
   */
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> prediction, Operand<TFloat32> target,
      Operand<TFloat32> valid) {
    Operand<TFloat32> mask4 = tf.expandDims(valid, tf.constant(-1));
    Operand<TFloat32> t = Masks.zeroInvalid(tf, target, tf.math.mul(mask4, tf.onesLike(target)));
    Operand<TFloat32> cos = tf.reduceSum(tf.math.mul(normalize(tf, prediction), t), tf.constant(-1));
    return Masks.mean(tf, tf.math.sub(tf.constant(1f), cos), valid);
  }
}
