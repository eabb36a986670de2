package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.types.TFloat32;

/** Pooling over the spatial dimensions of NHWC tensors (no variables). */
public final class Pooling {
  private Pooling() {}

  /** k x k max pooling; padding SAME or VALID (explicit paddings would pool zeros, so are refused). */
  public static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int kernelSize, int stride, Padding padding) {
    if (padding != Padding.SAME && padding != Padding.VALID) {
      throw new IllegalArgumentException("maxPool supports SAME or VALID padding, got " + padding);
    }
    // The MaxPool op with its window as attributes, written by hand: TF Java's tf.nn.maxPool makes
    // MaxPoolV2 (window as tensors), which TensorFlow's oneDNN pass does not replace, and whose
    // Eigen gradient was 4 % of a small ResNet's op time (BENCHMARKS.md, "oneDNN").
    Scope scope = tf.scope();
    Operation op = scope.opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, kernelSize, kernelSize, 1})
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", padding.opPadding())
        .setAttr("data_format", "NHWC")
        .build();
    return op.output(0);
  }

  /** Mean over height and width: [B, H, W, C] to [B, C]. */
  public static Operand<TFloat32> globalAverage(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }
}
