package org.mustjava.data.pipeline;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Per-channel normalisation of decoded RGB images with the ImageNet statistics (on the 0..255
 * scale), as in TF Model Garden: {@code (pixel - mean) / stddev}. Padding added afterwards is 0,
 * i.e. the mean colour.
 */
public final class ImageNormalization {
  /** ImageNet RGB mean on the 0..255 scale. */
  public static final float[] MEAN_RGB = {0.485f * 255f, 0.456f * 255f, 0.406f * 255f};

  /** ImageNet RGB standard deviation on the 0..255 scale. */
  public static final float[] STDDEV_RGB = {0.229f * 255f, 0.224f * 255f, 0.225f * 255f};

  private ImageNormalization() {}

  /** uint8 {@code [H, W, 3]} to normalised float32. */
  public static Operand<TFloat32> normalize(Ops tf, Operand<TUint8> rgb) {
    return tf.math.div(
        tf.math.sub(tf.dtypes.cast(rgb, TFloat32.class), tf.constant(MEAN_RGB)),
        tf.constant(STDDEV_RGB));
  }

  /** The inverse of {@link #normalize} for one pixel value of channel {@code c} (tests, display). */
  public static float denormalize(float value, int c) {
    return value * STDDEV_RGB[c] + MEAN_RGB[c];
  }
}
