package org.mustjava.models.detection;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Pairwise intersection-over-union of two batched box sets, as graph ops.
 *
 * <p>{@code a} is {@code [B, N, 4]}, {@code b} is {@code [B, M, 4]}; the result is {@code [B, N, M]}.
 * Pairs whose union is empty (padding boxes of zero size) get IoU 0, never NaN.
 */
public final class BoxIou {
  private BoxIou() {}

  public static Operand<TFloat32> matrix(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    List<Operand<TFloat32>> ca = Boxes.coordinates(tf, tf.expandDims(a, tf.constant(2))); // [B,N,1]
    List<Operand<TFloat32>> cb = Boxes.coordinates(tf, tf.expandDims(b, tf.constant(1))); // [B,1,M]
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> ih = tf.math.maximum(
        tf.math.sub(tf.math.minimum(ca.get(2), cb.get(2)), tf.math.maximum(ca.get(0), cb.get(0))), zero);
    Operand<TFloat32> iw = tf.math.maximum(
        tf.math.sub(tf.math.minimum(ca.get(3), cb.get(3)), tf.math.maximum(ca.get(1), cb.get(1))), zero);
    Operand<TFloat32> intersection = tf.math.mul(ih, iw);
    Operand<TFloat32> areaA = tf.math.mul(
        tf.math.maximum(tf.math.sub(ca.get(2), ca.get(0)), zero),
        tf.math.maximum(tf.math.sub(ca.get(3), ca.get(1)), zero));
    Operand<TFloat32> areaB = tf.math.mul(
        tf.math.maximum(tf.math.sub(cb.get(2), cb.get(0)), zero),
        tf.math.maximum(tf.math.sub(cb.get(3), cb.get(1)), zero));
    Operand<TFloat32> union = tf.math.sub(tf.math.add(areaA, areaB), intersection);
    return tf.math.divNoNan(intersection, union);
  }
}
