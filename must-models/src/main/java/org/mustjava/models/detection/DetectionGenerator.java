package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.List;
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
 * Inference post-processing of the box head: class probabilities (softmax), class-specific boxes
 * decoded from the ROIs and clipped to the image, a per-class score threshold (0.05), per-class NMS
 * (IoU 0.5), and the best {@code maxDetectionsPerImage} (100) per image. Model Garden / Detectron
 * defaults.
 *
 * <p>Per-class NMS is one NonMaxSuppressionV5 per image over (box, class) candidates whose boxes
 * are shifted by {@code class * (max(H, W) + 1)}, so boxes of different classes never overlap (the
 * usual batched-NMS trick); at most {@code preNmsTopK} candidates (by score) enter NMS.
 */
public final class DetectionGenerator {
  private final float scoreThreshold;
  private final float nmsIouThreshold;
  private final int maxDetectionsPerImage;
  private final int preNmsTopK;

  public static DetectionGenerator defaults() {
    return ConfigDefaults.create(DetectionGenerator.class, java.util.Map.of());
  }

  /**
   * @param scoreThreshold per-class probability a detection must exceed
   * @param nmsIouThreshold per-class NMS IoU threshold
   * @param maxDetectionsPerImage detections kept per image
   * @param preNmsTopK best (box, class) candidates entering NMS
   */
  @Configurable("DetectionGenerator")
  public DetectionGenerator(
      @Default("0.05") float scoreThreshold, @Default("0.5") float nmsIouThreshold,
      @Default("100") int maxDetectionsPerImage, @Default("5000") int preNmsTopK) {
    if (maxDetectionsPerImage < 1 || preNmsTopK < 1) {
      throw new IllegalArgumentException("DetectionGenerator: maxDetectionsPerImage and preNmsTopK must be >= 1");
    }
    this.scoreThreshold = scoreThreshold;
    this.nmsIouThreshold = nmsIouThreshold;
    this.maxDetectionsPerImage = maxDetectionsPerImage;
    this.preNmsTopK = preNmsTopK;
  }

  public int maxDetectionsPerImage() {
    return maxDetectionsPerImage;
  }

  /**
   * @param classLogits {@code [B, S, K + 1]}
   * @param boxDeltas {@code [B, S, K + 1, 4]}
   * @param rois {@code [B, S, 4]} the proposals the head ran on (pixels)
   * @param roiValid {@code [B, S]}
   */
  public Detections generate(
      Ops tf, Operand<TFloat32> classLogits, Operand<TFloat32> boxDeltas, Operand<TFloat32> rois,
      Operand<TBool> roiValid, BoxCoder coder, Operand<TFloat32> imageHeight, Operand<TFloat32> imageWidth) {
    int batch = ProposalGenerator.staticBatch(classLogits);
    int numClasses = (int) classLogits.shape().get(2) - 1;
    int perImage = (int) classLogits.shape().get(1);
    // Drop the background column (class 0).
    Operand<TFloat32> probs = tf.nn.softmax(classLogits);
    Operand<TFloat32> objectProbs = tf.slice(probs, tf.constant(new int[] {0, 0, 1}), tf.constant(new int[] {-1, -1, -1}));
    Operand<TFloat32> objectDeltas =
        tf.slice(boxDeltas, tf.constant(new int[] {0, 0, 1, 0}), tf.constant(new int[] {-1, -1, -1, -1}));
    Operand<TFloat32> boxes = Boxes.clip(
        tf, coder.decode(tf, objectDeltas, tf.expandDims(rois, tf.constant(2))), imageHeight, imageWidth);
    // Padding ROIs can never be detections.
    objectProbs = tf.select(tf.expandDims(roiValid, tf.constant(2)), objectProbs,
        tf.fill(tf.shape(objectProbs), tf.constant(-1f)));

    int candidates = perImage * numClasses;
    int k = Math.min(preNmsTopK, candidates);
    Operand<TFloat32> flatScores = tf.reshape(objectProbs, tf.constant(new int[] {batch, candidates}));
    Operand<TFloat32> flatBoxes = tf.reshape(boxes, tf.constant(new int[] {batch, candidates, 4}));
    TopK<TFloat32, TInt32> top = tf.nn.topK(flatScores, tf.constant(k), new TopK.Options[0]);
    Operand<TFloat32> topBoxes = tf.gather(flatBoxes, top.indices(), tf.constant(1), Gather.batchDims(1L));
    Operand<TInt32> topClasses = tf.math.add(tf.math.floorMod(top.indices(), tf.constant(numClasses)), tf.constant(1));
    Operand<TFloat32> offsetUnit = tf.math.add(tf.math.maximum(imageHeight, imageWidth), tf.constant(1f));
    Operand<TFloat32> offsets = tf.math.mul(tf.dtypes.cast(topClasses, TFloat32.class), offsetUnit);
    Operand<TFloat32> shifted = tf.math.add(topBoxes, tf.expandDims(offsets, tf.constant(2)));

    List<Operand<TFloat32>> outBoxes = new ArrayList<>();
    List<Operand<TFloat32>> outScores = new ArrayList<>();
    List<Operand<TInt32>> outClasses = new ArrayList<>();
    List<Operand<TInt32>> outCounts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      Operand<TInt32> bi = tf.constant(b);
      Operand<TFloat32> bScores = tf.gather(top.values(), bi, tf.constant(0));
      NonMaxSuppression<TFloat32> nms = tf.image.nonMaxSuppression(
          tf.gather(shifted, bi, tf.constant(0)), bScores, tf.constant(maxDetectionsPerImage),
          tf.constant(nmsIouThreshold), tf.constant(scoreThreshold), tf.constant(0f),
          NonMaxSuppression.padToMaxOutputSize(true));
      Operand<TBool> valid = tf.math.less(
          tf.range(tf.constant(0), tf.constant(maxDetectionsPerImage), tf.constant(1)), nms.validOutputs());
      Operand<TFloat32> kept = tf.gather(tf.gather(topBoxes, bi, tf.constant(0)), nms.selectedIndices(), tf.constant(0));
      Operand<TFloat32> keptScores = tf.gather(bScores, nms.selectedIndices(), tf.constant(0));
      Operand<TInt32> keptClasses =
          tf.gather(tf.gather(topClasses, bi, tf.constant(0)), nms.selectedIndices(), tf.constant(0));
      outBoxes.add(tf.select(tf.expandDims(valid, tf.constant(1)), kept, tf.zerosLike(kept)));
      outScores.add(tf.select(valid, keptScores, tf.zerosLike(keptScores)));
      outClasses.add(tf.select(valid, keptClasses, tf.zerosLike(keptClasses)));
      outCounts.add(nms.validOutputs());
    }
    Operand<TFloat32> detBoxes = tf.ensureShape(tf.stack(outBoxes), Shape.of(batch, maxDetectionsPerImage, 4));
    Operand<TFloat32> normalized = Boxes.scale(
        tf, detBoxes, tf.math.reciprocal(imageHeight), tf.math.reciprocal(imageWidth));
    return new Detections(
        tf.stopGradient(detBoxes), tf.stopGradient(normalized), tf.stopGradient(tf.stack(outScores)),
        tf.stopGradient(tf.stack(outClasses)), tf.stopGradient(tf.stack(outCounts)));
  }
}
