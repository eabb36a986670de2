package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Training augmentation of the MuST recipes: random horizontal flip, then scale jitter (a zoom
 * drawn uniformly from {@code [minScale, maxScale]} on top of fitting the longer side to the
 * output) and a random {@code outputSize x outputSize} crop, padded where the zoomed image is
 * smaller. Applied consistently to every field of a {@link Sample} (see {@link ScaledCrop} and
 * {@link HorizontalFlip}); boxes that leave the crop are dropped.
 *
 * <p>All draws come from one stateless random op seeded per element ({@link StatelessSeeds}), so
 * the result is a pure function of (input, seed).
 */
public final class TrainAugmentation {
  /** The paper's jitter range. */
  public static final float DEFAULT_MIN_SCALE = 0.5f;

  public static final float DEFAULT_MAX_SCALE = 2.0f;

  private final int outputSize;
  private final float minScale;
  private final float maxScale;
  private final boolean horizontalFlip;

  public TrainAugmentation(int outputSize, float minScale, float maxScale, boolean horizontalFlip) {
    if (outputSize < 1) {
      throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
    }
    if (!(minScale > 0f) || !(maxScale >= minScale)) {
      throw new IllegalArgumentException(
          "scale jitter range must satisfy 0 < min <= max, got [" + minScale + ", " + maxScale + "]");
    }
    this.outputSize = outputSize;
    this.minScale = minScale;
    this.maxScale = maxScale;
    this.horizontalFlip = horizontalFlip;
  }

  /** The paper's default: jitter [0.5, 2.0] and flips. */
  public TrainAugmentation(int outputSize) {
    this(outputSize, DEFAULT_MIN_SCALE, DEFAULT_MAX_SCALE, true);
  }

  public int outputSize() {
    return outputSize;
  }

  /**
   * Augments one example.
   *
   * @param seed int64 {@code [2]} stateless seed, e.g. from {@link StatelessSeeds#forElement}
   */
  public Sample apply(Ops tf, Sample sample, Operand<TInt64> seed) {
    return preprocess(tf, sample, seed).sample();
  }

  /**
   * {@link #apply(Ops, Sample, Operand)} with the geometry: original size and the window (whose
   * scale includes the jitter). The random flip is not part of it.
   */
  public Preprocessed preprocess(Ops tf, Sample sample, Operand<TInt64> seed) {
    // u[0]: zoom, u[1], u[2]: crop offsets, u[3]: flip.
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.constant(new int[] {4}), seed);
    Operand<TFloat32> jitter =
        tf.math.add(
            tf.constant(minScale), tf.math.mul(draw(tf, u, 0), tf.constant(maxScale - minScale)));
    Operand<TBool> flip =
        horizontalFlip
            ? tf.math.less(draw(tf, u, 3), tf.constant(0.5f))
            : tf.constant(false);
    return preprocess(tf, sample, jitter, draw(tf, u, 1), draw(tf, u, 2), flip);
  }

  /** Augments one example with explicit draws (what {@link #apply(Ops, Sample, Operand)} samples). */
  public Sample apply(
      Ops tf,
      Sample sample,
      Operand<TFloat32> jitter,
      Operand<TFloat32> offsetFractionY,
      Operand<TFloat32> offsetFractionX,
      Operand<TBool> flip) {
    return preprocess(tf, sample, jitter, offsetFractionY, offsetFractionX, flip).sample();
  }

  private Preprocessed preprocess(
      Ops tf,
      Sample sample,
      Operand<TFloat32> jitter,
      Operand<TFloat32> offsetFractionY,
      Operand<TFloat32> offsetFractionX,
      Operand<TBool> flip) {
    Sample flipped = HorizontalFlip.applyIf(tf, sample, flip);
    Operand<TInt32> shape = tf.shape(sample.image());
    Operand<TInt32> height = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> width = tf.gather(shape, tf.constant(1), tf.constant(0));
    ScaledCrop window =
        ScaledCrop.jittered(
            tf, height, width, outputSize, outputSize, jitter, offsetFractionY, offsetFractionX);
    return new Preprocessed(window.apply(flipped), height, width, window);
  }

  private static Operand<TFloat32> draw(Ops tf, Operand<TFloat32> u, int i) {
    return tf.gather(u, tf.constant(i), tf.constant(0));
  }
}
