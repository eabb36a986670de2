package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Global-norm gradient clipping: all gradients scaled by {@code min(1, maxNorm / ||g||)}. */
public final class GradientClipping {
  private GradientClipping() {}

  /** {@code sqrt(sum_i ||g_i||^2)} over every gradient. */
  public static Operand<TFloat32> globalNorm(Ops tf, List<Operand<TFloat32>> gradients) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      squares.add(tf.reduceSum(tf.math.square(g), allAxes(tf, g)));
    }
    Operand<TFloat32> sum = squares.size() == 1 ? squares.get(0) : tf.math.addN(squares);
    return tf.math.sqrt(sum);
  }

  /**
   * The gradients scaled so their global norm is at most {@code maxNorm}; {@code norm} is their
   * global norm (from {@link #globalNorm}). A non-finite norm is left to the loss guard: the
   * scaled gradients are then non-finite too.
   */
  public static List<Operand<TFloat32>> clipByGlobalNorm(
      Ops tf, List<Operand<TFloat32>> gradients, Operand<TFloat32> norm, double maxNorm) {
    if (!(maxNorm > 0)) throw new IllegalArgumentException("clip norm must be positive: " + maxNorm);
    Operand<TFloat32> max = tf.constant((float) maxNorm);
    Operand<TFloat32> scale = tf.math.div(max, tf.math.maximum(norm, max));
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) out.add(tf.math.mul(g, scale));
    return out;
  }

  static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<?> t) {
    return tf.range(tf.constant(0), tf.rank(t), tf.constant(1));
  }
}
