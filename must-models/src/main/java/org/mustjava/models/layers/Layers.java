package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

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

  /** Zero-pads the two spatial dimensions of an NHWC tensor. */
  static Operand<TFloat32> padSpatial(Ops tf, Operand<TFloat32> x, int before, int after) {
    if (before == 0 && after == 0) return x;
    var paddings = tf.constant(new int[][] {{0, 0}, {before, after}, {before, after}, {0, 0}});
    return tf.pad(x, paddings, tf.constant(0f));
  }
}
