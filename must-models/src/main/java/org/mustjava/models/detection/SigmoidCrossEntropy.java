package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Numerically stable binary cross-entropy on logits, per element:
 * {@code max(x, 0) - x z + log(1 + exp(-|x|))}.
 */
public final class SigmoidCrossEntropy {
  private SigmoidCrossEntropy() {}

  public static Operand<TFloat32> withLogits(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels) {
    return tf.math.add(
        tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, labels)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
  }
}
