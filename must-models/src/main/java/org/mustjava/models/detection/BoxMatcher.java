package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Matches candidate boxes (anchors or proposals) to ground-truth boxes by IoU.
 *
 * <p>A candidate whose best IoU is at least {@code positiveThreshold} is positive (matched to that
 * ground truth); one whose best IoU lies in {@code [negativeLowerBound, negativeThreshold)} is
 * negative; anything else is ignored. With {@code allowLowQualityMatches} (the RPN rule of Faster
 * R-CNN), every candidate that has the highest IoU of all candidates with some ground-truth box
 * (ties included, IoU > 0) is positive too, so every object gets at least one anchor.
 *
 * <p>Padding ground truth (invalid) counts as IoU 0 with everything, so an image without objects
 * makes every valid candidate negative (for a lower bound of 0).
 */
public final class BoxMatcher {
  private final float positiveThreshold;
  private final float negativeThreshold;
  private final float negativeLowerBound;
  private final boolean allowLowQualityMatches;

  public BoxMatcher(
      float positiveThreshold, float negativeThreshold, float negativeLowerBound, boolean allowLowQualityMatches) {
    if (negativeThreshold > positiveThreshold) {
      throw new IllegalArgumentException(
          "negative IoU threshold " + negativeThreshold + " exceeds positive threshold " + positiveThreshold);
    }
    if (negativeLowerBound > negativeThreshold) {
      throw new IllegalArgumentException(
          "negative IoU lower bound " + negativeLowerBound + " exceeds negative threshold " + negativeThreshold);
    }
    this.positiveThreshold = positiveThreshold;
    this.negativeThreshold = negativeThreshold;
    this.negativeLowerBound = negativeLowerBound;
    this.allowLowQualityMatches = allowLowQualityMatches;
  }

  /**
   * The outcome for each candidate.
   *
   * @param matchedIndex {@code [B, N]} index of the best ground truth (meaningful where positive)
   * @param maxIou {@code [B, N]} that IoU
   * @param positive {@code [B, N]}
   * @param negative {@code [B, N]}, disjoint from positive
   */
  public record Match(
      Operand<TInt32> matchedIndex, Operand<TFloat32> maxIou, Operand<TBool> positive, Operand<TBool> negative) {}

  /**
   * @param iou {@code [B, N, M]} candidate x ground-truth IoU
   * @param groundTruthValid {@code [B, M]}; must have {@code M >= 1} (see {@link GroundTruth})
   * @param candidateValid {@code [B, N]}; invalid candidates are neither positive nor negative
   */
  public Match match(Ops tf, Operand<TFloat32> iou, Operand<TBool> groundTruthValid, Operand<TBool> candidateValid) {
    Operand<TBool> gtValid = tf.expandDims(groundTruthValid, tf.constant(1)); // [B,1,M]
    Operand<TFloat32> masked = tf.select(gtValid, iou, tf.zerosLike(iou));
    Operand<TFloat32> maxIou = tf.reduceMax(masked, tf.constant(2));
    Operand<TInt32> matched = tf.math.argMax(masked, tf.constant(2), TInt32.class);
    Operand<TBool> positive = tf.math.greaterEqual(maxIou, tf.constant(positiveThreshold));
    if (allowLowQualityMatches) {
      // Best candidate(s) of each ground truth, over valid candidates only.
      Operand<TBool> cValid = tf.expandDims(candidateValid, tf.constant(2)); // [B,N,1]
      Operand<TFloat32> forGt = tf.select(cValid, masked, tf.fill(tf.shape(masked), tf.constant(-1f)));
      Operand<TFloat32> bestPerGt = tf.reduceMax(forGt, tf.constant(1), ReduceMax.keepDims(true)); // [B,1,M]
      Operand<TBool> isBest = tf.math.logicalAnd(
          tf.math.logicalAnd(tf.math.equal(forGt, bestPerGt), tf.math.greater(bestPerGt, tf.constant(0f))),
          gtValid);
      positive = tf.math.logicalOr(positive, tf.reduceAny(isBest, tf.constant(2)));
    }
    positive = tf.math.logicalAnd(positive, candidateValid);
    Operand<TBool> negative = tf.math.logicalAnd(
        tf.math.logicalAnd(
            tf.math.less(maxIou, tf.constant(negativeThreshold)),
            tf.math.greaterEqual(maxIou, tf.constant(negativeLowerBound))),
        tf.math.logicalAnd(tf.math.logicalNot(positive), candidateValid));
    return new Match(matched, maxIou, positive, negative);
  }
}
