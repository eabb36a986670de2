package org.mustjava.models.testing;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Helpers for model tests: placeholders, deterministic inputs, fetching shapes and values. */
public final class TestTensors {
  private TestTensors() {}

  /** An image placeholder [?, ?, ?, channels] (unknown batch and spatial size). */
  public static Placeholder<TFloat32> images(Ops tf, int channels) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, channels)));
  }

  /** Deterministic pseudo-random values in [-1, 1). */
  public static TFloat32 random(Shape shape, long seed) {
    TFloat32 t = TFloat32.tensorOf(shape);
    java.util.Random r = new java.util.Random(seed);
    t.scalars().forEach(s -> s.setFloat(r.nextFloat() * 2 - 1));
    return t;
  }

  /** Runs {@code op} feeding {@code feed} into {@code placeholder} and returns the result's shape. */
  public static Shape runShape(Session s, Operand<?> op, Operand<?> placeholder, Tensor feed) {
    try (Tensor t = s.runner().feed(placeholder, feed).fetch(op).run().get(0)) {
      return t.shape();
    }
  }

  public static float scalar(Session s, Operand<TFloat32> op) {
    try (TFloat32 t = (TFloat32) s.runner().fetch(op).run().get(0)) {
      return t.getFloat();
    }
  }

  public static float[] vector(Tensor t) {
    float[] out = new float[(int) t.shape().size()];
    TFloat32 f = (TFloat32) t;
    int[] i = {0};
    f.scalars().forEach(s -> out[i[0]++] = s.getFloat());
    return out;
  }

}
