package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.gradients.CustomGradients;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Softmax cross-entropy for image classification, averaged over the labelled examples of the batch.
 *
 * <ul>
 *   <li>{@link #hard}: integer labels; with label smoothing {@code e} the target is
 *       {@code (1 - e) one_hot + e / C} (Szegedy et al. 2016);
 *   <li>{@link #soft}: probability vectors (pseudo labels from a teacher); smoothing applies the
 *       same mixing with the uniform distribution.
 * </ul>
 * Without smoothing the hard loss uses {@code SparseSoftmaxCrossEntropyWithLogits} (its gradient
 * is registered by {@code CustomGradients}).
 *
 * <p><b>Unlabelled examples.</b> A negative hard label (the pipeline's padding value {@code -1}: a
 * synthetic scene without a visible object, or any dataset's "no label" marker) and an all-zero
 * probability row mean "no label": such an example contributes neither loss nor gradient, and the
 * mean is over the labelled examples only (0, not NaN, when the batch has none). Label smoothing
 * never applies to them: an unlabelled image is not pulled towards the uniform distribution.
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

  /** @param logits [B, C]; @param labels int32 [B] in [0, C), or negative for "no label" */
  public Operand<TFloat32> hard(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TBool> labelled = tf.math.greaterEqual(labels, tf.constant(0));
    // The kernels reject labels outside [0, C): give unlabelled examples class 0, then mask them out.
    Operand<TInt32> safeLabels = tf.select(labelled, labels, tf.zerosLike(labels));
    Operand<TFloat32> perExample;
    if (labelSmoothing == 0) {
      CustomGradients.ensureRegistered(); // SparseSoftmaxCrossEntropyWithLogits has a Java gradient
      perExample = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, safeLabels).loss();
    } else {
      Operand<TInt32> numClasses = tf.gather(tf.shape(logits), tf.constant(1), tf.constant(0));
      Operand<TFloat32> oneHot = tf.oneHot(safeLabels, numClasses, tf.constant(1f), tf.constant(0f));
      perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, smooth(tf, logits, tf.stopGradient(oneHot))).loss();
    }
    return meanOverLabelled(tf, perExample, labelled);
  }

  /**
   * @param logits [B, C]; @param probabilities float32 [B, C], rows summing to 1, or all zero for
   *     "no label"
   */
  public Operand<TFloat32> soft(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> probabilities) {
    Operand<TFloat32> target = tf.stopGradient(probabilities);
    Operand<TBool> labelled = tf.math.greater(tf.reduceSum(target, tf.constant(1)), tf.constant(0f));
    Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, smooth(tf, logits, target)).loss();
    return meanOverLabelled(tf, perExample, labelled);
  }

  private Operand<TFloat32> smooth(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> target) {
    if (labelSmoothing == 0) return target;
    Operand<TFloat32> numClasses =
        tf.dtypes.cast(tf.gather(tf.shape(logits), tf.constant(1), tf.constant(0)), TFloat32.class);
    return tf.math.add(
        tf.math.mul(target, tf.constant((float) (1 - labelSmoothing))),
        tf.math.div(tf.constant((float) labelSmoothing), numClasses));
  }

  /** Mean of {@code perExample} [B] over the labelled examples; 0 when there are none. */
  private static Operand<TFloat32> meanOverLabelled(Ops tf, Operand<TFloat32> perExample, Operand<TBool> labelled) {
    // select, not a multiply by the mask: an unlabelled row's value cannot leak even if it is inf/NaN.
    Operand<TFloat32> kept = tf.select(labelled, perExample, tf.zerosLike(perExample));
    Operand<TFloat32> count = tf.reduceSum(tf.dtypes.cast(labelled, TFloat32.class), tf.constant(0));
    return tf.math.divNoNan(tf.reduceSum(kept, tf.constant(0)), count);
  }
}
