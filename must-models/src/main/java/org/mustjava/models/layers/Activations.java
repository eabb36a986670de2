package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Element-wise activations by name, so configs can choose them ("relu", "linear", ...). */
public final class Activations {
  private Activations() {}

  public static Operand<TFloat32> relu(Ops tf, Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  /**
   * Applies the named activation: {@code linear} (identity), {@code relu}, {@code softplus},
   * {@code sigmoid}, {@code exp}.
   */
  public static Operand<TFloat32> apply(Ops tf, String name, Operand<TFloat32> x) {
    return switch (name) {
      case "linear", "none" -> x;
      case "relu" -> tf.nn.relu(x);
      case "softplus" -> tf.math.softplus(x);
      case "sigmoid" -> tf.math.sigmoid(x);
      case "exp" -> tf.math.exp(x);
      default -> throw new IllegalArgumentException(
          "unknown activation '" + name + "' (expected linear, relu, softplus, sigmoid or exp)");
    };
  }

  /** Checks a name early (at configuration time) with the same message as {@link #apply}. */
  public static String check(String name) {
    switch (name) {
      case "linear", "none", "relu", "softplus", "sigmoid", "exp" -> {
        return name;
      }
      default -> throw new IllegalArgumentException(
          "unknown activation '" + name + "' (expected linear, relu, softplus, sigmoid or exp)");
    }
  }
}
