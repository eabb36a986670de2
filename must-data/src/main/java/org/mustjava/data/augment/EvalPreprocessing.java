package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * Deterministic evaluation preprocessing, one of two resizes:
 *
 * <ul>
 *   <li>{@link #PAD} (default): resize keeping the aspect ratio so the longer side equals {@code
 *       outputSize}, then pad bottom/right to {@code outputSize x outputSize} (image with zeros,
 *       segmentation with the ignore label, depth with the invalid value, normals with zero
 *       vectors). Boxes are rescaled to the padded output. Dense outputs map back to the original
 *       image (see {@code InputBatch}, "Mapping back").
 *   <li>{@link #CENTER_CROP}: resize so the shorter side equals {@code outputSize} and crop the
 *       middle {@code outputSize x outputSize}: the classification protocol (top-1 "on the eval
 *       resize, centre crop"), where padding would show the model borders it never trained on.
 * </ul>
 */
public final class EvalPreprocessing {
  /** Longer side fitted, padded. */
  public static final String PAD = "pad";

  /** Shorter side fitted, centre crop. */
  public static final String CENTER_CROP = "center_crop";

  private final int outputSize;
  private final boolean centerCrop;

  public EvalPreprocessing(int outputSize) {
    this(outputSize, PAD);
  }

  /** @param resize {@link #PAD} or {@link #CENTER_CROP} */
  public EvalPreprocessing(int outputSize, String resize) {
    if (outputSize < 1) {
      throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
    }
    if (!PAD.equals(resize) && !CENTER_CROP.equals(resize)) {
      throw new IllegalArgumentException("eval resize must be '" + PAD + "' or '" + CENTER_CROP + "', got '" + resize + "'");
    }
    this.outputSize = outputSize;
    this.centerCrop = CENTER_CROP.equals(resize);
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
    ScaledCrop window = centerCrop
        ? ScaledCrop.centred(tf, height, width, outputSize, outputSize)
        : ScaledCrop.fit(tf, height, width, outputSize, outputSize);
    return new Preprocessed(window.apply(sample), height, width, window);
  }
}
