package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** Small shared helpers of the layer classes. */
final class Layers {
  private Layers() {}

  /** The static size of the last dimension of {@code x}; layers need it to shape their variables. */
  static int channels(Operand<TFloat32> x, String layer) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() < 1 || s.get(s.numDimensions() - 1) < 0) {
      throw new IllegalArgumentException(
          layer + ": the channel (last) dimension of the input must be known statically, input shape is " + s);
    }
    return (int) s.get(s.numDimensions() - 1);
  }

  /**
   * {@code x} in the compute type {@code type} (a Cast op), or {@code x} itself when that is float32,
   * so that the float32 graph has no cast at all (see {@link org.mustjava.core.graph.Precision}).
   */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<T> toCompute(Ops tf, Operand<TFloat32> x, Class<T> type) {
    return type == TFloat32.class ? (Operand<T>) x : tf.dtypes.cast(x, type);
  }

  /** A layer's result back in float32 (the type between layers), or {@code y} itself when it is. */
  @SuppressWarnings("unchecked")
  static <T extends TNumber> Operand<TFloat32> toFloat32(Ops tf, Operand<T> y) {
    return y.type() == TFloat32.class ? (Operand<TFloat32>) y : tf.dtypes.cast(y, TFloat32.class);
  }

  /** Zero-pads the two spatial dimensions of an NHWC tensor. */
  static Operand<TFloat32> padSpatial(Ops tf, Operand<TFloat32> x, int before, int after) {
    if (before == 0 && after == 0) return x;
    var paddings = tf.constant(new int[][] {{0, 0}, {before, after}, {before, after}, {0, 0}});
    return tf.pad(x, paddings, tf.constant(0f));
  }
}
