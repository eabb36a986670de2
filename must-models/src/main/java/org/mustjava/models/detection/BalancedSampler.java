package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Samples a fixed-size minibatch of positives and negatives per image, in the graph.
 *
 * <p>At most {@code round(sampleSize * positiveFraction)} positives are drawn uniformly without
 * replacement; negatives fill the rest of {@code sampleSize} (fewer if there are not enough). This is
 * Faster R-CNN's sampling for both the RPN (256 anchors, 50% positive) and the box head (512 ROIs,
 * 25% foreground).
 *
 * <p>Randomness: every candidate gets a key from a stateless uniform RNG seeded by {@code seed}
 * (an int64 [2] tensor, so callers can vary it per step and stay reproducible); a class keeps its
 * {@code n} largest keys, found with top-k. Only labels flow through here, never gradients, and the
 * outputs are wrapped in StopGradient (TopKV2 has no gradient).
 */
public final class BalancedSampler {
  private final int sampleSize;
  private final float positiveFraction;

  public BalancedSampler(int sampleSize, float positiveFraction) {
    if (sampleSize < 1) throw new IllegalArgumentException("sample size must be >= 1, got " + sampleSize);
    if (!(positiveFraction >= 0 && positiveFraction <= 1)) {
      throw new IllegalArgumentException("positive fraction must be in [0, 1], got " + positiveFraction);
    }
    this.sampleSize = sampleSize;
    this.positiveFraction = positiveFraction;
  }

  public int sampleSize() {
    return sampleSize;
  }

  public int maxPositives() {
    return Math.round(sampleSize * positiveFraction);
  }

  /** The sampled positives and negatives: two {@code [B, N]} masks, each a subset of its input. */
  public record Sample(Operand<TBool> positive, Operand<TBool> negative) {}

  /**
   * @param positive {@code [B, N]} candidates eligible as positives
   * @param negative {@code [B, N]} candidates eligible as negatives (disjoint from positive)
   * @param seed int64 {@code [2]} stateless RNG seed
   */
  public Sample sample(Ops tf, Operand<TBool> positive, Operand<TBool> negative, Operand<TInt64> seed) {
    Operand<TFloat32> keys = tf.random.statelessRandomUniform(tf.shape(positive), seed, TFloat32.class);
    Operand<TInt32> positiveCount = count(tf, positive);
    Operand<TInt32> numPositive = tf.math.minimum(positiveCount, tf.constant(maxPositives()));
    Operand<TBool> samplePositive = takeRandom(tf, positive, keys, numPositive, maxPositives());
    Operand<TInt32> numNegative =
        tf.math.minimum(count(tf, negative), tf.math.sub(tf.constant(sampleSize), numPositive));
    Operand<TBool> sampleNegative = takeRandom(tf, negative, keys, numNegative, sampleSize);
    return new Sample(tf.stopGradient(samplePositive), tf.stopGradient(sampleNegative));
  }

  /** Per row, the {@code n[b]} (<= maxCount) eligible entries with the largest keys. */
  private static Operand<TBool> takeRandom(
      Ops tf, Operand<TBool> eligible, Operand<TFloat32> keys, Operand<TInt32> n, int maxCount) {
    if (maxCount == 0) return tf.math.logicalAnd(eligible, tf.constant(false));
    // Keys of non-eligible entries sort last.
    Operand<TFloat32> masked = tf.select(eligible, keys, tf.fill(tf.shape(keys), tf.constant(-1f)));
    Operand<TInt32> columns = tf.gather(tf.shape(keys), tf.constant(1), tf.constant(0));
    Operand<TInt32> k = tf.math.minimum(columns, tf.constant(maxCount));
    Operand<TFloat32> top = tf.nn.topK(masked, k, new TopK.Options[0]).values(); // [B, k] descending
    Operand<TInt32> last = tf.math.maximum(tf.math.sub(n, tf.constant(1)), tf.constant(0));
    Operand<TFloat32> threshold =
        tf.gather(top, tf.expandDims(last, tf.constant(1)), tf.constant(1), Gather.batchDims(1L)); // [B,1]
    // With n = 0 nothing may pass: raise the threshold above every key.
    threshold = tf.select(
        tf.expandDims(tf.math.greater(n, tf.constant(0)), tf.constant(1)),
        threshold,
        tf.fill(tf.shape(threshold), tf.constant(2f)));
    return tf.math.logicalAnd(eligible, tf.math.greaterEqual(masked, threshold));
  }

  /** Number of true entries per row, int32 {@code [B]}. */
  static Operand<TInt32> count(Ops tf, Operand<TBool> mask) {
    return tf.reduceSum(tf.dtypes.cast(mask, TInt32.class), tf.constant(1));
  }
}
