package org.mustjava.models.detection;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Labels anchors for the RPN: IoU >= 0.7 with some ground truth (or being a ground truth's best
 * anchor) is positive, IoU < 0.3 with all is negative, the rest is ignored; then 256 anchors per
 * image are sampled with at most 50% positives (Faster R-CNN / Detectron / Model Garden defaults).
 * Anchors crossing the image border are kept (Detectron2 and Model Garden behaviour).
 */
public final class RpnTargetAssigner {
  private final BoxMatcher matcher;
  private final BalancedSampler sampler;

  public static RpnTargetAssigner defaults() {
    return ConfigDefaults.create(RpnTargetAssigner.class, java.util.Map.of());
  }

  /**
   * @param positiveIouThreshold IoU at or above which an anchor is positive
   * @param negativeIouThreshold IoU below which an anchor is negative
   * @param samplesPerImage anchors sampled per image
   * @param positiveFraction at most this fraction of the sample is positive
   * @param allowLowQualityMatches each ground truth's best anchors are positive too
   */
  @Configurable("RpnTargetAssigner")
  public RpnTargetAssigner(
      @Default("0.7") float positiveIouThreshold, @Default("0.3") float negativeIouThreshold,
      @Default("256") int samplesPerImage, @Default("0.5") float positiveFraction,
      @Default("True") boolean allowLowQualityMatches) {
    this.matcher = new BoxMatcher(positiveIouThreshold, negativeIouThreshold, 0f, allowLowQualityMatches);
    this.sampler = new BalancedSampler(samplesPerImage, positiveFraction);
  }

  /**
   * @param anchors {@code [N, 4]} all anchors, pixels
   * @param groundTruth the batch's boxes
   * @param coder the RPN box coder
   * @param seed int64 [2] sampling seed
   */
  public RpnTargets assign(
      Ops tf, Operand<TFloat32> anchors, GroundTruth groundTruth, BoxCoder coder, Operand<TInt64> seed) {
    Operand<TFloat32> batchedAnchors = tf.expandDims(anchors, tf.constant(0)); // [1, N, 4]
    Operand<TFloat32> iou = BoxIou.matrix(tf, batchedAnchors, groundTruth.boxes()); // [B, N, M]
    Operand<TBool> allValid = tf.fill(
        tf.slice(tf.shape(iou), tf.constant(new int[] {0}), tf.constant(new int[] {2})), tf.constant(true));
    BoxMatcher.Match match = matcher.match(tf, iou, groundTruth.valid(), allValid);
    BalancedSampler.Sample sample = sampler.sample(tf, match.positive(), match.negative(), seed);
    Operand<TFloat32> matchedBoxes =
        tf.gather(groundTruth.boxes(), match.matchedIndex(), tf.constant(1), Gather.batchDims(1L)); // [B,N,4]
    Operand<TFloat32> encoded = coder.encode(tf, matchedBoxes, batchedAnchors);
    Operand<TBool> positive = sample.positive();
    Operand<TFloat32> boxTargets = tf.select(
        tf.expandDims(positive, tf.constant(2)), encoded, tf.zerosLike(encoded));
    Operand<TFloat32> scoreLabels = tf.dtypes.cast(positive, TFloat32.class);
    Operand<TFloat32> scoreWeights =
        tf.dtypes.cast(tf.math.logicalOr(positive, sample.negative()), TFloat32.class);
    return new RpnTargets(
        tf.stopGradient(scoreLabels), tf.stopGradient(scoreWeights), tf.stopGradient(boxTargets),
        tf.stopGradient(scoreLabels));
  }
}
