package org.mustjava.models.losses;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.gradients.CustomGradients;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Per-pixel softmax cross-entropy for semantic segmentation, averaged over the pixels whose label
 * is not {@code ignoreLabel} (0 when a batch has none). A label outside [0, C) that is not the
 * ignore label fails at run time with TensorFlow's "label value outside the valid range" error.
 */
public final class PixelCrossEntropyLoss {
  private final int ignoreLabel;

  /** @param ignoreLabel label value excluded from the loss (255 in the pipelines) */
  @Configurable("PixelCrossEntropyLoss")
  public PixelCrossEntropyLoss(@Default("255") int ignoreLabel) {
    this.ignoreLabel = ignoreLabel;
  }

  public static PixelCrossEntropyLoss standard() {
    return new PixelCrossEntropyLoss(255);
  }

  public int ignoreLabel() {
    return ignoreLabel;
  }

  /** @param logits [B, H, W, C]; @param labels int32 [B, H, W] */
  public Operand<TFloat32> compute(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    CustomGradients.ensureRegistered(); // SparseSoftmaxCrossEntropyWithLogits has a Java gradient
    Operand<TInt32> numClasses = tf.gather(tf.shape(logits), tf.constant(3), tf.constant(0));
    Operand<TFloat32> flatLogits = tf.reshape(logits, tf.stack(java.util.List.of(tf.constant(-1), numClasses)));
    Operand<TInt32> flatLabels = tf.reshape(labels, tf.constant(new int[] {-1}));
    var valid = tf.math.notEqual(flatLabels, tf.constant(ignoreLabel));
    Operand<TInt32> safeLabels = tf.select(valid, flatLabels, tf.zerosLike(flatLabels));
    Operand<TFloat32> perPixel = tf.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, safeLabels).loss();
    return Masks.mean(tf, perPixel, tf.dtypes.cast(valid, TFloat32.class));
  }
}
