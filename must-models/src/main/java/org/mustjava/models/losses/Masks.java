package org.mustjava.models.losses;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Masked reductions shared by the dense losses. */
final class Masks {
  private Masks() {}

  /** sum(values * mask) / sum(mask) over all elements; 0 when the mask is empty (no NaN). */
  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> values, Operand<TFloat32> mask) {
    return tf.math.divNoNan(sumAll(tf, tf.math.mul(values, mask)), sumAll(tf, mask));
  }

  static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
  }

  /** Sum over all but the first (batch) dimension: [B, ...] to [B]. */
  static Operand<TFloat32> sumPerImage(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.range(tf.constant(1), tf.rank(x), tf.constant(1)));
  }

  /** Replaces entries where {@code mask} is 0 by 0, so NaN/inf in invalid label pixels cannot leak. */
  static Operand<TFloat32> zeroInvalid(Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask) {
    return tf.select(tf.math.greater(mask, tf.constant(0f)), x, tf.zerosLike(x));
  }
}
