package org.mustjava.core.graph;

import org.tensorflow.ndarray.Shape;

/** The initializers the models use. All random ones are stateless (seeded per variable). */
public final class Initializers {
  private Initializers() {}

  public static Initializer zeros() {
    return (tf, shape, seed) -> tf.zeros(tf.constant(shape), org.tensorflow.types.TFloat32.class);
  }

  public static Initializer ones() {
    return constant(1f);
  }

  public static Initializer constant(float value) {
    return (tf, shape, seed) -> tf.fill(tf.constant(shape), tf.constant(value));
  }

  /** Truncated normal (cut at 2 sigma, TF's convention) with the given standard deviation. */
  public static Initializer truncatedNormal(float stddev) {
    return (tf, shape, seed) ->
        tf.math.mul(
            tf.random.statelessTruncatedNormal(tf.constant(shape), tf.constant(seed)),
            tf.constant(stddev));
  }

  /** Normal with the given standard deviation. */
  public static Initializer normal(float stddev) {
    return (tf, shape, seed) ->
        tf.math.mul(
            tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(seed)),
            tf.constant(stddev));
  }

  /**
   * He (Kaiming) normal, fan-in mode, as Keras' {@code he_normal}: truncated normal with
   * stddev sqrt(2 / fan_in) / 0.8796 (the truncation correction).
   */
  public static Initializer heNormal() {
    return (tf, shape, seed) -> {
      double std = Math.sqrt(2.0 / fanIn(shape)) / .87962566103423978;
      return truncatedNormal((float) std).initialValue(tf, shape, seed);
    };
  }

  /** Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)). */
  public static Initializer glorotUniform() {
    return (tf, shape, seed) -> {
      double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
      var u = tf.random.statelessRandomUniform(tf.constant(shape), tf.constant(seed));
      return tf.math.sub(tf.math.mul(u, tf.constant((float) (2 * limit))), tf.constant((float) limit));
    };
  }

  /** Fan-in of a dense kernel [in, out] or a conv kernel [h, w, in, out]. */
  static long fanIn(Shape shape) {
    if (shape.numDimensions() < 2) return Math.max(1, shape.numDimensions() == 1 ? shape.get(0) : 1);
    long receptive = 1;
    for (int i = 0; i < shape.numDimensions() - 2; i++) receptive *= shape.get(i);
    return receptive * shape.get(shape.numDimensions() - 2);
  }

  static long fanOut(Shape shape) {
    if (shape.numDimensions() < 2) return Math.max(1, shape.numDimensions() == 1 ? shape.get(0) : 1);
    long receptive = 1;
    for (int i = 0; i < shape.numDimensions() - 2; i++) receptive *= shape.get(i);
    return receptive * shape.get(shape.numDimensions() - 1);
  }
}
