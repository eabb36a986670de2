package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Smooth-L1 (Huber) loss per element: {@code 0.5 x^2 / beta} for {@code |x| < beta}, else
 * {@code |x| - 0.5 beta}; beta = 0 is plain L1. Detectron's box-regression loss (beta 1/9 for the
 * RPN, 1 for the box head); equals {@code huber_delta(x) / delta} with {@code delta = beta}.
 */
public final class SmoothL1 {
  private SmoothL1() {}

  public static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> difference, float beta) {
    Operand<TFloat32> abs = tf.math.abs(difference);
    if (beta <= 0) return abs;
    // min(|x|, beta) is the quadratic part; the rest is linear. Written without Select, whose
    // discarded branch would still be differentiated.
    Operand<TFloat32> quadratic = tf.math.minimum(abs, tf.constant(beta));
    Operand<TFloat32> linear = tf.math.sub(abs, quadratic);
    return tf.math.add(
        tf.math.mul(tf.constant(0.5f / beta), tf.math.square(quadratic)), linear);
  }
}
