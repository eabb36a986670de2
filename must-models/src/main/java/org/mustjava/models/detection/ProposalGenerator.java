package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.image.NonMaxSuppression;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Turns RPN outputs into proposals: per level, keep the top-k anchors by objectness, decode them,
 * clip to the image, drop boxes smaller than {@code minSize}, run NMS (NonMaxSuppressionV5, IoU
 * 0.7); then keep the best {@code postNmsTopK} over all levels. Defaults are Model Garden's Mask
 * R-CNN ones (train 2000 / 1000, eval 1000 / 1000).
 *
 * <p>Proposals are wrapped in StopGradient (as in Faster R-CNN's approximate joint training); this
 * also keeps the gradient-less TopKV2 and NMS ops off every gradient path. The batch size must be
 * static (NMS runs per image).
 */
public final class ProposalGenerator {
  /** Score given to invalid (padding or too small) candidates; below every sigmoid probability. */
  static final float INVALID_SCORE = -1f;

  private final int trainPreNmsTopK;
  private final int trainPostNmsTopK;
  private final int evalPreNmsTopK;
  private final int evalPostNmsTopK;
  private final float nmsIouThreshold;
  private final float minSize;

  public static ProposalGenerator defaults() {
    return ConfigDefaults.create(ProposalGenerator.class, Map.of());
  }

  /**
   * @param trainPreNmsTopK anchors kept per level before NMS in training
   * @param trainPostNmsTopK proposals kept per image in training
   * @param evalPreNmsTopK anchors kept per level before NMS in evaluation
   * @param evalPostNmsTopK proposals kept per image in evaluation
   * @param nmsIouThreshold NMS IoU threshold
   * @param minSize proposals with a side below this (pixels) are dropped
   */
  @Configurable("ProposalGenerator")
  public ProposalGenerator(
      @Default("2000") int trainPreNmsTopK, @Default("1000") int trainPostNmsTopK,
      @Default("1000") int evalPreNmsTopK, @Default("1000") int evalPostNmsTopK,
      @Default("0.7") float nmsIouThreshold, @Default("0.0") float minSize) {
    for (int k : new int[] {trainPreNmsTopK, trainPostNmsTopK, evalPreNmsTopK, evalPostNmsTopK}) {
      if (k < 1) throw new IllegalArgumentException("ProposalGenerator top-k values must be >= 1");
    }
    this.trainPreNmsTopK = trainPreNmsTopK;
    this.trainPostNmsTopK = trainPostNmsTopK;
    this.evalPreNmsTopK = evalPreNmsTopK;
    this.evalPostNmsTopK = evalPostNmsTopK;
    this.nmsIouThreshold = nmsIouThreshold;
    this.minSize = minSize;
  }

  public int postNmsTopK(boolean training) {
    return training ? trainPostNmsTopK : evalPostNmsTopK;
  }

  /**
   * @param scoreLogits per level {@code [B, N_l]} objectness logits
   * @param boxDeltas per level {@code [B, N_l, 4]}
   * @param anchors per level {@code [N_l, 4]}
   * @param imageHeight float32 scalar; boxes are clipped to the image
   * @param imageWidth float32 scalar
   */
  public Proposals generate(
      Ops tf, Map<Integer, Operand<TFloat32>> scoreLogits, Map<Integer, Operand<TFloat32>> boxDeltas,
      Map<Integer, Operand<TFloat32>> anchors, BoxCoder coder, Operand<TFloat32> imageHeight,
      Operand<TFloat32> imageWidth, boolean training) {
    int preNms = training ? trainPreNmsTopK : evalPreNmsTopK;
    int postNms = postNmsTopK(training);
    int batch = staticBatch(scoreLogits.values().iterator().next());
    List<Operand<TFloat32>> levelBoxes = new ArrayList<>();
    List<Operand<TFloat32>> levelScores = new ArrayList<>();
    for (int level : scoreLogits.keySet()) {
      Operand<TFloat32> logits = scoreLogits.get(level);
      Operand<TInt32> count = tf.gather(tf.shape(logits), tf.constant(1), tf.constant(0));
      Operand<TInt32> k = tf.math.minimum(count, tf.constant(preNms));
      TopK<TFloat32, TInt32> top = tf.nn.topK(logits, k, new TopK.Options[0]);
      Operand<TFloat32> deltas =
          tf.gather(boxDeltas.get(level), top.indices(), tf.constant(1), Gather.batchDims(1L)); // [B,k,4]
      Operand<TFloat32> levelAnchors = tf.gather(anchors.get(level), top.indices(), tf.constant(0)); // [B,k,4]
      Operand<TFloat32> boxes = Boxes.clip(tf, coder.decode(tf, deltas, levelAnchors), imageHeight, imageWidth);
      Operand<TFloat32> scores = tf.math.sigmoid(top.values());
      Operand<TBool> bigEnough = Boxes.hasMinSize(tf, boxes, minSize);
      scores = tf.select(bigEnough, scores, tf.fill(tf.shape(scores), tf.constant(INVALID_SCORE)));
      List<Operand<TFloat32>> imageBoxes = new ArrayList<>();
      List<Operand<TFloat32>> imageScores = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        Operand<TFloat32> bBoxes = tf.gather(boxes, tf.constant(b), tf.constant(0));
        Operand<TFloat32> bScores = tf.gather(scores, tf.constant(b), tf.constant(0));
        Nms kept = nms(tf, bBoxes, bScores, postNms, nmsIouThreshold);
        imageBoxes.add(kept.boxes);
        imageScores.add(kept.scores);
      }
      levelBoxes.add(tf.stack(imageBoxes)); // [B, postNms, 4]
      levelScores.add(tf.stack(imageScores));
    }
    Operand<TFloat32> allBoxes = levelBoxes.size() == 1 ? levelBoxes.get(0) : tf.concat(levelBoxes, tf.constant(1));
    Operand<TFloat32> allScores =
        levelScores.size() == 1 ? levelScores.get(0) : tf.concat(levelScores, tf.constant(1));
    TopK<TFloat32, TInt32> best = tf.nn.topK(allScores, tf.constant(postNms), new TopK.Options[0]);
    Operand<TFloat32> boxes = tf.gather(allBoxes, best.indices(), tf.constant(1), Gather.batchDims(1L));
    Operand<TFloat32> scores = best.values();
    Operand<TBool> valid = tf.math.greater(scores, tf.constant(INVALID_SCORE / 2));
    boxes = tf.select(tf.expandDims(valid, tf.constant(2)), boxes, tf.zerosLike(boxes));
    boxes = tf.ensureShape(boxes, Shape.of(batch, postNms, 4));
    return new Proposals(tf.stopGradient(boxes), tf.stopGradient(scores), tf.stopGradient(valid));
  }

  /** NMS result of one image padded to {@code maxOutput}: padding has zero boxes and INVALID_SCORE. */
  record Nms(Operand<TFloat32> boxes, Operand<TFloat32> scores, Operand<TInt32> count) {}

  /** NonMaxSuppressionV5 on {@code [n, 4]} boxes, padded to exactly {@code maxOutput} rows. */
  static Nms nms(Ops tf, Operand<TFloat32> boxes, Operand<TFloat32> scores, int maxOutput, float iouThreshold) {
    NonMaxSuppression<TFloat32> nms = tf.image.nonMaxSuppression(
        boxes, scores, tf.constant(maxOutput), tf.constant(iouThreshold), tf.constant(INVALID_SCORE / 2),
        tf.constant(0f), NonMaxSuppression.padToMaxOutputSize(true));
    Operand<TInt32> index = tf.range(tf.constant(0), tf.constant(maxOutput), tf.constant(1));
    Operand<TBool> valid = tf.math.less(index, nms.validOutputs());
    Operand<TFloat32> keptBoxes = tf.gather(boxes, nms.selectedIndices(), tf.constant(0));
    Operand<TFloat32> keptScores = tf.gather(scores, nms.selectedIndices(), tf.constant(0));
    keptBoxes = tf.select(tf.expandDims(valid, tf.constant(1)), keptBoxes, tf.zerosLike(keptBoxes));
    keptScores = tf.select(valid, keptScores, tf.fill(tf.shape(keptScores), tf.constant(INVALID_SCORE)));
    return new Nms(keptBoxes, keptScores, nms.validOutputs());
  }

  static int staticBatch(Operand<?> batched) {
    Shape shape = batched.shape();
    if (shape.isUnknown() || shape.numDimensions() < 1 || shape.get(0) < 0) {
      throw new IllegalArgumentException(
          "the detector needs a static batch size (NMS runs per image); got a tensor of shape " + shape);
    }
    return (int) shape.get(0);
  }
}
