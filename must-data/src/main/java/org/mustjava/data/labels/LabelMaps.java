package org.mustjava.data.labels;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Small graph helpers the dense label types share. */
final class LabelMaps {
  private LabelMaps() {}

  /** {@code [H, W]} of an {@code [H, W, C]} map, int32. */
  static Operand<TInt32> spatialSize(Ops tf, Operand<?> map) {
    return tf.slice(tf.shape(map), tf.constant(new int[] {0}), tf.constant(new int[] {2}));
  }

  /** Channel {@code c} of an [H, W, C] map, as [H, W]. */
  static Operand<TFloat32> channel(Ops tf, Operand<TFloat32> map, int c) {
    return tf.gather(map, tf.constant(c), tf.constant(2));
  }

  /** 1 where any channel of an [H, W, C] map is non-zero, else 0, as float32 [H, W]. */
  static Operand<TFloat32> nonZero(Ops tf, Operand<TFloat32> map) {
    Operand<TBool> any = tf.reduceAny(tf.math.notEqual(map, tf.zerosLike(map)), tf.constant(2));
    return tf.dtypes.cast(any, TFloat32.class);
  }
}
