package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Deterministic evaluation preprocessing: resize keeping the aspect ratio so the longer side equals
 * {@code outputSize}, then pad bottom/right to {@code outputSize x outputSize} (image with zeros,
 * segmentation with the ignore label, depth with the invalid value, normals with zero vectors).
 * Boxes are rescaled to the padded output.
 */
public final class EvalPreprocessing {
  private final int outputSize;

  public EvalPreprocessing(int outputSize) {
    if (outputSize < 1) {
      throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
    }
    this.outputSize = outputSize;
  }

  public int outputSize() {
    return outputSize;
  }

  public Sample apply(Ops tf, Sample sample) {
    return preprocess(tf, sample).sample();
  }

  /** {@link #apply} with the geometry that maps outputs back to the input image. */
  public Preprocessed preprocess(Ops tf, Sample sample) {
    Operand<TInt32> shape = tf.shape(sample.image());
    Operand<TInt32> height = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> width = tf.gather(shape, tf.constant(1), tf.constant(0));
    ScaledCrop window = ScaledCrop.fit(tf, height, width, outputSize, outputSize);
    return new Preprocessed(window.apply(sample), height, width, window);
  }
}
