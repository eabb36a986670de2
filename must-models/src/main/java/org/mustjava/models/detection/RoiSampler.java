package org.mustjava.models.detection;

import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Second-stage training ROIs: ground-truth boxes are added to the proposals, every candidate is
 * matched to its best ground truth (foreground if IoU >= 0.5, background if IoU in [0, 0.5)), and
 * 512 ROIs per image are sampled with at most 25% foreground (Fast R-CNN / Detectron / Model
 * Garden defaults). Fewer candidates than the sample size leave padding ROIs with {@code valid = 0}.
 */
public final class RoiSampler {
  private final int samplesPerImage;
  private final float foregroundIouThreshold;
  private final boolean addGroundTruthToProposals;
  private final BoxMatcher matcher;
  private final BalancedSampler sampler;

  public static RoiSampler defaults() {
    return ConfigDefaults.create(RoiSampler.class, java.util.Map.of());
  }

  /**
   * @param samplesPerImage ROIs per image
   * @param foregroundFraction at most this fraction is foreground
   * @param foregroundIouThreshold IoU at or above which a ROI is foreground
   * @param backgroundIouHigh background ROIs have IoU below this...
   * @param backgroundIouLow ...and at least this
   * @param addGroundTruthToProposals ground-truth boxes are candidates too
   */
  @Configurable("RoiSampler")
  public RoiSampler(
      @Default("512") int samplesPerImage, @Default("0.25") float foregroundFraction,
      @Default("0.5") float foregroundIouThreshold, @Default("0.5") float backgroundIouHigh,
      @Default("0.0") float backgroundIouLow, @Default("True") boolean addGroundTruthToProposals) {
    this.samplesPerImage = samplesPerImage;
    this.foregroundIouThreshold = foregroundIouThreshold;
    this.addGroundTruthToProposals = addGroundTruthToProposals;
    this.matcher = new BoxMatcher(foregroundIouThreshold, backgroundIouHigh, backgroundIouLow, false);
    this.sampler = new BalancedSampler(samplesPerImage, foregroundFraction);
  }

  public int samplesPerImage() {
    return samplesPerImage;
  }

  /**
   * @param proposals first-stage proposals (already detached)
   * @param coder the second-stage box coder (weights 10, 10, 5, 5)
   * @param seed int64 [2] sampling seed
   */
  public SampledRois sample(
      Ops tf, Proposals proposals, GroundTruth groundTruth, BoxCoder coder, Operand<TInt64> seed) {
    int batch = ProposalGenerator.staticBatch(proposals.boxes());
    Operand<TFloat32> candidates = proposals.boxes();
    Operand<TBool> candidateValid = proposals.valid();
    if (addGroundTruthToProposals) {
      candidates = tf.concat(List.of(candidates, groundTruth.boxes()), tf.constant(1));
      candidateValid = tf.concat(List.of(candidateValid, groundTruth.valid()), tf.constant(1));
    }
    Operand<TFloat32> iou = BoxIou.matrix(tf, candidates, groundTruth.boxes()); // [B, C, M]
    BoxMatcher.Match match = matcher.match(tf, iou, groundTruth.valid(), candidateValid);
    BalancedSampler.Sample sample = sampler.sample(tf, match.positive(), match.negative(), seed);

    // Gather the sampled rows to the front: foreground keys 2, background 1, the rest 0 (top-k ties
    // among unsampled rows do not matter, they are marked invalid).
    Operand<TFloat32> key = tf.math.add(
        tf.math.mul(tf.dtypes.cast(sample.positive(), TFloat32.class), tf.constant(2f)),
        tf.dtypes.cast(sample.negative(), TFloat32.class));
    Operand<TInt32> columns = tf.gather(tf.shape(key), tf.constant(1), tf.constant(0));
    Operand<TInt32> k = tf.math.minimum(columns, tf.constant(samplesPerImage));
    Operand<TInt32> order = tf.nn.topK(key, k, new TopK.Options[0]).indices(); // [B, k]
    Operand<TInt32> padding = tf.math.sub(tf.constant(samplesPerImage), k);

    Operand<TFloat32> boxes = padRows(tf, gather(tf, candidates, order), padding, batch, 4);
    Operand<TFloat32> fg = padRows(tf, tf.dtypes.cast(gather(tf, sample.positive(), order), TFloat32.class), padding, batch, 0);
    Operand<TFloat32> sampled = padRows(tf, tf.dtypes.cast(
        gather(tf, tf.math.logicalOr(sample.positive(), sample.negative()), order), TFloat32.class), padding, batch, 0);
    Operand<TInt32> matched = padRows(tf, gather(tf, match.matchedIndex(), order), padding, batch, 0);

    Operand<TFloat32> matchedBoxes = tf.gather(groundTruth.boxes(), matched, tf.constant(1), Gather.batchDims(1L));
    Operand<TInt32> matchedClasses = tf.gather(groundTruth.classes(), matched, tf.constant(1), Gather.batchDims(1L));
    Operand<TBool> isFg = tf.math.greater(fg, tf.constant(0.5f));
    Operand<TInt32> classes = tf.select(isFg, matchedClasses, tf.zerosLike(matchedClasses));
    Operand<TFloat32> encoded = coder.encode(tf, matchedBoxes, boxes);
    Operand<TFloat32> targets = tf.select(tf.expandDims(isFg, tf.constant(2)), encoded, tf.zerosLike(encoded));
    return new SampledRois(
        tf.stopGradient(boxes), tf.stopGradient(classes), tf.stopGradient(targets), tf.stopGradient(fg),
        tf.stopGradient(sampled));
  }

  public float foregroundIouThreshold() {
    return foregroundIouThreshold;
  }

  private static <T extends org.tensorflow.types.family.TType> Operand<T> gather(
      Ops tf, Operand<T> values, Operand<TInt32> order) {
    return tf.gather(values, order, tf.constant(1), Gather.batchDims(1L));
  }

  /** Pads axis 1 with {@code padding} zero rows and fixes the static shape to [B, S] or [B, S, depth]. */
  private <T extends org.tensorflow.types.family.TType> Operand<T> padRows(
      Ops tf, Operand<T> values, Operand<TInt32> padding, int batch, int depth) {
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> paddings = depth > 0
        ? tf.stack(List.of(tf.stack(List.of(zero, zero)), tf.stack(List.of(zero, padding)), tf.stack(List.of(zero, zero))))
        : tf.stack(List.of(tf.stack(List.of(zero, zero)), tf.stack(List.of(zero, padding))));
    Operand<T> padded = tf.pad(values, paddings, zeroScalar(tf, values));
    Shape shape = depth > 0 ? Shape.of(batch, samplesPerImage, depth) : Shape.of(batch, samplesPerImage);
    return tf.ensureShape(padded, shape);
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.tensorflow.types.family.TType> Operand<T> zeroScalar(Ops tf, Operand<T> like) {
    return (Operand<T>) tf.zeros(tf.constant(new int[0]), like.type());
  }
}
