package org.mustjava.models.detection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Detection pseudo labels as MuST makes them: the teacher's detections after NMS whose score is at
 * least {@code scoreThreshold} (0.5 in the paper, a hard threshold), as class + box, in the
 * input pipeline's label format ({@code boxes} normalised, {@code box_classes}, {@code num_boxes};
 * see {@link GroundTruth}). Rows past {@code num_boxes} are zero.
 */
public final class DetectionPseudoLabeler {
  private final float scoreThreshold;

  public static DetectionPseudoLabeler defaults() {
    return ConfigDefaults.create(DetectionPseudoLabeler.class, Map.of());
  }

  /** @param scoreThreshold detections scoring at least this become labels (0.5 in the paper) */
  @Configurable("DetectionPseudoLabeler")
  public DetectionPseudoLabeler(@Default("0.5") float scoreThreshold) {
    this.scoreThreshold = scoreThreshold;
  }

  public float scoreThreshold() {
    return scoreThreshold;
  }

  /** Labels from detections (sorted by descending score, as {@link DetectionGenerator} returns them). */
  public Map<String, Operand<?>> label(Ops tf, Detections detections) {
    Operand<TInt32> d = tf.gather(tf.shape(detections.scores()), tf.constant(1), tf.constant(0));
    Operand<TInt32> index = tf.expandDims(tf.range(tf.constant(0), d, tf.constant(1)), tf.constant(0));
    Operand<TBool> keep = tf.math.logicalAnd(
        tf.math.less(index, tf.expandDims(detections.count(), tf.constant(1))),
        tf.math.greaterEqual(detections.scores(), tf.constant(scoreThreshold)));
    Operand<TFloat32> boxes = tf.select(
        tf.expandDims(keep, tf.constant(2)), detections.normalizedBoxes(), tf.zerosLike(detections.normalizedBoxes()));
    Operand<TInt32> classes = tf.select(keep, detections.classes(), tf.zerosLike(detections.classes()));
    // Scores are sorted, so the kept rows are a prefix and their number is the count.
    Operand<TInt32> count = tf.reduceSum(tf.dtypes.cast(keep, TInt32.class), tf.constant(1));
    Map<String, Operand<?>> labels = new LinkedHashMap<>();
    labels.put(GroundTruth.BOXES, boxes);
    labels.put(GroundTruth.CLASSES, classes);
    labels.put(GroundTruth.NUM_BOXES, count);
    return labels;
  }
}
