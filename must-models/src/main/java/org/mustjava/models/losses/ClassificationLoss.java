package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.gradients.CustomGradients;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Softmax cross-entropy for image classification, averaged over the batch.
 *
 * <ul>
 *   <li>{@link #hard}: integer labels; with label smoothing {@code e} the target is
 *       {@code (1 - e) one_hot + e / C} (Szegedy et al. 2016);
 *   <li>{@link #soft}: probability vectors (pseudo labels from a teacher); smoothing applies the
 *       same mixing with the uniform distribution.
 * </ul>
 * Without smoothing the hard loss uses {@code SparseSoftmaxCrossEntropyWithLogits} (its gradient
 * is registered by {@code CustomGradients}).
 */
public final class ClassificationLoss {
  private final double labelSmoothing;

  /** @param labelSmoothing in [0, 1); 0.1 in the paper's ImageNet teacher recipe, 0 for the student */
  @Configurable("ClassificationLoss")
  public ClassificationLoss(@Default("0.0") double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("ClassificationLoss.label_smoothing must be in [0, 1), got " + labelSmoothing);
    }
    this.labelSmoothing = labelSmoothing;
  }

  public static ClassificationLoss plain() {
    return new ClassificationLoss(0);
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }

  /** @param logits [B, C]; @param labels int32 [B] in [0, C) */
  public Operand<TFloat32> hard(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    CustomGradients.ensureRegistered(); // SparseSoftmaxCrossEntropyWithLogits has a Java gradient
    if (labelSmoothing == 0) {
      return tf.math.mean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
    }
    Operand<TInt32> numClasses = tf.gather(tf.shape(logits), tf.constant(1), tf.constant(0));
    Operand<TFloat32> oneHot = tf.oneHot(labels, numClasses, tf.constant(1f), tf.constant(0f));
    return soft(tf, logits, oneHot);
  }

  /** @param logits [B, C]; @param probabilities float32 [B, C], rows summing to 1 */
  public Operand<TFloat32> soft(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> probabilities) {
    Operand<TFloat32> target = tf.stopGradient(probabilities);
    if (labelSmoothing != 0) {
      Operand<TFloat32> numClasses =
          tf.dtypes.cast(tf.gather(tf.shape(logits), tf.constant(1), tf.constant(0)), TFloat32.class);
      target = tf.math.add(
          tf.math.mul(target, tf.constant((float) (1 - labelSmoothing))),
          tf.math.div(tf.constant((float) labelSmoothing), numClasses));
    }
    return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, target).loss(), tf.constant(0));
  }
}
