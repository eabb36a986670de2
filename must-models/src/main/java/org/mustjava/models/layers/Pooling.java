package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Pooling over the spatial dimensions of NHWC tensors (no variables). */
public final class Pooling {
  private Pooling() {}

  /** k x k max pooling; padding SAME or VALID (explicit paddings would pool zeros, so are refused). */
  public static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int kernelSize, int stride, Padding padding) {
    if (padding != Padding.SAME && padding != Padding.VALID) {
      throw new IllegalArgumentException("maxPool supports SAME or VALID padding, got " + padding);
    }
    return tf.nn.maxPool(
        x,
        tf.constant(new int[] {1, kernelSize, kernelSize, 1}),
        tf.constant(new int[] {1, stride, stride, 1}),
        padding.opPadding());
  }

  /** Mean over height and width: [B, H, W, C] to [B, C]. */
  public static Operand<TFloat32> globalAverage(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }
}
